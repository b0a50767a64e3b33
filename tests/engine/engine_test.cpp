// Every engine against OpenCV (an implementation sepconv did not write) and against the reference
// engine, over border modes, depths, odd sizes and random kernels.

#include "engine/engine.hpp"

#include <gtest/gtest.h>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "core/error.hpp"
#include "support/opencv_oracle.hpp"
#include "support/random_kernels.hpp"

namespace sepconv {
namespace {

using testing::opencv_filter;
using testing::random_plane;

using testing::kBorders;
using testing::random_kernel;

Kernel kernel_of(cv::Mat1d values, cv::Point anchor = {-1, -1}) {
  return make_kernel(values, "test", "", anchor);
}

Kernel random_separable_kernel(cv::RNG& rng, int rows, int cols, bool integer) {
  cv::Mat1d column(rows, 1), row(1, cols);
  for (double& v : column) v = integer ? rng.uniform(-3, 4) : rng.uniform(-1.0, 1.0);
  for (double& v : row) v = integer ? rng.uniform(-3, 4) : rng.uniform(-1.0, 1.0);
  column(0, 0) = integer ? 1 : 0.5;  // never the all-zero kernel
  row(0, 0) = integer ? 2 : 0.25;
  return kernel_of(column * row, {rng.uniform(0, cols), rng.uniform(0, rows)});
}

double relative_difference(const cv::Mat1d& a, const cv::Mat1d& b) {
  const double scale = std::max(1.0, cv::norm(b, cv::NORM_INF));
  return cv::norm(a, b, cv::NORM_INF) / scale;
}

TEST(Engine, ReferenceMatchesOpenCVForEveryBorder) {
  cv::RNG rng(1);
  for (const char* name : kBorders) {
    const Border border = parse_border(name);
    const Kernel kernel = random_kernel(rng, 3, 5, false);
    const cv::Mat plane = random_plane({13, 9}, CV_8U, rng);
    EXPECT_LT(relative_difference(run_reference(kernel, plane, border),
                                  opencv_filter(plane, kernel, border)),
              1e-12)
        << name;
  }
}

TEST(Engine, EveryPlanMatchesOpenCVOverBordersDepthsAndSizes) {
  cv::RNG rng(2);
  const cv::Size sizes[] = {{1, 1}, {1, 17}, {17, 1}, {2, 3}, {7, 5}, {31, 33}, {64, 20}};
  const int depths[] = {CV_8U, CV_16U, CV_16S, CV_32F};
  for (const char* name : kBorders) {
    const Border border = parse_border(name);
    for (cv::Size size : sizes) {
      for (int depth : depths) {
        for (bool integer : {true, false}) {
          const int rows = rng.uniform(1, 6), cols = rng.uniform(1, 6);
          if (border.kind == BorderKind::valid && (rows > size.height || cols > size.width))
            continue;
          const Kernel kernel = random_separable_kernel(rng, rows, cols, integer);
          const Analysis analysis = analyze_kernel(kernel);
          const cv::Mat plane = random_plane(size, depth, rng);
          const cv::Mat1d expected = opencv_filter(plane, kernel, border);
          // float32 accumulation: a few ulps of the largest partial sum.
          const double tolerance = depth == CV_32F || !integer ? 2e-5 : 0;
          for (const PlanRequest& mode : {parse_mode("full"), parse_mode("separable")}) {
            const Plan plan = make_plan(kernel, analysis, mode, depth);
            const cv::Mat1d got = run_plan(plan, plane, border);
            ASSERT_EQ(got.size(), expected.size());
            EXPECT_LE(relative_difference(got, expected), tolerance)
                << name << " " << size << " depth " << depth << " kernel " << kernel.values
                << " mode " << mode_name(plan.mode);
          }
        }
      }
    }
  }
}

TEST(Engine, FullMatchesOpenCVForNonSeparableKernelsAndOffCentreAnchors) {
  cv::RNG rng(3);
  for (const char* name : kBorders) {
    const Border border = parse_border(name);
    for (int trial = 0; trial < 6; ++trial) {
      const Kernel kernel = random_kernel(rng, rng.uniform(1, 8), rng.uniform(1, 8), trial % 2);
      const cv::Mat plane = random_plane({rng.uniform(8, 40), rng.uniform(8, 40)}, CV_8U, rng);
      const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("full"), CV_8U);
      const double tolerance = plan.arithmetic == Arithmetic::integer ? 0 : 2e-5;
      EXPECT_LE(
          relative_difference(run_plan(plan, plane, border), opencv_filter(plane, kernel, border)),
          tolerance)
          << name << " " << kernel.values;
    }
  }
}

TEST(Engine, KernelLargerThanTheImageStillMatchesOpenCV) {
  cv::RNG rng(4);
  for (const char* name : {"reflect101", "reflect", "replicate", "constant:3", "wrap"}) {
    const Border border = parse_border(name);
    const Kernel kernel = random_separable_kernel(rng, 9, 7, true);
    const cv::Mat plane = random_plane({3, 2}, CV_8U, rng);
    for (const PlanRequest& mode : {parse_mode("full"), parse_mode("separable")}) {
      const Plan plan = make_plan(kernel, analyze_kernel(kernel), mode, CV_8U);
      const cv::Mat1d got = run_plan(plan, plane, border);
      // OpenCV switches to a DFT for kernels this large, exact only to about 1e-11; the reference
      // engine sums whole numbers exactly.
      EXPECT_LE(relative_difference(got, opencv_filter(plane, kernel, border)), 1e-10) << name;
      EXPECT_EQ(cv::norm(got, run_reference(kernel, plane, border), cv::NORM_INF), 0) << name;
    }
  }
}

TEST(Engine, IntegerFullAndSeparableAreBitIdentical) {
  cv::RNG rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const Kernel kernel =
        random_separable_kernel(rng, 2 * rng.uniform(1, 4) + 1, 2 * rng.uniform(1, 4) + 1, true);
    const Analysis analysis = analyze_kernel(kernel);
    const cv::Mat plane = random_plane({45, 31}, trial % 2 ? CV_16U : CV_8U, rng);
    const Border border = parse_border(kBorders[trial % 7]);
    const Plan full = make_plan(kernel, analysis, parse_mode("full"), plane.depth());
    const Plan separable = make_plan(kernel, analysis, parse_mode("separable"), plane.depth());
    ASSERT_EQ(separable.arithmetic, Arithmetic::integer);
    EXPECT_EQ(
        cv::norm(run_plan(full, plane, border), run_plan(separable, plane, border), cv::NORM_INF),
        0)
        << kernel.values;
  }
}

