// Kernels so large that exact integer sums would not fit: they must run in float32 and give
// OpenCV's answer to float precision, never a wrapped integer result.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "engine/border.hpp"
#include "engine/engine.hpp"
#include "kernel/kernel.hpp"
#include "support/opencv_oracle.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {

/// A 31x31 kernel of whole numbers near 2^30: the sum of |taps| x 65535 is about 7e16, beyond
/// the 2^53 of exact integer accumulation.
Kernel huge_integer_kernel() {
  cv::Mat1d values(31, 31);
  cv::RNG rng(6);
  for (double& v : values) v = std::ldexp(1.0, 30) - rng.uniform(0, 1000);
  return make_kernel(values, "huge");
}

TEST(HostileKernel, HugeIntegerKernelRunsInFloatAndMatchesOpenCv) {
  const Kernel kernel = huge_integer_kernel();
  const Analysis analysis = analyze_kernel(kernel);
  cv::RNG rng(1);
  const cv::Mat plane = testing::random_plane({40, 33}, CV_16U, rng);
  const Plan plan = make_plan(kernel, analysis, PlanRequest{}, CV_16U);
  EXPECT_EQ(plan.arithmetic, Arithmetic::float32);
  const Border border = parse_border("reflect101");
  const cv::Mat1d ours = run_plan(plan, plane, border);
  const cv::Mat1d oracle = testing::opencv_filter(plane, kernel, border);
  // float32 accumulation: relative error ~1e-6 of the largest sum; a wrapped 64-bit sum would be
  // off by ~1e19 or change sign.
  const double largest = cv::norm(oracle, cv::NORM_INF);
  EXPECT_LT(cv::norm(ours, oracle, cv::NORM_INF), 1e-5 * largest);
  double low = 0;
  cv::minMaxLoc(ours, &low);
  EXPECT_GT(low, 0);  // every tap and pixel is positive
}

TEST(HostileKernel, SmallerIntegerKernelStaysExact) {
  // The same magnitudes in a 3x3 fit 2^53 with 16-bit pixels: 9 x 2^30 x 65535 ~ 6e14.
  const Kernel kernel =
      make_kernel(huge_integer_kernel().values(cv::Rect(0, 0, 3, 3)).clone(), "k");
  const Plan plan = make_plan(kernel, analyze_kernel(kernel), PlanRequest{}, CV_16U);
  EXPECT_EQ(plan.arithmetic, Arithmetic::integer);
  cv::RNG rng(2);
  const cv::Mat plane = testing::random_plane({9, 7}, CV_16U, rng);
  const Border border = parse_border("replicate");
  EXPECT_EQ(cv::norm(run_plan(plan, plane, border), testing::opencv_filter(plane, kernel, border),
                     cv::NORM_INF),
            0);
}

TEST(HostileKernel, BinaryReportsFloatArithmeticAndSaturates) {
  testing::TempDir dir;
  cv::Mat image(16, 16, CV_16U, cv::Scalar(60000));
  ASSERT_TRUE(cv::imwrite(dir / "in.png", image));
  const auto run = testing::run_sepconv(
      "apply '" + dir / "in.png" + "' -k '[1073741824 1073741823 1073741822]' --stats json -o '" +
      dir / "out.png" + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto stats = nlohmann::json::parse(run.out);
  EXPECT_EQ(stats["arithmetic"], "integer");  // 3 x 2^30 x 65535 still fits 2^53
  const auto big =
      testing::run_sepconv("apply '" + dir / "in.png" +
                           "' -k '[1e15 1e15 1e15]' --stats json -o '" + dir / "big.png" + "'");
  ASSERT_EQ(big.status, 0) << big.err;
  EXPECT_EQ(nlohmann::json::parse(big.out)["arithmetic"], "float32");
  // 3e15 x 60000 saturates at the top of 16 bits, not a wrapped small value.
  const cv::Mat out = cv::imread(dir / "big.png", cv::IMREAD_UNCHANGED);
  EXPECT_EQ(cv::norm(out, cv::Mat(16, 16, CV_16U, cv::Scalar(65535)), cv::NORM_INF), 0);
}

// Found by fuzz_kernel_parser: the integer form of this kernel has whole numbers near 2e10, and
// the whole-numbered cross step multiplied two of them in long long (signed overflow, undefined
// behaviour; UBSan stops the sanitizer build here). The terms must still sum to the kernel.
TEST(HostileKernel, FuzzWholeCrossTermOverflow) {
  const Kernel kernel = make_kernel(cv::Mat1d({2, 2}, {91, 0.19, 1e-3, -2.5e2}), "fuzz");
  const Analysis analysis = analyze_kernel(kernel);
  ASSERT_EQ(analysis.rank, 2);
  cv::Mat1d sum = cv::Mat1d::zeros(2, 2);
  for (const SeparableTerm& term : analysis.terms) {
    sum += term.scale * cv::Mat1d(term.column, true) * cv::Mat1d(term.row, true).t();
  }
  EXPECT_LT(cv::norm(sum, kernel.values, cv::NORM_INF),
            1e-9 * cv::norm(kernel.values, cv::NORM_INF));
}

}  // namespace
}  // namespace sepconv
