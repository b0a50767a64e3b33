#include "io/convert.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace sepconv {
namespace {

double top_of_range(int depth) {
  switch (depth) {
    case CV_8U:
      return 255;
    case CV_16U:
      return 65535;
    case CV_16S:
      return 32767;
    default:
      return 1;
  }
}

double offset_for(int depth) {
  switch (depth) {
    case CV_8U:
      return 128;
    case CV_16U:
      return 32768;
    default:
      return 0;
  }
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

ValueMap resolve_map(ValueMap map, bool zero_sum_kernel) {
  if (map != ValueMap::automatic) return map;
  return zero_sum_kernel ? ValueMap::abs : ValueMap::clamp;
}

cv::Mat convert_plane(const cv::Mat1d& values, int depth, ValueMap map) {
  cv::Mat out;
  switch (map) {
    case ValueMap::normalize:
      cv::normalize(values, out, 0, top_of_range(depth), cv::NORM_MINMAX, depth);
      return out;
    case ValueMap::abs:
      cv::Mat1d(cv::abs(values)).convertTo(out, depth);
      return out;
    case ValueMap::offset:
      values.convertTo(out, depth, 1.0, offset_for(depth));
      return out;
    default:
      values.convertTo(out, depth);  // saturate_cast: round to nearest, clamp to the range
      return out;
  }
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