TEST(Engine, ValidBorderShrinksTheOutput) {
  const Kernel kernel = kernel_of(cv::Mat1d::ones(5, 5));
  const cv::Mat plane(12, 12, CV_8U, cv::Scalar(1));
  const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), CV_8U);
  const cv::Mat1d out = run_plan(plan, plane, parse_border("valid"));
  EXPECT_EQ(out.size(), cv::Size(8, 8));
  EXPECT_EQ(out(0, 0), 25);
  EXPECT_THROW(output_size({4, 12}, {5, 5}, parse_border("valid")), Error);
}

TEST(Engine, SobelOnARampIsTheHandWorkedSlope) {
  // A ramp rising by 3 per column: sobel_x sees (1+2+1) * (3 - -3) = 24 everywhere inside.
  cv::Mat1b ramp(6, 8);
  for (int y = 0; y < ramp.rows; ++y)
    for (int x = 0; x < ramp.cols; ++x) ramp(y, x) = static_cast<uchar>(3 * x);
  const Kernel sobel = kernel_of(cv::Mat1d({3, 3}, {-1, 0, 1, -2, 0, 2, -1, 0, 1}));
  const Plan plan = make_plan(sobel, analyze_kernel(sobel), parse_mode("separable"), CV_8U);
  const cv::Mat1d out = run_plan(plan, ramp, parse_border("replicate"));
  EXPECT_EQ(out(2, 3), 24);
  EXPECT_EQ(out(0, 0), 12);  // replicate: the left neighbour of column 0 is column 0 itself
}

TEST(Engine, CountsAreWhatTheEnginesExecute) {
  cv::RNG rng(6);
  for (const char* name : kBorders) {
    const Border border = parse_border(name);
    const Kernel kernel = random_separable_kernel(rng, 3, 5, true);
    const Analysis analysis = analyze_kernel(kernel);
    const cv::Size size(23, 17);
    for (const PlanRequest& mode : {parse_mode("full"), parse_mode("separable")}) {
      const Plan plan = make_plan(kernel, analysis, mode, CV_8U);
      EXPECT_EQ(count_executed_ops(plan, size, border), planned_ops(plan, size, border))
          << name << " " << mode_name(plan.mode);
    }
  }
}

