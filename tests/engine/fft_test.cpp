// The FFT engine against the reference engine: every border, tiles that do not divide the image,
// kernels larger than the image, and exact whole sums for integer kernels.

#include "engine/fft.hpp"

#include <gtest/gtest.h>

#include "analysis/analysis.hpp"
#include "engine/engine.hpp"
#include "support/opencv_oracle.hpp"
#include "support/random_kernels.hpp"

namespace sepconv {
namespace {

using testing::random_plane;

using testing::random_kernel;

double relative_difference(const cv::Mat1d& a, const cv::Mat1d& b) {
  return cv::norm(a, b, cv::NORM_INF) / std::max(1.0, cv::norm(b, cv::NORM_INF));
}

TEST(Fft, MatchesTheReferenceForEveryBorder) {
  cv::RNG rng(31);
  for (const char* name : {"reflect101", "reflect", "replicate", "constant:4", "wrap", "valid"}) {
    const Border border = parse_border(name);
    for (bool integer : {true, false}) {
      const Kernel kernel = random_kernel(rng, 25, 19, integer);
      const cv::Mat plane = random_plane({613, 301}, CV_8U, rng);
      const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("fft"), CV_8U);
      ASSERT_EQ(plan.mode, Mode::fft);
      const cv::Mat1d got = run_plan(plan, plane, border);
      const cv::Mat1d expected = run_reference(kernel, plane, border);
      if (integer) {
        EXPECT_EQ(cv::norm(got, expected, cv::NORM_INF), 0) << name;
      } else {
        EXPECT_LT(relative_difference(got, expected), 1e-5) << name;
      }
    }
  }
}

TEST(Fft, KernelLargerThanTheImage) {
  cv::RNG rng(32);
  const Kernel kernel = random_kernel(rng, 31, 31, true);
  const cv::Mat plane = random_plane({9, 14}, CV_16U, rng);
  const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("fft"), CV_16U);
  EXPECT_EQ(cv::norm(run_plan(plan, plane, Border{}), run_reference(kernel, plane, Border{}),
                     cv::NORM_INF),
            0);
}

TEST(Fft, AutoPicksTheTransformOnlyForLargeDenseKernels) {
  cv::RNG rng(33);
  const Kernel large = random_kernel(rng, 31, 31, false);
  const Kernel small = random_kernel(rng, 5, 5, false);
  EXPECT_EQ(make_plan(large, analyze_kernel(large), parse_mode("auto"), CV_32F).mode, Mode::fft);
  EXPECT_EQ(make_plan(small, analyze_kernel(small), parse_mode("auto"), CV_32F).mode, Mode::full);
}

}  // namespace
}  // namespace sepconv
