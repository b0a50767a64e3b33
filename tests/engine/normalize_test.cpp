// --map normalize on the streaming path keeps the engine's own sums (int16, int32, float32)
// instead of a plane of doubles: every sample must be what the whole plane of doubles gave,
// bit for bit, for each kind of sums, each output depth, and planes holding NaN and infinities.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <opencv2/core.hpp>
#include <string>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "engine/engine.hpp"
#include "engine/streaming.hpp"
#include "kernel/parse.hpp"

namespace sepconv {
namespace {

/// The plane-of-doubles normalize, written out: the range of the finite values in row order,
/// then (v - low) * top / (high - low) for the whole plane, NaN as 0 and +-1e9 at most for an
/// integer depth, rounded by OpenCV's conversion.
cv::Mat whole_plane_normalize(const cv::Mat1d& values, int depth) {
  double low = 0, high = 0;
  bool found = false;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    low = found ? std::min(low, v) : v;
    high = found ? std::max(high, v) : v;
    found = true;
  }
  const double top = depth == CV_8U    ? 255.0
                     : depth == CV_16U ? 65535.0
                     : depth == CV_16S ? 32767.0
                                       : 1.0;
  const double scale = high > low ? top / (high - low) : 0.0;
  const cv::Mat1d shifted = values - low;
  cv::Mat1d stretched = shifted * scale;
  if (depth != CV_32F) {
    stretched.forEach(
        [](double& v, const int*) { v = std::isnan(v) ? 0.0 : std::clamp(v, -1e9, 1e9); });
  }
  cv::Mat out;
  stretched.convertTo(out, depth);
  return out;
}

bool same_bytes(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  for (int y = 0; y < a.rows; ++y) {
    if (std::memcmp(a.ptr(y), b.ptr(y), a.cols * a.elemSize()) != 0) return false;
  }
  return true;
}

void expect_as_whole_plane(const std::string& kernel_text, const cv::Mat& plane,
                           int expected_sums_depth) {
  const Kernel kernel = parse_kernel(kernel_text);
  const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), plane.depth());
  ASSERT_TRUE(streaming_supports(plan, plane.depth())) << kernel_text;
  const int sums_depth = fits_16_bits(plan, plane.depth())        ? CV_16S
                         : plan.arithmetic == Arithmetic::integer ? CV_32S
                                                                  : CV_32F;
  EXPECT_EQ(sums_depth, expected_sums_depth) << kernel_text;
  const cv::Mat1d values = run_plan(plan, plane, Border{});
  for (const int depth : {CV_8U, CV_16U, CV_16S, CV_32F}) {
    cv::Mat got;
    filter_plane(plan, plane, Border{}, depth, ValueMap::normalize, got);
    EXPECT_TRUE(same_bytes(got, whole_plane_normalize(values, depth)))
        << kernel_text << " into depth " << depth;
  }
}

TEST(NormalizeMap, EachKindOfSumsGivesTheWholePlaneSamples) {
  cv::RNG rng(17);
  cv::Mat1b u8(123, 217);
  rng.fill(u8, cv::RNG::UNIFORM, 0, 256);
  cv::Mat1w u16(61, 97);
  rng.fill(u16, cv::RNG::UNIFORM, 0, 65536);
  expect_as_whole_plane("sobel_x", u8, CV_16S);
  expect_as_whole_plane("[1 4 6 4 1; 4 16 24 16 4; 6 24 36 24 6; 4 16 24 16 4; 1 4 6 4 1]", u8,
                        CV_32S);
  expect_as_whole_plane("[0.3183098861837907 0.7071067811865476; 0.5772156649015329 -0.2]", u8,
                        CV_32F);
  expect_as_whole_plane("box3", u16, CV_32S);
}

TEST(NormalizeMap, NanAndInfinitiesStayOutOfTheRange) {
  cv::Mat1f plane(40, 50);
  cv::RNG(5).fill(plane, cv::RNG::UNIFORM, -3.0f, 3.0f);
  plane(7, 9) = std::numeric_limits<float>::quiet_NaN();
  plane(20, 30) = std::numeric_limits<float>::infinity();
  plane(33, 1) = -std::numeric_limits<float>::infinity();
  expect_as_whole_plane("[0.25 0.5 0.25]", plane, CV_32F);
  // An independent look: the finite samples span exactly [0, 1]; the NaN window stays NaN.
  const Kernel kernel = parse_kernel("[0.25 0.5 0.25]");
  const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), CV_32F);
  cv::Mat got;
  filter_plane(plan, plane, Border{}, CV_32F, ValueMap::normalize, got);
  double low = 2, high = -1;
  for (float v : cv::Mat1f(got)) {
    if (!std::isfinite(v)) continue;
    low = std::min<double>(low, v);
    high = std::max<double>(high, v);
  }
  EXPECT_EQ(low, 0.0);
  EXPECT_EQ(high, 1.0);
  EXPECT_TRUE(std::isnan(got.at<float>(7, 9)));
}

}  // namespace
}  // namespace sepconv
