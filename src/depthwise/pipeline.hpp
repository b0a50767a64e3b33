#pragma once
// One depthwise run from file to file, as `sepconv depthwise` does it: read the image, build the
// layer for its channels and check the working memory against --max-bytes before any plane
// exists, refuse an output that cannot hold the result, filter, mix, optionally run the standard
// convolution beside it, and write. The command only parses options and prints the outcome.

#include <optional>
#include <string>
#include <vector>

#include "analysis/plan.hpp"
#include "core/convert.hpp"
#include "depthwise/layer.hpp"
#include "depthwise/steps.hpp"
#include "engine/border.hpp"
#include "kernel/kernel.hpp"

namespace sepconv {

/// What a depthwise run is asked for, beyond its weights.
struct DepthwiseRequest {
  int multiplier = 1;
  Border border;
  OutputDepth depth = OutputDepth::same;
  ValueMap map = ValueMap::clamp;
  bool compare_full = false;  ///< also run the equivalent standard convolution
};

/// The layer run on the planes of one image, in memory.
struct DepthwiseResult {
  std::vector<Plan> plans;        ///< one a depthwise plane
  LayerOps ops;                   ///< both forms counted on this image
  std::vector<cv::Mat1d> output;  ///< the N pointwise outputs, as doubles
  std::optional<Difference> compare_full;
  double depthwise_ms = 0, pointwise_ms = 0, full_ms = 0;
};

/// Runs `layer` on `channels` (colour_planes of the image, of `depth`): the depthwise step, the
/// pointwise step and, with `compare_full`, the standard convolution and how far it is from them.
DepthwiseResult run_depthwise_layer(const DepthwiseLayer& layer,
                                    const std::vector<cv::Mat>& channels, int depth,
                                    const Border& border, bool compare_full);

/// What one run from file to file produced, for the statistics.
struct DepthwiseOutcome {
  DepthwiseLayer layer;  ///< made once the image's channel count is known
  cv::Size size, out_size;
  int channels = 0;  ///< the input's, alpha included
  int out_depth = CV_8U;
  ValueMap map = ValueMap::clamp;
  std::vector<Plan> plans;
  LayerOps ops;
  std::optional<Difference> compare_full;
  double read_ms = 0, depthwise_ms = 0, pointwise_ms = 0, full_ms = 0, write_ms = 0;
};

/// Reads `input`, runs the layer of `kernels` and `pointwise` on it and writes `output`: one image
/// for 1, 3 or 4 output channels, else a multi-page TIFF. The working memory is checked against
/// max_bytes() (--max-bytes, the limit decoded images have) and the output against its format
/// before any filtering. Throws Error naming the file or option at fault.
DepthwiseOutcome run_depthwise_files(const std::string& input, const std::string& output,
                                     const std::vector<Kernel>& kernels, const Kernel& pointwise,
                                     const DepthwiseRequest& request);

}  // namespace sepconv
