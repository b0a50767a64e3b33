#pragma once
// A whole image through a plan: colour channels filtered independently, alpha carried through.

#include <opencv2/core.hpp>

#include "analysis/plan.hpp"
#include "core/convert.hpp"
#include "engine/border.hpp"

namespace sepconv {

struct FilteredImage {
  cv::Mat pixels;             ///< out_depth, same channel count as the input
  int filtered_channels = 0;  ///< channels the kernel ran over (alpha excluded)
  OpCount executed;           ///< what the engine really ran, zero taps skipped, all channels
};

/// Whether the last channel of an image with this many channels is alpha (gray+alpha, BGRA).
inline bool has_alpha(int channels) {
  return channels == 2 || channels == 4;
}

/// Filters every colour channel of `image` with `plan` and converts it to `out_depth` with `map`.
/// An alpha channel is not filtered: it is converted to `out_depth` (and cropped like the colour
/// channels under a valid border).
FilteredImage filter_image(const cv::Mat& image, const Plan& plan, const Border& border,
                           int out_depth, ValueMap map);

}  // namespace sepconv
