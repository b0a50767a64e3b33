#pragma once
// Fitting filtered values (doubles, possibly negative or out of range) into an output depth.

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

/// An alpha plane carried to `depth`: rescaled between 8 and 16 bits, kept as is otherwise.
cv::Mat convert_alpha(const cv::Mat& alpha, int depth);

}  // namespace sepconv
