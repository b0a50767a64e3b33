#include "core/convert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/depth.hpp"
#include "core/error.hpp"

namespace sepconv {
namespace {

/// Values an integer conversion can saturate: NaN becomes 0, and everything is clamped to +-1e9
/// (beyond every integer depth, even after the offset map).
/// OpenCV converts double to integer through cvRound, which gives INT_MIN for NaN, infinities and
/// anything beyond +-2^31, so 1e10 or +inf would otherwise come out as 0 (or -32768) instead of
/// the top of the range.
constexpr double kLimit = 1e9;  // far beyond every integer depth, well inside int

cv::Mat1d saturable(const cv::Mat1d& values) {
  if (cv::checkRange(values, true, nullptr, -kLimit, kLimit)) return values;
  cv::Mat1d fitted = values.clone();
  fitted.forEach(
      [](double& v, const int*) { v = std::isnan(v) ? 0.0 : std::clamp(v, -kLimit, kLimit); });
  return fitted;
}

/// normalize over the finite values only (NormalizeRange); non-finite values then map as they
/// would under clamp. Row by row, so the plane's only copy is the output.
cv::Mat normalized(const cv::Mat1d& values, int depth) {
  NormalizeRange range;
  for (double v : values) range.take(v);
  cv::Mat out(values.size(), CV_MAKETYPE(depth, 1));
  for (int y = 0; y < values.rows; ++y) {
    normalize_row(values.ptr<double>(y), values.cols, range, depth, out.ptr(y));
  }
  return out;
}

}  // namespace

OutputDepth parse_output_depth(const std::string& text) {
  if (text == "same") return OutputDepth::same;
  if (text == "u8") return OutputDepth::u8;
  if (text == "u16") return OutputDepth::u16;
  if (text == "s16") return OutputDepth::s16;
  if (text == "f32") return OutputDepth::f32;
  throw usage_error("--depth",
                    fmt::format("unknown depth '{}'; expected same, u8, u16, s16 or f32", text));
}

ValueMap parse_value_map(const std::string& text) {
  if (text == "auto") return ValueMap::automatic;
  if (text == "clamp") return ValueMap::clamp;
  if (text == "abs") return ValueMap::abs;
  if (text == "offset") return ValueMap::offset;
  if (text == "normalize") return ValueMap::normalize;
  throw usage_error(
      "--map",
      fmt::format("unknown map '{}'; expected auto, clamp, abs, offset or normalize", text));
}

std::string value_map_name(ValueMap map) {
  switch (map) {
    case ValueMap::automatic:
      return "auto";
    case ValueMap::clamp:
      return "clamp";
    case ValueMap::abs:
      return "abs";
    case ValueMap::offset:
      return "offset";
    case ValueMap::normalize:
      return "normalize";
  }
  return "?";
}

int resolve_depth(OutputDepth depth, int input_depth) {
  switch (depth) {
    case OutputDepth::same:
      return input_depth;
    case OutputDepth::u8:
      return CV_8U;
    case OutputDepth::u16:
      return CV_16U;
    case OutputDepth::s16:
      return CV_16S;
    case OutputDepth::f32:
      return CV_32F;
  }
  return input_depth;
}

ValueMap resolve_map(ValueMap map, bool zero_sum_kernel, int output_depth) {
  if (map != ValueMap::automatic) return map;
  const bool unsigned_output = output_depth == CV_8U || output_depth == CV_16U;
  return zero_sum_kernel && unsigned_output ? ValueMap::abs : ValueMap::clamp;
}

cv::Mat convert_plane(const cv::Mat1d& values, int depth, ValueMap map) {
  if (map == ValueMap::normalize) return normalized(values, depth);
  // Integer outputs: NaN counts as 0 (no response) before the map; float keeps it, and infinities.
  const cv::Mat1d input = depth == CV_32F ? values : saturable(values);
  // Each case builds a new matrix: assigning an expression to `input`'s header would overwrite
  // the caller's pixels.
  cv::Mat1d mapped;
  if (map == ValueMap::abs) {
    mapped = cv::abs(input);
  } else if (map == ValueMap::offset) {
    mapped = input + depth_offset(depth);
  } else {
    mapped = input;
  }
  cv::Mat out;
  mapped.convertTo(out, depth);  // saturate_cast: round to nearest, clamp to the range
  return out;
}

void normalize_row(const double* values, int width, const NormalizeRange& range, int depth,
                   void* out) {
  const double low = range.low(), high = range.high();
  const double top = depth_top(depth);
  const double scale = high > low ? top / (high - low) : 0.0;
  const cv::Mat1d row(1, width, const_cast<double*>(values));
  const cv::Mat1d shifted = row - low;  // apart, so OpenCV does not fold it into v*s - low*s
  const cv::Mat1d stretched = shifted * scale;
  cv::Mat target(1, width, CV_MAKETYPE(depth, 1), out);
  (depth == CV_32F ? stretched : saturable(stretched)).convertTo(target, depth);
}

cv::Mat convert_alpha(const cv::Mat& alpha, int depth) {
  double scale = 1.0;
  if (alpha.depth() == CV_8U && depth == CV_16U) scale = 257.0;
  if (alpha.depth() == CV_16U && depth == CV_8U) scale = 1.0 / 257.0;
  cv::Mat out;
  alpha.convertTo(out, depth, scale);
  return out;
}

}  // namespace sepconv
