#include "depthwise/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "depthwise/channels.hpp"
#include "engine/border.hpp"
#include "io/image_io.hpp"

namespace sepconv {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// The output is N channels of one image, or N pages of a TIFF, of `out_size`; fail before any
/// filtering.
void check_output(const std::string& output, int out_channels, int depth, cv::Size out_size) {
  if (!fits_one_image(out_channels)) {
    if (!is_tiff_path(output)) {
      throw usage_error("-o", fmt::format("{} output channels are written as a multi-page TIFF, "
                                          "one page per channel: name a .tif file, not '{}'",
                                          out_channels, output));
    }
    return;
  }
  if (const std::string reason = unsupported_output_reason(output, depth); !reason.empty()) {
    throw Error(output, reason);
  }
  if (const std::string reason = unsupported_output_size_reason(output, out_size);
      !reason.empty()) {
    throw Error(output, reason);
  }
}

/// The output's size: the input's, or with the valid border the part every kernel covers.
cv::Size depthwise_output_size(cv::Size input, const std::vector<Kernel>& kernels,
                               const Border& border) {
  cv::Size size = input;
  for (const Kernel& kernel : kernels) {
    const cv::Size covered = output_size(input, kernel.values.size(), border);
    size = {std::min(size.width, covered.width), std::min(size.height, covered.height)};
  }
  return size;
}

/// Converts each plane to the output depth and writes one image or one page per plane.
void write_planes(const std::string& output, const std::vector<cv::Mat1d>& planes, int depth,
                  ValueMap map) {
  std::vector<cv::Mat> converted;
  for (const cv::Mat1d& plane : planes) converted.push_back(convert_plane(plane, depth, map));
  if (fits_one_image(static_cast<int>(converted.size()))) {
    write_image_atomically(output, merge_planes(converted));
  } else {
    write_pages_atomically(output, converted);
  }
}

}  // namespace

DepthwiseResult run_depthwise_layer(const DepthwiseLayer& layer,
                                    const std::vector<cv::Mat>& channels, int depth,
                                    const Border& border, bool compare_full) {
  DepthwiseResult r;
  r.plans = depthwise_plans(layer, depth);
  const auto standard = standard_plans(equivalent_kernels(layer), depth);
  r.ops = layer_ops(layer, r.plans, standard, channels.front().size(), border);

  auto start = Clock::now();
  const std::vector<cv::Mat1d> planes = depthwise_step(r.plans, layer.multiplier, channels, border);
  r.depthwise_ms = ms_since(start);
  start = Clock::now();
  r.output = pointwise_step(layer.pointwise, planes);
  r.pointwise_ms = ms_since(start);
  if (compare_full) {
    start = Clock::now();
    r.compare_full = difference(r.output, standard_step(standard, channels, border));
    r.full_ms = ms_since(start);
  }
  return r;
}

DepthwiseOutcome run_depthwise_files(const std::string& input, const std::string& output,
                                     const std::vector<Kernel>& kernels, const Kernel& pointwise,
                                     const DepthwiseRequest& request) {
  DepthwiseOutcome o;
  auto start = Clock::now();
  const cv::Mat image = read_image(input);
  o.read_ms = ms_since(start);
  o.size = image.size();
  o.channels = image.channels();
  const std::vector<cv::Mat> channels = colour_planes(image);
  o.layer = make_depthwise_layer(kernels, static_cast<int>(channels.size()), request.multiplier,
                                 pointwise.values, pointwise.name);
  // Before any plane exists: the same limit as a decoded image (--max-bytes).
  check_depthwise_size(o.layer, image.size(), request.compare_full, max_bytes());
  o.out_depth = resolve_depth(request.depth, image.depth());
  o.map = resolve_map(request.map, false, CV_8U);
  check_output(output, o.layer.out_channels(), o.out_depth,
               depthwise_output_size(image.size(), kernels, request.border));

  const DepthwiseResult r =
      run_depthwise_layer(o.layer, channels, image.depth(), request.border, request.compare_full);
  o.plans = r.plans;
  o.ops = r.ops;
  o.compare_full = r.compare_full;
  o.out_size = r.output.front().size();
  o.depthwise_ms = r.depthwise_ms;
  o.pointwise_ms = r.pointwise_ms;
  o.full_ms = r.full_ms;

  start = Clock::now();
  write_planes(output, r.output, o.out_depth, o.map);
  o.write_ms = ms_since(start);
  return o;
}

}  // namespace sepconv