TEST(Engine, InteriorCountsPerPixelAreThePrimersNumbers) {
  // 3x3 on a padded border: 9 multiplications and 8 additions full, 6 and 4 separated, per pixel.
  const Kernel sobel = kernel_of(cv::Mat1d({3, 3}, {-1, 0, 1, -2, 0, 2, -1, 0, 1}));
  const Analysis analysis = analyze_kernel(sobel);
  const cv::Size size(10, 10);
  const Border border;
  const OpCount full =
      count_executed_ops(make_plan(sobel, analysis, parse_mode("full"), CV_8U), size, border);
  const OpCount separable =
      count_executed_ops(make_plan(sobel, analysis, parse_mode("separable"), CV_8U), size, border);
  EXPECT_EQ(full, (OpCount{900, 800}));
  EXPECT_EQ(separable, (OpCount{600, 400}));
}

TEST(Engine, LowRankMatchesOpenCVForKernelsOfEveryRank) {
  cv::RNG rng(7);
  for (const char* name : kBorders) {
    const Border border = parse_border(name);
    for (bool integer : {true, false}) {
      const Kernel kernel = random_kernel(rng, rng.uniform(2, 8), rng.uniform(2, 8), integer);
      const cv::Mat plane = random_plane({rng.uniform(8, 30), rng.uniform(8, 30)}, CV_16U, rng);
      const Analysis analysis = analyze_kernel(kernel);
      const Plan plan = make_plan(kernel, analysis, parse_mode("lowrank"), CV_16U);
      EXPECT_EQ(plan.terms.size(), static_cast<size_t>(analysis.rank));
      EXPECT_LE(
          relative_difference(run_plan(plan, plane, border), opencv_filter(plane, kernel, border)),
          integer && plan.arithmetic == Arithmetic::integer ? 0 : 1e-4)
          << name << " " << kernel.values;
    }
  }
}

TEST(Engine, IntegerLowRankIsBitIdenticalToFull) {
  // laplacian4 = [1 -4 1]^T [0 1 0] + [0 1 0]^T [1 0 1], and a random rank-3 integer kernel.
  cv::RNG rng(8);
  cv::Mat1d random_rank3(5, 5, 0.0);
  for (int t = 0; t < 3; ++t) {
    cv::Mat1d column(5, 1), row(1, 5);
    for (double& v : column) v = rng.uniform(-2, 3);
    for (double& v : row) v = rng.uniform(-2, 3);
    random_rank3 += column * row;
  }
  const Kernel kernels[] = {kernel_of(cv::Mat1d({3, 3}, {0, 1, 0, 1, -4, 1, 0, 1, 0})),
                            kernel_of(random_rank3)};
  for (const Kernel& kernel : kernels) {
    const Analysis analysis = analyze_kernel(kernel);
    const Plan lowrank = make_plan(kernel, analysis, parse_mode("lowrank"), CV_8U);
    ASSERT_EQ(lowrank.arithmetic, Arithmetic::integer) << kernel.values;
    const cv::Mat plane = random_plane({40, 25}, CV_8U, rng);
    const Plan full = make_plan(kernel, analysis, parse_mode("full"), CV_8U);
    EXPECT_EQ(
        cv::norm(run_plan(full, plane, Border{}), run_plan(lowrank, plane, Border{}), cv::NORM_INF),
        0);
  }
}

TEST(Engine, LowRankCountsAreWhatTheEngineExecutes) {
  cv::RNG rng(9);
  const Kernel kernel = random_kernel(rng, 5, 4, false);
  const Analysis analysis = analyze_kernel(kernel);
  for (const char* name : {"reflect101", "valid"}) {
    const Border border = parse_border(name);
    for (const char* mode : {"lowrank", "lowrank:2"}) {
      const Plan plan = make_plan(kernel, analysis, parse_mode(mode), CV_8U);
      EXPECT_EQ(count_executed_ops(plan, {19, 11}, border), planned_ops(plan, {19, 11}, border))
          << name << " " << mode;
    }
  }
  // Interior: rank 4 of a 5x4 kernel is 4*(5+4) = 36 multiplications, 4*(4+3) + 3 = 31 additions.
  const Plan plan = make_plan(kernel, analysis, parse_mode("lowrank"), CV_8U);
  EXPECT_EQ(count_executed_ops(plan, {10, 10}, Border{}), (OpCount{3600, 3100}));
}

}  // namespace
}  // namespace sepconv
