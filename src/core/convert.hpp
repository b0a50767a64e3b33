#pragma once
// Fitting filtered values (doubles, possibly negative or out of range) into an output depth.

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <string>

namespace sepconv {

/// --depth: `same` keeps the input's depth.
enum class OutputDepth { same, u8, u16, s16, f32 };
/// --map: how values outside the output depth's range are fitted into it. `automatic` is abs for
/// kernels whose taps sum to zero (derivatives: the sign is the edge's direction) written to an
/// unsigned depth (u8, u16), clamp otherwise: signed outputs (s16, f32) keep the sign.
enum class ValueMap { automatic, clamp, abs, offset, normalize };

OutputDepth parse_output_depth(const std::string& text);
ValueMap parse_value_map(const std::string& text);
std::string value_map_name(ValueMap map);

/// The OpenCV depth (CV_8U ...) that `depth` means for an input of `input_depth`.
int resolve_depth(OutputDepth depth, int input_depth);

/// `automatic` made concrete for a kernel whose taps sum to zero or not, written to the OpenCV
/// depth `output_depth`.
ValueMap resolve_map(ValueMap map, bool zero_sum_kernel, int output_depth);

/// Converts one filtered plane to `depth`, rounding to nearest and saturating after the map:
/// clamp: as is; abs: |v|; offset: v + 128 (u8) or v + 32768 (u16), unchanged for s16 and f32;
/// normalize: [min, max] of the plane to [0, 255], [0, 65535], [0, 32767] or [0, 1].
cv::Mat convert_plane(const cv::Mat1d& values, int depth, ValueMap map);

/// normalize's range: the lowest and highest finite values of a plane (NaN and infinities are left
/// out, so one of them does not turn every pixel into NaN). Take the values in row order: the sign
/// of a zero bound depends on it, as in convert_plane.
class NormalizeRange {
 public:
  void take(double value) {
    if (!std::isfinite(value)) return;
    low_ = found_ ? std::min(low_, value) : value;
    high_ = found_ ? std::max(high_, value) : value;
    found_ = true;
  }
  double low() const { return low_; }
  double high() const { return high_; }

 private:
  double low_ = 0, high_ = 0;
  bool found_ = false;
};

/// One row of a plane (`width` values) mapped by normalize over the plane's `range` into `depth`
/// at `out`: exactly the samples convert_plane gives for that row, without a copy of the plane.
void normalize_row(const double* values, int width, const NormalizeRange& range, int depth,
                   void* out);

/// An alpha plane carried to `depth`: rescaled between 8 and 16 bits, kept as is otherwise.
cv::Mat convert_alpha(const cv::Mat& alpha, int depth);

}  // namespace sepconv
