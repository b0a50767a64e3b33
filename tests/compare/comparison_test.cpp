// compare's numbers for one image, without the binary: the plans it runs, each against OpenCV's
// filter2D, and the differences it reports against cv::norm and cv::PSNR.

#include "compare/comparison.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "support/opencv_oracle.hpp"

namespace sepconv {
namespace {

using testing::opencv_filter;

/// A 3-channel random 8-bit image.
cv::Mat random_colour(cv::RNG& rng) {
  cv::Mat image(21, 34, CV_8UC3);
  rng.fill(image, cv::RNG::UNIFORM, 0, 256);
  return image;
}

TEST(ComparePlans, RankOneRunsFullAndSeparableAndMeasuresTheirDifference) {
  cv::RNG rng(3);
  const cv::Mat image = random_colour(rng);
  // Rank 1 with non-integer taps: separable runs in floating point and may differ from full.
  const cv::Mat1d column = (cv::Mat1d(5, 1) << 0.1, 0.23, 0.34, 0.23, 0.1);
  const Kernel kernel = make_kernel(column * column.t(), "g5");
  const Analysis analysis = analyze_kernel(kernel);
  CompareRequest request;
  request.border = parse_border("reflect101");
  request.runs = 1;
  const PlanComparison c = compare_plans(image, kernel, analysis, request);

  ASSERT_EQ(c.runs.size(), 2u);
  EXPECT_EQ(c.runs[0].plan.mode, Mode::full);
  EXPECT_EQ(c.runs[1].plan.mode, Mode::separable);
  std::vector<cv::Mat> channels;
  cv::split(image, channels);
  for (const PlanRun& run : c.runs) {
    for (int ch = 0; ch < 3; ++ch) {
      EXPECT_LE(cv::norm(run.values[ch], opencv_filter(channels[ch], kernel, request.border),
                         cv::NORM_INF),
                1e-3)
          << run.plan.name() << " channel " << ch;
    }
  }
  ASSERT_EQ(c.diffs.size(), 1u);
  const PairDiff& d = c.diffs[0];
  EXPECT_EQ(d.b, c.runs[1].plan.name());
  ASSERT_EQ(c.outputs[0].type(), CV_8UC3);  // --depth same, --map auto: clamp for a blur
  EXPECT_EQ(d.output.max_abs, cv::norm(c.outputs[1], c.outputs[0], cv::NORM_INF));
  if (d.output.mse > 0) {
    EXPECT_NEAR(d.output.psnr_db, cv::PSNR(c.outputs[1], c.outputs[0], 255), 1e-9);
  }
  EXPECT_EQ(c.heat_top, d.values.max_abs);
  EXPECT_DOUBLE_EQ(predicted_speedup(c.runs[0].plan, c.runs[1].plan), 25.0 / 10.0);
}

TEST(ComparePlans, RankTwoRunsLowRankAndAZeroSumKernelMapsToAbs) {
  cv::RNG rng(4);
  const cv::Mat image = random_colour(rng);
  // Rank 2 (the determinant is 0, the first two rows are independent), taps summing to zero.
  const Kernel kernel = make_kernel((cv::Mat1d(3, 3) << 1, 1, -1, 2, 1, -2, 1, -2, -1), "r2");
  const Analysis analysis = analyze_kernel(kernel);
  ASSERT_EQ(analysis.rank, 2);
  CompareRequest request;
  request.border = parse_border("replicate");
  request.runs = 1;
  const PlanComparison c = compare_plans(image, kernel, analysis, request);
  ASSERT_EQ(c.runs.size(), 2u);
  EXPECT_EQ(c.runs[1].plan.mode, Mode::lowrank);
  EXPECT_EQ(c.map, ValueMap::abs);
  cv::Mat1d full_abs = cv::abs(c.runs[0].values[0]);
  cv::Mat expected;
  full_abs.convertTo(expected, CV_8U);  // saturating, rounded: what --map abs writes to u8
  std::vector<cv::Mat> written;
  cv::split(c.outputs[0], written);
  EXPECT_EQ(cv::norm(written[0], expected, cv::NORM_INF), 0);
}

}  // namespace
}  // namespace sepconv
