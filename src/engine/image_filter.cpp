#include "engine/image_filter.hpp"

#include <vector>

#include "engine/engine.hpp"

namespace sepconv {

FilteredImage filter_image(const cv::Mat& image, const Plan& plan, const Border& border,
                           int out_depth, ValueMap map) {
  FilteredImage result;
  if (image.channels() == 1) {  // no copy of the plane: the engine reads the image in place
    result.executed = filter_plane(plan, image, border, out_depth, map, result.pixels);
    result.filtered_channels = 1;
    return result;
  }
  std::vector<cv::Mat> planes;
  cv::split(image, planes);
  const int colour_channels =
      static_cast<int>(planes.size()) - (has_alpha(image.channels()) ? 1 : 0);
  std::vector<cv::Mat> outputs(colour_channels);
  for (int c = 0; c < colour_channels; ++c) {
    result.executed += filter_plane(plan, planes[c], border, out_depth, map, outputs[c]);
  }
  if (has_alpha(image.channels())) {
    // Under `valid` the output pixel at (x, y) is the input pixel under the anchor.
    const cv::Size size = outputs.front().size();
    const cv::Point origin = border.kind == BorderKind::valid ? plan.anchor : cv::Point(0, 0);
    outputs.push_back(convert_alpha(planes.back()(cv::Rect(origin, size)), out_depth));
  }
  cv::merge(outputs, result.pixels);
  result.filtered_channels = colour_channels;
  return result;
}

}  // namespace sepconv
