// --precision fixed: 8-bit images through separable kernels in 16-bit fixed point, on every SIMD
// target, against OpenCV's filter2D in double precision: the observed error never exceeds the
// bound fixed_point_form works out, and the bound keeps smoothing within one grey level.

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "analysis/analysis.hpp"
#include "engine/engine.hpp"
#include "engine/passes.hpp"
#include "engine/passes_fixed.hpp"
#include "kernel/parse.hpp"
#include "support/opencv_oracle.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {

const char* const kBorders[] = {"reflect101",   "reflect", "replicate", "constant:0",
                                "constant:255", "wrap",    "valid"};

Plan fixed_plan(const Kernel& kernel) {
  Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), CV_8U);
  plan.precision = Precision::fixed;
  return plan;
}

/// Noise, and pixels only 0 or 255 (the extremes, where tap rounding weighs most).
cv::Mat test_plane(cv::Size size, bool extremes, cv::RNG& rng) {
  cv::Mat plane = testing::random_plane(size, CV_8U, rng);
  if (extremes) cv::threshold(plane, plane, 127, 255, cv::THRESH_BINARY);
  return plane;
}

class FixedPoint : public ::testing::Test {
 protected:
  void TearDown() override { force_simd_target(0); }
};

TEST_F(FixedPoint, ErrorNeverExceedsTheBoundOnAnyTarget) {
  cv::RNG rng(31);
  const char* const kernels[] = {"gaussian:3",
                                 "gaussian:7:1.5",
                                 "gaussian:15:3",
                                 "box:5",
                                 "gaussian:31",
                                 "[1/16 1/8 1/16; 1/8 1/4 1/8; 1/16 1/8 1/16]",
                                 "[0.1 0.2 0.4 0.2 0.1]",
                                 "[0.05 0.9 0.05]"};
  for (std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    force_simd_target(target);
    SCOPED_TRACE(simd_target_name());
    for (const char* spec : kernels) {
      const Kernel kernel = parse_kernel(spec);
      const Plan plan = fixed_plan(kernel);
      for (const char* name : kBorders) {
        const Border border = parse_border(name);
        const FixedPointForm form = fixed_point_form(plan, CV_8U, CV_8U, ValueMap::clamp, border);
        ASSERT_TRUE(form.applies) << spec << ": " << form.reason;
        EXPECT_LE(form.level_bound(), 1) << spec;
        for (bool extremes : {false, true}) {
          const cv::Size size(rng.uniform(kernel.cols(), 140), rng.uniform(kernel.rows(), 40));
          const cv::Mat plane = test_plane(size, extremes, rng);
          cv::Mat got;
          filter_plane(plan, plane, border, CV_8U, ValueMap::clamp, got);
          cv::Mat1d exact = testing::opencv_filter(plane, kernel, border);
          cv::Mat1d clamped = cv::min(cv::max(exact, 0.0), 255.0);
          cv::Mat1d got_values;
          got.convertTo(got_values, CV_64F);
          EXPECT_LE(cv::norm(got_values, clamped, cv::NORM_INF), form.error_bound + 0.5)
              << spec << " " << name << " extremes " << extremes;
          cv::Mat exact_output;
          filter_plane(make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), CV_8U), plane,
                       border, CV_8U, ValueMap::clamp, exact_output);
          EXPECT_LE(cv::norm(got, exact_output, cv::NORM_INF), form.level_bound()) << spec;
        }
      }
    }
  }
}

TEST_F(FixedPoint, RunsInFixedPointAndItsBoundIsSmall) {
  // Noise filtered in fixed point differs from the exact output somewhere (rounding near .5), so
  // the test above is not passing by running the exact engine; and the bound is a useful one.
  cv::RNG rng(32);
  const Kernel kernel = parse_kernel("gaussian:7:1.5");
  const Plan plan = fixed_plan(kernel);
  const FixedPointForm form = fixed_point_form(plan, CV_8U, CV_8U, ValueMap::clamp, Border{});
  ASSERT_TRUE(form.applies) << form.reason;
  EXPECT_EQ(form.pixel_shift, 7);
  EXPECT_LT(form.error_bound, 0.2);
  const cv::Mat plane = test_plane({513, 97}, false, rng);
  cv::Mat fixed, exact;
  filter_plane(plan, plane, Border{}, CV_8U, ValueMap::clamp, fixed);
  Plan exact_plan = plan;
  exact_plan.precision = Precision::exact;
  filter_plane(exact_plan, plane, Border{}, CV_8U, ValueMap::clamp, exact);
  EXPECT_GT(cv::countNonZero(fixed != exact), 0);
}

