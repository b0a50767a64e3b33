#include "edges/edge_map.hpp"

#include <fmt/format.h>

#include <opencv2/imgproc.hpp>

#include "core/depth.hpp"
#include "core/error.hpp"

namespace sepconv {

EdgeScale parse_edge_scale(const std::string& text) {
  if (text == "clamp") return EdgeScale::clamp;
  if (text == "strongest") return EdgeScale::strongest;
  if (text == "normalize") return EdgeScale::normalize;
  throw usage_error(
      "--scale", fmt::format("unknown scale '{}'; expected clamp, strongest or normalize", text));
}

std::string edge_scale_name(EdgeScale scale) {
  switch (scale) {
    case EdgeScale::clamp:
      return "clamp";
    case EdgeScale::strongest:
      return "strongest";
    case EdgeScale::normalize:
      return "normalize";
  }
  return "clamp";
}

void check_edge_map_request(const EdgeMapRequest& request) {
  const bool thresholded = request.otsu || request.level.has_value();
  if (request.depth == CV_32F && (thresholded || request.scale != EdgeScale::clamp)) {
    throw usage_error("--depth",
                      "f32 writes the exact magnitude: --threshold and --scale need u8 or u16");
  }
  if (request.depth == CV_16U && thresholded) {
    throw usage_error("--depth", "a --threshold map is 8-bit: use --depth u8");
  }
}

namespace {

/// The magnitude that becomes the output's top value.
double full_scale_of(const cv::Mat1f& magnitude, int input_depth, const EdgeMapRequest& request) {
  switch (request.scale) {
    case EdgeScale::clamp:
      return depth_top(request.depth);
    case EdgeScale::strongest:
      return request.unit_strongest * depth_top(input_depth);
    case EdgeScale::normalize: {
      double top = 0;
      cv::minMaxLoc(magnitude, nullptr, &top);
      return top;
    }
  }
  return depth_top(request.depth);
}

}  // namespace

EdgeMap edge_map(const cv::Mat1f& magnitude, int input_depth, const EdgeMapRequest& request) {
  EdgeMap map;
  if (request.depth == CV_32F) {
    magnitude.convertTo(map.pixels, CV_32F);
    return map;
  }
  const double full_scale = full_scale_of(magnitude, input_depth, request);
  map.full_scale = full_scale;
  const double top = depth_top(request.depth);
  // saturate_cast: round to nearest, clamp into the range (a flat image has no scale: all 0).
  magnitude.convertTo(map.pixels, request.depth, full_scale > 0 ? top / full_scale : 0.0);
  if (!request.otsu && !request.level) return map;
  cv::Mat binary;
  map.threshold =
      cv::threshold(map.pixels, binary, request.level.value_or(0), 255,
                    request.otsu ? cv::THRESH_BINARY | cv::THRESH_OTSU : cv::THRESH_BINARY);
  map.pixels = binary;
  return map;
}

}  // namespace sepconv
