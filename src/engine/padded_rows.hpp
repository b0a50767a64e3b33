#pragma once
// The border, seen row by row: the source row for any output row and tap (through the border
// policy), and rows extended to the left and right, so inner loops run over plain contiguous
// arrays.

#include <opencv2/core.hpp>
#include <vector>

#include "engine/border.hpp"

namespace sepconv {

/// Where the taps of a kernel land around an output pixel. `valid` is an anchor of (0, 0) with no
/// padding and a smaller output.
struct Footprint {
  cv::Size input, output, kernel;
  int top = 0, bottom = 0, left = 0, right = 0;  ///< rows and columns read beyond the image

  Footprint(cv::Size input_size, cv::Size kernel, cv::Point anchor, const Border& border)
      : input(input_size), output(output_size(input_size, kernel, border)), kernel(kernel) {
    if (border.kind == BorderKind::valid) return;
    top = anchor.y;
    bottom = kernel.height - 1 - anchor.y;
    left = anchor.x;
    right = kernel.width - 1 - anchor.x;
  }
  /// Width of a row extended by the border: the output width plus the kernel's width minus one.
  int extended_width() const { return output.width + kernel.width - 1; }
};

/// A plane of Pixel values with the border applied on demand, one row at a time.
template <typename Pixel>
class PaddedRows {
 public:
  PaddedRows(const cv::Mat_<Pixel>& plane, const Footprint& footprint, const Border& border)
      : plane_(plane),
        footprint_(footprint),
        row_table_(border_index_table(plane.rows, footprint.top, footprint.bottom, border.kind)),
        column_table_(border_index_table(plane.cols, footprint.left, footprint.right, border.kind)),
        constant_row_(plane.cols, static_cast<Pixel>(border.value)) {}

  /// The source row at `y` (which may lie beyond the image), through the border.
  const Pixel* row(int y) const {
    const int source = row_table_[y + footprint_.top];
    return source < 0 ? constant_row_.data() : plane_[source];
  }

  /// Writes `line` (one value per image column) extended by the border into `out`, which holds
  /// footprint.extended_width() values; `outside` stands for columns a constant border supplies.
  template <typename T>
  void extend(const T* line, T* out, T outside) const {
    for (size_t i = 0; i < column_table_.size(); ++i) {
      const int source = column_table_[i];
      out[i] = source < 0 ? outside : line[source];
    }
  }

 private:
  const cv::Mat_<Pixel>& plane_;
  const Footprint& footprint_;
  std::vector<int> row_table_, column_table_;
  std::vector<Pixel> constant_row_;
};

}  // namespace sepconv
