#include "compare/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace sepconv {
namespace {

const cv::Scalar kBackground(40, 40, 40);
const cv::Scalar kInk(255, 255, 255);
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr int kLabelHeight = 34;
constexpr int kGap = 8;

/// The widest picture in a montage panel, as a multiple of its height: an input of any aspect ratio
/// (a 2000x1 strip) fits a bounded panel instead of a 480000-pixel-wide one.
constexpr int kMaxPanelAspect = 4;
/// The narrowest panel, so its label stays readable under a 1-pixel-wide image.
constexpr int kMinPanelWidth = 160;

/// Resizes to fit `max_width` x `height` keeping the aspect ratio (at least 1 pixel a side): area
/// averaging down, nearest neighbour up (so a single differing pixel stays a visible block). The
/// result is centred on a background of `height` rows and at least `min_width` columns.
cv::Mat fitted(const cv::Mat& image, int height, int max_width, int min_width = 1) {
  const double factor = std::min(static_cast<double>(height) / image.rows,
                                 static_cast<double>(max_width) / image.cols);
  const int width = std::clamp(static_cast<int>(image.cols * factor + 0.5), 1, max_width);
  const int rows = std::clamp(static_cast<int>(image.rows * factor + 0.5), 1, height);
  cv::Mat picture;
  if (width == image.cols && rows == image.rows) {
    picture = image;
  } else {
    cv::resize(image, picture, {width, rows}, 0, 0,
               factor < 1 ? cv::INTER_AREA : cv::INTER_NEAREST);
  }
  if (rows == height && width >= min_width) return picture.clone();
  cv::Mat canvas(height, std::max(width, min_width), image.type(), kBackground);
  picture.copyTo(canvas(cv::Rect((canvas.cols - width) / 2, (height - rows) / 2, width, rows)));
  return canvas;
}

/// Text in `canvas` at `origin`, shrunk until it fits `width` pixels.
void put_label(cv::Mat& canvas, const std::string& text, cv::Point origin, int width,
               double scale) {
  int baseline = 0;
  while (scale > 0.3 && cv::getTextSize(text, kFont, scale, 1, &baseline).width > width)
    scale -= 0.05;
  cv::putText(canvas, text, origin, kFont, scale, kInk, 1, cv::LINE_AA);
}

/// A panel's label in a bar above it.
cv::Mat labelled(const cv::Mat& image, const std::string& label) {
  cv::Mat canvas(image.rows + kLabelHeight, image.cols, CV_8UC3, kBackground);
  image.copyTo(canvas(cv::Rect(0, kLabelHeight, image.cols, image.rows)));
  put_label(canvas, label, {6, kLabelHeight - 11}, image.cols - 12, 0.6);
  return canvas;
}

std::string scale_text(double value) {
  return value == 0 ? "0" : fmt::format("{:.3g}", value);
}

/// A vertical bar of the colour map, hottest at the top, with three labelled ticks.
cv::Mat colour_bar(int height, double top) {
  constexpr int bar_width = 22, text_width = 78;
  cv::Mat1b ramp(height, 1);
  for (int y = 0; y < height; ++y)
    ramp(y, 0) = cv::saturate_cast<uchar>(255.0 * (height - 1 - y) / std::max(1, height - 1));
  cv::Mat colours;
  cv::applyColorMap(ramp, colours, kHeatColormap);
  cv::Mat bar(height, kGap + bar_width + text_width, CV_8UC3, kBackground);
  cv::resize(colours, bar(cv::Rect(kGap, 0, bar_width, height)), {bar_width, height}, 0, 0,
             cv::INTER_NEAREST);
  const double values[] = {top, top / 2, 0};
  const int rows[] = {14, height / 2 + 5, height - 4};
  for (int i = 0; i < 3; ++i) {
    put_label(bar, scale_text(values[i]), {kGap + bar_width + 4, rows[i]}, text_width - 6, 0.5);
  }
  return bar;
}

}  // namespace

cv::Mat heat_colours(const cv::Mat1d& difference, double top) {
  cv::Mat1b levels;
  difference.convertTo(levels, CV_8U, top > 0 ? 255.0 / top : 0.0);
  cv::Mat colours;
  cv::applyColorMap(levels, colours, kHeatColormap);
  return colours;
}

cv::Mat heat_with_scale(const cv::Mat1d& difference, double top, int height) {
  const cv::Mat picture = fitted(heat_colours(difference, top), height, kMaxPanelAspect * height);
  cv::Mat row;
  cv::hconcat(picture, colour_bar(height, top), row);
  return row;
}

cv::Mat heat_map_image(const cv::Mat1d& difference, double top, const std::string& title) {
  return labelled(heat_with_scale(difference, top, std::clamp(difference.rows, 240, 2160)), title);
}

int montage_height(int rows) {
  return std::clamp(rows, 240, 480);
}

cv::Mat display_bgr(const cv::Mat& image) {
  std::vector<cv::Mat> planes;
  cv::split(image, planes);
  if (planes.size() == 2 || planes.size() == 4) planes.pop_back();  // alpha
  cv::Mat joined, eight_bit;
  cv::merge(planes, joined);
  if (joined.depth() == CV_8U) {
    eight_bit = joined;
  } else if (joined.depth() == CV_16U) {
    joined.convertTo(eight_bit, CV_8U, 1.0 / 257.0);
  } else {
    cv::normalize(joined.reshape(1), eight_bit, 0, 255, cv::NORM_MINMAX, CV_8U);
    eight_bit = eight_bit.reshape(joined.channels());
  }
  if (eight_bit.channels() == 3) return eight_bit.clone();
  cv::Mat bgr;
  cv::cvtColor(eight_bit, bgr, cv::COLOR_GRAY2BGR);
  return bgr;
}

cv::Mat montage(const std::vector<Panel>& panels) {
  CV_Assert(!panels.empty());
  const int height = montage_height(panels.front().image.rows);
  std::vector<cv::Mat> pieces;
  for (const Panel& panel : panels) {
    if (!pieces.empty()) pieces.emplace_back(height + kLabelHeight, kGap, CV_8UC3, kBackground);
    pieces.push_back(labelled(fitted(panel.image, height, kMaxPanelAspect * height, kMinPanelWidth),
                              panel.label));
  }
  cv::Mat out;
  cv::hconcat(pieces, out);
  return out;
}

}  // namespace sepconv
