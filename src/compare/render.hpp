#pragma once
// Pictures for people: the difference between two outputs as a heat map with its colour scale, and
// a labelled montage of input, outputs and difference.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace sepconv {

/// The colour of 0 and of the largest difference (cv::COLORMAP_TURBO's two ends).
constexpr int kHeatColormap = 20;  // cv::COLORMAP_TURBO

/// |difference| coloured with kHeatColormap, linearly from 0 (bottom) to `top` (top of the scale),
/// so the largest difference is the hottest colour however small it is. `top` 0 draws everything as
/// the bottom colour. 8-bit BGR, the size of `difference`.
cv::Mat heat_colours(const cv::Mat1d& difference, double top);

/// The heat map fitted into `height` rows and at most 4 x `height` columns (aspect ratio kept,
/// centred on the background) with its colour bar (labelled 0, top / 2 and top) beside it.
cv::Mat heat_with_scale(const cv::Mat1d& difference, double top, int height);

/// The heat map with a title above and a colour bar labelled 0, top / 2 and top beside it; small
/// images are enlarged (nearest neighbour) so the labels stay readable.
cv::Mat heat_map_image(const cv::Mat1d& difference, double top, const std::string& title);

/// Any image (8/16-bit, float; 1 to 4 channels) as 8-bit BGR for display: 16-bit divided by 257,
/// float stretched from its min..max to 0..255, alpha dropped.
cv::Mat display_bgr(const cv::Mat& image);

/// One labelled picture of a montage.
struct Panel {
  cv::Mat image;  ///< 8-bit BGR
  std::string label;
};

/// The height of a montage's pictures for a first panel of `rows` rows: rows, kept between 240
/// and 480 so labels stay readable and a 4K input gives a picture of sensible size.
int montage_height(int rows);

/// Panels side by side at montage_height(first panel's rows), each with its label in a bar above.
/// Each picture keeps its aspect ratio within montage_height x 4 montage_height pixels (a 2000x1
/// strip becomes a 960x1 line on a 240-row panel), so the montage is at most about 4 x 4 x 480 x
/// 520 pixels whatever the input's shape.
cv::Mat montage(const std::vector<Panel>& panels);

}  // namespace sepconv
