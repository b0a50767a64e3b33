// Diff metrics against hand-worked examples.

#include "compare/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace sepconv {
namespace {

TEST(Psnr, HandWorkedValues) {
  // 10 log10(255^2 / 1) = 20 log10(255) = 48.1308 dB.
  EXPECT_NEAR(psnr_db(1.0, 255), 48.1308, 1e-4);
  // 10 log10(1 / 0.01) = 20 dB; a zero peak counts as 1.
  EXPECT_NEAR(psnr_db(0.01, 0), 20.0, 1e-12);
  EXPECT_TRUE(std::isinf(psnr_db(0.0, 255)));
}

TEST(DiffMetrics, HandWorkedExample) {
  const cv::Mat1b a = (cv::Mat1b(2, 2) << 10, 20, 30, 40);
  const cv::Mat1b b = (cv::Mat1b(2, 2) << 10, 22, 30, 36);
  const DiffMetrics m = diff_metrics(a, b, 255);
  EXPECT_EQ(m.max_abs, 4);
  EXPECT_EQ(m.mean_abs, 1.5);             // (0 + 2 + 0 + 4) / 4
  EXPECT_EQ(m.mse, 5);                    // (0 + 4 + 0 + 16) / 4
  EXPECT_NEAR(m.psnr_db, 41.1411, 1e-4);  // 10 log10(65025 / 5) = 10 log10(13005)
  EXPECT_EQ(m.identical_fraction, 0.5);
  EXPECT_EQ(m.differing, 2);
}

TEST(DiffMetrics, IdenticalAndMultiChannel) {
  const cv::Mat3f a(3, 5, cv::Vec3f(1.5f, -2.0f, 7.0f));
  cv::Mat3f b = a.clone();
  DiffMetrics m = diff_metrics(a, b, 7);
  EXPECT_EQ(m.max_abs, 0);
  EXPECT_TRUE(std::isinf(m.psnr_db));
  EXPECT_EQ(m.identical_fraction, 1);
  b(1, 2)[1] = -2.5f;  // one sample of 45 differs by 0.5
  m = diff_metrics(a, b, 7);
  EXPECT_EQ(m.max_abs, 0.5);
  EXPECT_NEAR(m.mean_abs, 0.5 / 45, 1e-15);
  EXPECT_NEAR(m.identical_fraction, 44.0 / 45, 1e-15);
  EXPECT_NEAR(m.psnr_db, 10 * std::log10(49 / (0.25 / 45)), 1e-9);
}

TEST(DiffMetrics, DifferenceMapTakesTheLargestChannel) {
  const std::vector<cv::Mat1d> a = {(cv::Mat1d(1, 2) << 0, 5), (cv::Mat1d(1, 2) << 1, 1)};
  const std::vector<cv::Mat1d> b = {(cv::Mat1d(1, 2) << 2, 5), (cv::Mat1d(1, 2) << 4, 0)};
  const cv::Mat1d map = abs_difference_map(a, b);
  EXPECT_EQ(map(0, 0), 3);
  EXPECT_EQ(map(0, 1), 1);
  EXPECT_EQ(max_abs_value(b), 5);
}

}  // namespace
}  // namespace sepconv
