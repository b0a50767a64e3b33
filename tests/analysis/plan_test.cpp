// Which plan `--mode` gives, and when integer arithmetic is used.

#include "analysis/plan.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "kernel/parse.hpp"

namespace sepconv {
namespace {

Plan plan_for(const std::string& kernel_spec, const std::string& mode, int depth = CV_8U,
              std::optional<double> approx = {}) {
  const Kernel kernel = parse_kernel(kernel_spec);
  PlanRequest request = parse_mode(mode);
  request.approx_tolerance = approx;
  return make_plan(kernel, analyze_kernel(kernel), request, depth);
}

TEST(Plan, AutoTakesTheCheapestExactPlan) {
  EXPECT_EQ(plan_for("sobel_x", "auto").mode, Mode::separable);
  EXPECT_EQ(plan_for("log9", "auto").mode, Mode::lowrank);              // 36 < 81
  EXPECT_EQ(plan_for("laplacian4", "auto").mode, Mode::full);           // 12 > 9
  EXPECT_EQ(plan_for("[1 2 1]", "auto").mode, Mode::full);              // 1x3: 3 < 1 + 3
  EXPECT_EQ(plan_for("[1 2 1; 2 4 2]", "auto").mode, Mode::separable);  // 5 < 6
  EXPECT_FALSE(plan_for("log9", "auto").approximate);
}

TEST(Plan, IntegerArithmeticOnlyForIntegerKernelsOnIntegerImages) {
  EXPECT_EQ(plan_for("gaussian3", "separable").arithmetic, Arithmetic::integer);
  EXPECT_EQ(plan_for("gaussian3", "separable").scale, 1.0 / 16);
  EXPECT_EQ(plan_for("gaussian3", "separable", CV_32F).arithmetic, Arithmetic::float32);
  EXPECT_EQ(plan_for("gaussian:5:1", "separable").arithmetic, Arithmetic::float32);
  EXPECT_EQ(plan_for("log9", "lowrank", CV_16U).arithmetic, Arithmetic::integer);
}

TEST(Plan, IntegerPlansWhoseSumsCouldLoseExactnessRunInFloat) {
  // Full sums stay below 2^53 on 16-bit images (2^31 * 65535 < 2^53): integer. The FFT rounds a
  // double transform and wants sums below 2^40: float. The low-rank cross terms of this kernel
  // reach 2^60 a tap: float.
  const std::string huge = "[1073741824 1; 1 1073741824]";
  EXPECT_EQ(plan_for(huge, "full", CV_16U).arithmetic, Arithmetic::integer);
  EXPECT_EQ(plan_for(huge, "fft", CV_16U).arithmetic, Arithmetic::float32);
  EXPECT_EQ(plan_for(huge, "lowrank", CV_16U).arithmetic, Arithmetic::float32);
  EXPECT_EQ(plan_for("log9", "fft", CV_16U).arithmetic, Arithmetic::float64);
}

TEST(Plan, ModesParseAndFailClearly) {
  EXPECT_EQ(parse_mode("lowrank:3").terms, 3);
  EXPECT_THROW(parse_mode("lowrank:0"), Error);
  EXPECT_THROW(parse_mode("lowrank:x"), Error);
  EXPECT_THROW(parse_mode("fast"), Error);
  try {
    plan_for("laplacian4", "separable");
    FAIL() << "separable on a rank-2 kernel must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("rank 2"), std::string::npos) << e.what();
  }
}

TEST(Plan, ApproximateToleranceDropsTerms) {
  // log:9:1.4 has rank 3 (its zero-mean shift adds one term); the third term is tiny.
  const Plan exact = plan_for("log:9:1.4", "lowrank");
  EXPECT_EQ(exact.terms.size(), 3u);
  const Plan approx = plan_for("log:9:1.4", "auto", CV_8U, 0.01);
  EXPECT_EQ(approx.mode, Mode::lowrank);
  EXPECT_EQ(approx.terms.size(), 2u);
  EXPECT_TRUE(approx.approximate);
  EXPECT_GT(approx.approximation_error, 0);
  EXPECT_LE(approx.approximation_error, 0.01);
  EXPECT_EQ(approx.name(), "lowrank:2 (approximate)");
  EXPECT_EQ(plan_for("log9", "lowrank:1").name(), "lowrank:1 (approximate)");
}

}  // namespace
}  // namespace sepconv
