#pragma once
// The kernel value type: a dense matrix of real coefficients and the anchor it is centred on.

#include <opencv2/core.hpp>
#include <string>

namespace sepconv {

/// Largest kernel side sepconv accepts, in either direction (README "Limits").
constexpr int kMaxKernelSide = 1025;

/// A correlation kernel, in OpenCV's filter2D convention: the output at (x, y) is the sum over (r,
/// c) of values(r, c) * image(y + r - anchor.y, x + c - anchor.x).
struct Kernel {
  cv::Mat1d values;  ///< rows x cols coefficients, all finite
  cv::Point anchor;  ///< (column, row) of the tap that lands on the output pixel
  std::string name;  ///< how the user named it: "sobel_x", "gaussian:5:1", a path...
  std::string description;

  int rows() const { return values.rows; }
  int cols() const { return values.cols; }
};

/// Builds a checked kernel: non-empty, at most kMaxKernelSide a side, finite values. The default
/// anchor (-1, -1) means the centre, (cols / 2, rows / 2), which is what OpenCV uses for even sizes
/// too. Throws Error naming `name` otherwise.
Kernel make_kernel(cv::Mat1d values, std::string name, std::string description = "",
                   cv::Point anchor = {-1, -1});

/// The kernel rotated by 180 degrees with its anchor moved to match, so that correlating with it is
/// true convolution with the original (--convolve).
Kernel flipped(const Kernel& kernel);

}  // namespace sepconv
