#include "depthwise/layer.hpp"

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "core/echo.hpp"
#include "core/error.hpp"
#include "engine/engine.hpp"

namespace sepconv {
namespace {

/// "3 channels x multiplier 2 = 6".
std::string planes_phrase(int channels, int multiplier) {
  return fmt::format("{} channel{} x multiplier {} = {}", channels, channels == 1 ? "" : "s",
                     multiplier, channels * multiplier);
}

/// One kernel stands for every plane; otherwise there must be one per plane.
std::vector<Kernel> one_per_plane(std::vector<Kernel> kernels, int channels, int multiplier) {
  const int planes = channels * multiplier;
  if (kernels.size() == 1) return std::vector<Kernel>(planes, kernels.front());
  if (static_cast<int>(kernels.size()) != planes) {
    throw usage_error("-k",
                      fmt::format("{} kernels given; the image needs 1 or {} ({}, "
                                  "channel-major)",
                                  kernels.size(), planes, planes_phrase(channels, multiplier)));
  }
  return kernels;
}

/// The C*M planes are summed pixel by pixel, so they must line up: one size and one anchor.
void check_same_footprint(const std::vector<Kernel>& kernels) {
  const Kernel& first = kernels.front();
  for (const Kernel& kernel : kernels) {
    if (kernel.values.size() != first.values.size() || kernel.anchor != first.anchor) {
      throw usage_error(
          "-k", fmt::format("kernels {} ({}x{}, anchor {} {}) and {} ({}x{}, anchor {} {}) differ: "
                            "every depthwise kernel must have one size and anchor",
                            echo(first.name), first.rows(), first.cols(), first.anchor.x,
                            first.anchor.y, echo(kernel.name), kernel.rows(), kernel.cols(),
                            kernel.anchor.x, kernel.anchor.y));
    }
  }
}

}  // namespace

DepthwiseLayer make_depthwise_layer(std::vector<Kernel> kernels, int channels, int multiplier,
                                    cv::Mat1d pointwise, std::string pointwise_name) {
  if (multiplier < 1) {
    throw usage_error("--multiplier", fmt::format("must be at least 1, not {}", multiplier));
  }
  if (kernels.empty()) throw usage_error("-k", "no kernel given");
  DepthwiseLayer layer;
  layer.channels = channels;
  layer.multiplier = multiplier;
  layer.kernels = one_per_plane(std::move(kernels), channels, multiplier);
  check_same_footprint(layer.kernels);
  if (pointwise.cols != layer.depthwise_planes()) {
    throw usage_error(
        "--pointwise",
        fmt::format("{} is {}x{}: it needs {} column{}, one per depthwise plane ({})",
                    pointwise_name, pointwise.rows, pointwise.cols, layer.depthwise_planes(),
                    layer.depthwise_planes() == 1 ? "" : "s", planes_phrase(channels, multiplier)));
  }
  layer.pointwise = pointwise;
  layer.pointwise_name = std::move(pointwise_name);
  return layer;
}

std::vector<std::vector<Kernel>> equivalent_kernels(const DepthwiseLayer& layer) {
  const Kernel& first = layer.kernels.front();
  std::vector<std::vector<Kernel>> kernels(layer.out_channels());
  for (int n = 0; n < layer.out_channels(); ++n) {
    for (int c = 0; c < layer.channels; ++c) {
      cv::Mat1d values = cv::Mat1d::zeros(first.values.size());
      for (int m = 0; m < layer.multiplier; ++m) {
        const int j = c * layer.multiplier + m;
        values += layer.pointwise(n, j) * layer.kernels[j].values;
      }
      kernels[n].push_back(make_kernel(values, fmt::format("K[{}][{}]", n, c), "", first.anchor));
    }
  }
  return kernels;
}

std::vector<Plan> depthwise_plans(const DepthwiseLayer& layer, int depth) {
  std::vector<Plan> plans;
  for (const Kernel& kernel : layer.kernels) {
    plans.push_back(make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), depth));
  }
  return plans;
}

std::vector<std::vector<Plan>> standard_plans(const std::vector<std::vector<Kernel>>& kernels,
                                              int depth) {
  std::vector<std::vector<Plan>> plans(kernels.size());
  for (std::size_t n = 0; n < kernels.size(); ++n) {
    for (const Kernel& kernel : kernels[n]) {
      plans[n].push_back(make_plan(kernel, analyze_kernel(kernel), parse_mode("full"), depth));
    }
  }
  return plans;
}

OpCount pointwise_ops_per_pixel(int out_channels, int depthwise_planes) {
  return dot_product_ops(depthwise_planes) * out_channels;
}

OpCount standard_ops_per_pixel(int out_channels, int channels, cv::Size kernel) {
  return dot_product_ops(std::int64_t{channels} * kernel.area()) * out_channels;
}

LayerOps layer_ops(const DepthwiseLayer& layer, const std::vector<Plan>& depthwise,
                   const std::vector<std::vector<Plan>>& standard, cv::Size size,
                   const Border& border) {
  const cv::Size out = output_size(size, layer.kernel_size(), border);
  const std::int64_t pixels = std::int64_t{out.width} * out.height;
  LayerOps ops;
  for (const Plan& plan : depthwise) {
    ops.depthwise.per_pixel += plan.ops_per_pixel();
    ops.depthwise.total += planned_ops(plan, size, border);
  }
  ops.pointwise.per_pixel = pointwise_ops_per_pixel(layer.out_channels(), layer.depthwise_planes());
  ops.pointwise.total = ops.pointwise.per_pixel * pixels;
  ops.separable = {ops.depthwise.per_pixel + ops.pointwise.per_pixel,
                   ops.depthwise.total + ops.pointwise.total};
  ops.standard.per_pixel =
      standard_ops_per_pixel(layer.out_channels(), layer.channels, layer.kernel_size());
  // Each output sums its C filtered channels: C - 1 additions a pixel on top of the kernels' own.
  const OpCount channel_sums{0, std::int64_t{layer.channels - 1} * pixels};
  for (const std::vector<Plan>& row : standard) {
    for (const Plan& plan : row) ops.standard.total += planned_ops(plan, size, border);
    ops.standard.total += channel_sums;
  }
  return ops;
}

}  // namespace sepconv

namespace sepconv {

std::uint64_t depthwise_working_bytes(const DepthwiseLayer& layer, cv::Size size,
                                      bool compare_full) {
  const std::uint64_t pixels = std::uint64_t(size.width) * std::uint64_t(size.height);
  const std::uint64_t planes = std::uint64_t(layer.depthwise_planes());
  const std::uint64_t outputs = std::uint64_t(layer.out_channels());
  const std::uint64_t doubles = planes + outputs + (compare_full ? outputs : 0);
  return pixels * (doubles * sizeof(double) + outputs * sizeof(float));
}

void check_depthwise_size(const DepthwiseLayer& layer, cv::Size size, bool compare_full,
                          std::uint64_t limit) {
  const std::uint64_t bytes = depthwise_working_bytes(layer, size, compare_full);
  if (bytes <= limit) return;
  constexpr double mib = 1024.0 * 1024.0;
  throw Error(
      "--multiplier",
      fmt::format("{} channel{} x {} planes of {}x{} need {:.0f} MiB of working memory, "
                  "more than the limit of {:.0f} MiB (--max-bytes): use a smaller --multiplier "
                  "or image",
                  layer.channels, layer.channels == 1 ? "" : "s", layer.multiplier, size.width,
                  size.height, bytes / mib, limit / mib));
}

}  // namespace sepconv
