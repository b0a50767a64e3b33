// The edge scale (strongest possible response) against hand-worked values and a brute-force
// search; luma against the ITU-R BT.601 weights.

#include "edges/gradient.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/depth.hpp"
#include "core/error.hpp"

namespace sepconv {
namespace {

/// Brute force: the support function sum_i max(0, <g_i, u>) sampled over many directions u.
double sampled_l2_maximum(const Kernel& x, const Kernel& y) {
  double best = 0;
  for (int k = 0; k < 200000; ++k) {
    const double theta = 2 * M_PI * k / 200000;
    double sum = 0;
    for (int i = 0; i < static_cast<int>(x.values.total()); ++i) {
      sum += std::max(0.0, std::cos(theta) * x.values(i) + std::sin(theta) * y.values(i));
    }
    best = std::max(best, sum);
  }
  return best;
}

/// |gx| + |gy| is largest where one of the four sign combinations of gx and gy is.
double l1_maximum(const Kernel& x, const Kernel& y) {
  double best = 0;
  for (int sx : {-1, 1}) {
    for (int sy : {-1, 1}) {
      double sum = 0;
      for (int i = 0; i < static_cast<int>(x.values.total()); ++i) {
        sum += std::max(0.0, sx * x.values(i) + sy * y.values(i));
      }
      best = std::max(best, sum);
    }
  }
  return best;
}

TEST(StrongestResponse, HandWorked3x3) {
  // Sobel: for a direction (c, s) with c >= s >= 0 the positive taps sum to 4c + 2s, at most
  // sqrt(16 + 4); L1: kx + ky = [-2 -2 0; -2 0 2; 0 2 2], positives 6.
  EdgeKernels sobel = edge_kernels("sobel", 3);
  EXPECT_NEAR(strongest_response(sobel.x, sobel.y, MagnitudeNorm::l2), std::sqrt(20.0), 1e-12);
  EXPECT_NEAR(strongest_response(sobel.x, sobel.y, MagnitudeNorm::l1), 6.0, 1e-12);
  // Prewitt: 3c + s, sqrt(10); L1 4. Scharr: 16c + 10s, sqrt(356); L1 26.
  EdgeKernels prewitt = edge_kernels("prewitt", 3);
  EXPECT_NEAR(strongest_response(prewitt.x, prewitt.y, MagnitudeNorm::l2), std::sqrt(10.0), 1e-12);
  EXPECT_NEAR(strongest_response(prewitt.x, prewitt.y, MagnitudeNorm::l1), 4.0, 1e-12);
  EdgeKernels scharr = edge_kernels("scharr", 3);
  EXPECT_NEAR(strongest_response(scharr.x, scharr.y, MagnitudeNorm::l2), std::sqrt(356.0), 1e-12);
  EXPECT_NEAR(strongest_response(scharr.x, scharr.y, MagnitudeNorm::l1), 26.0, 1e-12);
}

TEST(StrongestResponse, LargerSobelAgainstBruteForce) {
  for (int ksize : {5, 7}) {
    const EdgeKernels k = edge_kernels("sobel", ksize);
    const double exact = strongest_response(k.x, k.y, MagnitudeNorm::l2);
    const double sampled = sampled_l2_maximum(k.x, k.y);
    EXPECT_GE(exact, sampled - 1e-9) << ksize;
    EXPECT_NEAR(exact, sampled, 1e-6 * exact) << ksize;
    EXPECT_NEAR(strongest_response(k.x, k.y, MagnitudeNorm::l1), l1_maximum(k.x, k.y), 1e-9)
        << ksize;
  }
}

TEST(EdgeKernels, SizesAndErrors) {
  const EdgeKernels k = edge_kernels("sobel", 5);
  EXPECT_EQ(k.x.rows(), 5);
  EXPECT_TRUE(k.x_analysis.separable);
  // getDerivKernels(1, 0, 5): smoothing [1 4 6 4 1] down, derivative [-1 -2 0 2 1] across.
  EXPECT_EQ(k.x.values(2, 4), 6);
  EXPECT_EQ(k.x.values(0, 3), 2);
  EXPECT_THROW(edge_kernels("scharr", 5), Error);
  EXPECT_THROW(edge_kernels("canny", 3), Error);
  EXPECT_THROW(edge_kernels("sobel", 9), Error);
}

TEST(Luma, Bt601Weights) {
  const cv::Mat3b bgr(1, 1, cv::Vec3b(10, 20, 30));
  // 0.114 * 10 + 0.587 * 20 + 0.299 * 30 = 21.85
  EXPECT_EQ(luma(bgr).at<uchar>(0, 0), 22);
  const cv::Mat2b gray_alpha(1, 1, cv::Vec2b(77, 3));
  EXPECT_EQ(luma(gray_alpha).at<uchar>(0, 0), 77);
  EXPECT_EQ(depth_top(CV_8U), 255);
  EXPECT_EQ(depth_top(CV_16U), 65535);
  EXPECT_EQ(depth_top(CV_32F), 1);
}

}  // namespace
}  // namespace sepconv
