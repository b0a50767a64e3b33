#pragma once
// A depthwise separable convolution, as in MobileNet (Howard et al. 2017) and Keras'
// SeparableConv2D: a depthwise step filters each of C input channels with M spatial kernels of its
// own, then a pointwise step (a 1x1 convolution, an N x C*M matrix) mixes the C*M filtered planes
// into N output channels. This file says what is computed; steps.hpp runs it.

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "analysis/ops.hpp"
#include "analysis/plan.hpp"
#include "engine/border.hpp"
#include "kernel/kernel.hpp"

namespace sepconv {

/// The layer's weights. Depthwise planes are numbered channel-major, as Keras' depth_multiplier:
/// plane j = c * M + m is channel c filtered with kernels[j], and column j of the pointwise matrix
/// weighs plane j.
struct DepthwiseLayer {
  int channels = 0;             ///< C, the input channels the kernels run over
  int multiplier = 1;           ///< M, kernels per input channel
  std::vector<Kernel> kernels;  ///< C * M, all of one size and anchor
  cv::Mat1d pointwise;          ///< N x C*M
  std::string pointwise_name;   ///< how the user named the matrix, for errors and statistics

  int depthwise_planes() const { return channels * multiplier; }
  int out_channels() const { return pointwise.rows; }
  cv::Size kernel_size() const { return kernels.front().values.size(); }
};

/// Builds the layer and checks it against the image's C channels: `kernels` holds one kernel (used
/// for every plane) or C*M; they share one size and anchor (as one Keras layer does, so the C*M
/// planes line up under every border); the matrix has C*M columns. Mismatches are usage errors
/// naming -k, --multiplier or --pointwise.
DepthwiseLayer make_depthwise_layer(std::vector<Kernel> kernels, int channels, int multiplier,
                                    cv::Mat1d pointwise, std::string pointwise_name);

/// The bytes a depthwise run on an image of `size` holds at its peak, from the layer alone: the
/// C*M depthwise planes and the N pointwise outputs as doubles, the N outputs converted (at most 4
/// bytes a sample), and with `compare_full` the N outputs of the standard convolution too.
std::uint64_t depthwise_working_bytes(const DepthwiseLayer& layer, cv::Size size,
                                      bool compare_full);

/// Refuses, before anything is allocated, a run whose depthwise_working_bytes exceeds `limit`
/// (the command passes --max-bytes, the limit on decoded images, so one setting bounds both; the
/// --multiplier a user asks for multiplies the planes held at once): Error naming --multiplier
/// with the estimate and the limit.
void check_depthwise_size(const DepthwiseLayer& layer, cv::Size size, bool compare_full,
                          std::uint64_t limit);

/// The equivalent standard convolution: N x C kernels, K[n][c] = sum over m of
/// P(n, c*M + m) * D[c*M + m], so that output n = sum over c of K[n][c] applied to channel c.
std::vector<std::vector<Kernel>> equivalent_kernels(const DepthwiseLayer& layer);

/// The plans the depthwise step runs: the cheapest exact plan of each kernel (--mode auto), so a
/// separable kernel runs as two passes.
std::vector<Plan> depthwise_plans(const DepthwiseLayer& layer, int depth);

/// The plans the standard convolution runs: each K[n][c] as a full 2D kernel, as a standard
/// convolution layer computes it.
std::vector<std::vector<Plan>> standard_plans(const std::vector<std::vector<Kernel>>& kernels,
                                              int depth);

/// Operations of each step, per output pixel (in the interior, in the primer's convention) and in
/// total over one image.
struct StepOps {
  OpCount per_pixel;
  OpCount total;
};

struct LayerOps {
  StepOps depthwise;  ///< every depthwise plan over its channel (planned_ops)
  StepOps pointwise;  ///< N dot products of C*M planes
  StepOps separable;  ///< depthwise + pointwise
  StepOps standard;   ///< N x C full 2D kernels, and summing the C results of each output
};

/// The pointwise step per output pixel: N dot products of C*M terms, N*C*M multiplications and
/// N*(C*M - 1) additions.
OpCount pointwise_ops_per_pixel(int out_channels, int depthwise_planes);

/// The standard convolution per output pixel: N dot products of C*kh*kw terms.
OpCount standard_ops_per_pixel(int out_channels, int channels, cv::Size kernel);

/// Counts both forms on a `size` image, from the plans' loop structure (engine.hpp planned_ops).
LayerOps layer_ops(const DepthwiseLayer& layer, const std::vector<Plan>& depthwise,
                   const std::vector<std::vector<Plan>>& standard, cv::Size size,
                   const Border& border);

}  // namespace sepconv
