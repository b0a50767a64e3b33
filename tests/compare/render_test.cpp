// Montage and heat-map pictures keep a bounded size whatever the input's shape.

#include "compare/render.hpp"

#include <gtest/gtest.h>

namespace sepconv {
namespace {

std::vector<Panel> four_panels(cv::Size size) {
  const cv::Mat picture(size, CV_8UC3, cv::Scalar(10, 200, 30));
  return {{picture, "input"}, {picture, "full"}, {picture, "separable"}, {picture, "difference"}};
}

TEST(Montage, ExtremeAspectRatiosGiveBoundedPictures) {
  // Each panel at most 4 x 240 = 960 columns (a 2000x1 strip) or at least 160 (a 1x2000 one), plus
  // the 8-pixel gaps; rows: 240 (or 480) plus the 34-row label bar.
  const cv::Mat wide = montage(four_panels({2000, 1}));
  EXPECT_EQ(wide.rows, 240 + 34);
  EXPECT_EQ(wide.cols, 4 * 960 + 3 * 8);
  const cv::Mat tall = montage(four_panels({1, 2000}));
  EXPECT_EQ(tall.rows, 480 + 34);
  EXPECT_EQ(tall.cols, 4 * 160 + 3 * 8);
  // The strip's colour survives in the middle row of its panel, on the background elsewhere.
  EXPECT_EQ(wide.at<cv::Vec3b>(34 + (240 - 1) / 2, 480), cv::Vec3b(10, 200, 30));
  EXPECT_EQ(wide.at<cv::Vec3b>(34 + 10, 480), cv::Vec3b(40, 40, 40));
}

TEST(Montage, OrdinaryShapesKeepTheirAspectRatio) {
  const cv::Mat m = montage(four_panels({640, 480}));
  EXPECT_EQ(m.rows, 480 + 34);
  EXPECT_EQ(m.cols, 4 * 640 + 3 * 8);
}

TEST(HeatMap, ExtremeAspectRatioIsBounded) {
  const cv::Mat1d strip(1, 2000, 0.5);
  const cv::Mat picture = heat_map_image(strip, 1.0, "title");
  EXPECT_LE(picture.cols, 960 + 200);  // the picture and its colour bar
  EXPECT_LE(picture.rows, 240 + 34);
}

}  // namespace
}  // namespace sepconv
