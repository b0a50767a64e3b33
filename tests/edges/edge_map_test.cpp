// The edge picture: clamp against OpenCV's convertScaleAbs, the scales against hand-worked values,
// thresholds against cv::threshold, and the requests a depth cannot hold.

#include "edges/edge_map.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace sepconv {
namespace {

TEST(EdgeMap, ClampIsConvertScaleAbs) {
  cv::Mat1f magnitude(37, 53);
  cv::RNG rng(3);
  rng.fill(magnitude, cv::RNG::UNIFORM, 0.0, 700.0);
  magnitude(0, 0) = 25.5f;  // rounds half to even, as OpenCV does
  cv::Mat expected;
  cv::convertScaleAbs(magnitude, expected);
  const EdgeMap map = edge_map(magnitude, CV_8U, {});
  EXPECT_EQ(cv::norm(map.pixels, expected, cv::NORM_INF), 0);
  EXPECT_EQ(map.pixels.at<uchar>(0, 0), 26);
  EXPECT_EQ(*map.full_scale, 255);
  EXPECT_FALSE(map.threshold);
}

TEST(EdgeMap, ClampInto16Bits) {
  const cv::Mat1f magnitude = (cv::Mat1f(1, 3) << 3.4f, 1000.5f, 300000);
  EdgeMapRequest request;
  request.depth = CV_16U;
  const cv::Mat1w out = edge_map(magnitude, CV_16U, request).pixels;
  EXPECT_EQ(out(0, 0), 3);
  EXPECT_EQ(out(0, 1), 1000);  // half to even
  EXPECT_EQ(out(0, 2), 65535);
}

TEST(EdgeMap, StrongestScalesByTheStrongestResponseOnTheInputRange) {
  const cv::Mat1f magnitude = (cv::Mat1f(1, 4) << 0, 51, 99.8f, 600);
  EdgeMapRequest request;
  request.scale = EdgeScale::strongest;
  request.unit_strongest = 2;  // on 8-bit input: 510 is 255, times 0.5
  const EdgeMap map = edge_map(magnitude, CV_8U, request);
  const cv::Mat1b out = map.pixels;
  EXPECT_EQ(*map.full_scale, 510);
  EXPECT_EQ(out(0, 0), 0);
  EXPECT_EQ(out(0, 1), 26);   // 25.5: half to even
  EXPECT_EQ(out(0, 2), 50);   // 49.9
  EXPECT_EQ(out(0, 3), 255);  // 300, saturated
  // On 16-bit input into 16 bits: 2 * 65535 is 65535, so 600 becomes 300.
  request.depth = CV_16U;
  EXPECT_EQ(edge_map(magnitude, CV_16U, request).pixels.at<ushort>(0, 3), 300);
}

TEST(EdgeMap, NormalizeScalesTheLargestToTheTop) {
  const cv::Mat1f magnitude = (cv::Mat1f(1, 3) << 0, 10, 40);
  EdgeMapRequest request;
  request.scale = EdgeScale::normalize;
  const EdgeMap map = edge_map(magnitude, CV_8U, request);
  EXPECT_EQ(*map.full_scale, 40);
  EXPECT_EQ(map.pixels.at<uchar>(0, 1), 64);  // 63.75
  EXPECT_EQ(map.pixels.at<uchar>(0, 2), 255);
  const EdgeMap flat = edge_map(cv::Mat1f(2, 2, 0.0f), CV_8U, request);
  EXPECT_EQ(cv::countNonZero(flat.pixels), 0);
}

TEST(EdgeMap, FixedAndOtsuThresholds) {
  const cv::Mat1f magnitude = (cv::Mat1f(1, 4) << 10, 100, 100.4f, 300);
  EdgeMapRequest request;
  request.level = 100;
  EdgeMap map = edge_map(magnitude, CV_8U, request);
  EXPECT_EQ(*map.threshold, 100);
  const cv::Mat1b fixed = map.pixels;
  EXPECT_EQ(fixed(0, 0), 0);
  EXPECT_EQ(fixed(0, 1), 0);  // above, not at: 100.4 rounds to 100
  EXPECT_EQ(fixed(0, 3), 255);

  cv::Mat1f photo(64, 64);
  cv::RNG rng(9);
  rng.fill(photo, cv::RNG::NORMAL, 60.0, 20.0);
  photo(cv::Rect(0, 0, 64, 20)) += 120.0f;
  cv::Mat eight_bit, expected;
  cv::convertScaleAbs(photo, eight_bit);
  const double level =
      cv::threshold(eight_bit, expected, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  request = {};
  request.otsu = true;
  map = edge_map(photo, CV_8U, request);
  EXPECT_EQ(*map.threshold, level);
  EXPECT_EQ(cv::norm(map.pixels, expected, cv::NORM_INF), 0);
}

TEST(EdgeMap, FloatIsTheExactMagnitude) {
  const cv::Mat1f magnitude = (cv::Mat1f(1, 2) << 0.25f, 1234.5f);
  EdgeMapRequest request;
  request.depth = CV_32F;
  const EdgeMap map = edge_map(magnitude, CV_8U, request);
  EXPECT_EQ(map.pixels.at<float>(0, 1), 1234.5f);
  EXPECT_FALSE(map.full_scale);
}

TEST(EdgeMap, RequestsADepthCannotHold) {
  EdgeMapRequest request;
  request.depth = CV_32F;
  request.otsu = true;
  EXPECT_THROW(check_edge_map_request(request), Error);
  request.otsu = false;
  request.scale = EdgeScale::strongest;
  EXPECT_THROW(check_edge_map_request(request), Error);
  request.depth = CV_16U;
  EXPECT_NO_THROW(check_edge_map_request(request));
  request.level = 3;
  EXPECT_THROW(check_edge_map_request(request), Error);
  EXPECT_THROW(parse_edge_scale("max"), Error);
  EXPECT_EQ(parse_edge_scale("strongest"), EdgeScale::strongest);
}

}  // namespace
}  // namespace sepconv