TEST_F(FixedPoint, FallsBackToExactWhereItDoesNotApply) {
  cv::RNG rng(33);
  const cv::Mat plane = test_plane({64, 48}, false, rng);
  struct Refused {
    const char* kernel;
    int out_depth;
    const char* border;
  };
  const Refused cases[] = {
      {"[0.1 0.2 0.3; 0.4 0.5 0.6; 0.7 0.8 1.0]", CV_8U, "reflect101"},  // rank 3: not separable
      {"gaussian:5", CV_32F, "reflect101"},                              // float output
      {"gaussian:5", CV_8U, "constant:2.5"},                             // fractional border
      {"[1 4 6 4 1]", CV_8U, "reflect101"},  // taps of 16: sums beyond 16 bits
  };
  for (const Refused& c : cases) {
    const Kernel kernel = parse_kernel(c.kernel);
    const Plan plan = fixed_plan(kernel);
    const Border border = parse_border(c.border);
    const FixedPointForm form = fixed_point_form(plan, CV_8U, c.out_depth, ValueMap::clamp, border);
    EXPECT_FALSE(form.applies) << c.kernel;
    EXPECT_FALSE(form.reason.empty());
    Plan exact_plan = plan;
    exact_plan.precision = Precision::exact;
    cv::Mat got, expected;
    filter_plane(plan, plane, border, c.out_depth, ValueMap::clamp, got);
    filter_plane(exact_plan, plane, border, c.out_depth, ValueMap::clamp, expected);
    EXPECT_EQ(cv::norm(got, expected, cv::NORM_INF), 0) << c.kernel;
  }
}

}  // namespace
}  // namespace sepconv

namespace sepconv {
namespace {

TEST(FixedPointPlan, RunningAPlanLeavesItsIntegerTapsAlone) {
  // Fixed point (and a fractional constant border) work on a float32 copy of an integer plan; the
  // copy once shared its taps with the caller's plan and scaled them in place, so the second run
  // of the same plan came out ten times too dark.
  cv::RNG rng(34);
  const Kernel kernel = parse_kernel("[0.1 0.2 0.4 0.2 0.1]");
  Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("full"), CV_8U);
  ASSERT_EQ(plan.arithmetic, Arithmetic::integer);
  const cv::Mat plane = testing::random_plane({40, 9}, CV_8U, rng);
  for (const char* border : {"constant:2.5", "reflect101"}) {
    plan.precision = Precision::fixed;
    cv::Mat first, second;
    filter_plane(plan, plane, parse_border(border), CV_8U, ValueMap::clamp, first);
    filter_plane(plan, plane, parse_border(border), CV_8U, ValueMap::clamp, second);
    EXPECT_EQ(cv::norm(first, second, cv::NORM_INF), 0) << border;
  }
}

TEST(FixedPointCommand, ApplyReportsTheBoundAndStaysWithinIt) {
  const testing::TempDir dir("fixed_apply");
  const std::string fixed = (dir.path() / "fixed.pgm").string();
  const std::string exact = (dir.path() / "exact.pgm").string();
  const testing::Run run = testing::run_sepconv(
      "apply samples/camera.png -k gaussian:7:1.5 --precision fixed --stats json -o " + fixed);
  ASSERT_EQ(run.status, 0) << run.err;
  const nlohmann::json stats = nlohmann::json::parse(run.out.empty() ? run.err : run.out);
  const nlohmann::json& precision = stats.at("precision");
  EXPECT_EQ(precision.at("used"), "fixed");
  const int levels = precision.at("levels_from_exact").get<int>();
  EXPECT_EQ(levels, 1);
  ASSERT_EQ(testing::run_sepconv("apply samples/camera.png -k gaussian:7:1.5 -o " + exact).status,
            0);
  const cv::Mat a = cv::imread(fixed, cv::IMREAD_UNCHANGED);
  const cv::Mat b = cv::imread(exact, cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(a.empty());
  EXPECT_LE(cv::norm(a, b, cv::NORM_INF), levels);
  EXPECT_GT(cv::countNonZero(a != b), 0);  // fixed point did run
}

TEST(FixedPointCommand, ApplySaysWhyItRanExactly) {
  const testing::TempDir dir("fixed_refused");
  const testing::Run run = testing::run_sepconv(
      "apply samples/camera.png -k '[1 2 3; 4 5 6; 7 8 10]' --precision fixed --stats json -o " +
      (dir.path() / "out.pgm").string());
  ASSERT_EQ(run.status, 0) << run.err;
  const nlohmann::json stats = nlohmann::json::parse(run.out.empty() ? run.err : run.out);
  EXPECT_EQ(stats.at("precision").at("used"), "exact");
  EXPECT_FALSE(stats.at("precision").at("fixed_not_used").get<std::string>().empty());
}

}  // namespace
}  // namespace sepconv
