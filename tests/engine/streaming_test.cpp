// The streaming engine on every SIMD target Highway compiled, against the reference engine, over
// odd widths, every border, depth and plan; and its executed counts against an instrumented run.

#include "engine/streaming.hpp"

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include "analysis/analysis.hpp"
#include "engine/engine.hpp"
#include "engine/passes.hpp"
#include "support/opencv_oracle.hpp"
#include "support/random_kernels.hpp"

namespace sepconv {
namespace {

using testing::random_plane;

using testing::kBorders;

using testing::random_lowrank_kernel;

double relative_difference(const cv::Mat1d& a, const cv::Mat1d& b) {
  return cv::norm(a, b, cv::NORM_INF) / std::max(1.0, cv::norm(b, cv::NORM_INF));
}

/// Restores the best SIMD target and the thread count whatever a test does.
class Streaming : public ::testing::Test {
 protected:
  void TearDown() override {
    force_simd_target(0);
    set_engine_threads(0);
  }
};

TEST_F(Streaming, EveryTargetMatchesTheReference) {
  const std::vector<std::int64_t> targets = hwy::SupportedAndGeneratedTargets();
  ASSERT_GE(targets.size(), 2u) << "expected the best target and a baseline";
  cv::RNG rng(21);
  const int widths[] = {1, 7, 31, 33, 1001};
  const int depths[] = {CV_8U, CV_16U, CV_16S, CV_32F};
  for (std::int64_t target : targets) {
    force_simd_target(target);
    SCOPED_TRACE(simd_target_name());
    for (int width : widths) {
      for (const char* name : kBorders) {
        const Border border = parse_border(name);
        const int depth = depths[rng.uniform(0, 4)];
        const int rank = rng.uniform(1, 4);
        const bool integer = rng.uniform(0, 2) == 1;
        const Kernel kernel =
            random_lowrank_kernel(rng, rng.uniform(1, 7), rng.uniform(1, 7), rank, integer);
        const int height = rng.uniform(1, 40);
        if (border.kind == BorderKind::valid && (kernel.cols() > width || kernel.rows() > height)) {
          continue;
        }
        const cv::Mat plane = random_plane({width, height}, depth, rng);
        const cv::Mat1d expected = run_reference(kernel, plane, border);
        const Analysis analysis = analyze_kernel(kernel);
        for (const char* mode : {"full", "lowrank", "auto"}) {
          const Plan plan = make_plan(kernel, analysis, parse_mode(mode), depth);
          ASSERT_TRUE(streaming_supports(plan, depth));
          const cv::Mat1d got = run_plan(plan, plane, border);
          const bool exact = plan.arithmetic == Arithmetic::integer &&
                             (border.kind != BorderKind::constant || border.value == 9);
          EXPECT_LE(relative_difference(got, expected), exact ? 0 : 2e-5)
              << name << " width " << width << " depth " << depth << " " << plan.name() << "\n"
              << kernel.values;
        }
      }
    }
  }
}

TEST_F(Streaming, FloatPlanesReadInPlaceMatchTheReference) {
  // Float images are read where they are and only the border columns are copied: every border,
  // widths around the kernel's and around 32 (where the 16-column edges leave no interior, one
  // column, more), off-centre anchors, a
  // view into a larger image (rows not contiguous), on every target and on two threads.
  cv::RNG rng(33);
  for (std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    force_simd_target(target);
    SCOPED_TRACE(simd_target_name());
    for (const char* name : kBorders) {
      const Border border = parse_border(name);
      for (int kw : {1, 3, 6}) {
        for (int width : {1, kw - 1, kw, kw + 1, kw + 2, 32, 33, 34, 70}) {
          if (width < 1) continue;
          const Kernel kernel =
              random_lowrank_kernel(rng, kw, rng.uniform(1, 6), rng.uniform(1, 3), false);
          const int height = rng.uniform(1, 80);
          if (border.kind == BorderKind::valid && (kernel.cols() > width || kernel.rows() > height))
            continue;
          const cv::Mat big = random_plane({width + 5, height + 2}, CV_32F, rng);
          const cv::Mat plane = big(cv::Rect(2, 1, width, height));
          const cv::Mat1d expected = run_reference(kernel, plane, border);
          for (const char* mode : {"full", "lowrank"}) {
            const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode(mode), CV_32F);
            for (int threads : {1, 2}) {
              set_engine_threads(threads);
              EXPECT_LE(relative_difference(run_plan(plan, plane, border), expected), 2e-5)
                  << name << " width " << width << " " << plan.name() << " threads " << threads
                  << "\n"
                  << kernel.values;
            }
          }
        }
      }
    }
  }
}

TEST_F(Streaming, OutputSamplesMatchConvertingTheExactValues) {
  // Straight into u8/u16/s16/f32 with each map, on every target: what filter_plane writes must be
  // what convert_plane makes of the exact values (to one level for float plans).
  cv::RNG rng(24);
  const char* const kernels[] = {"[-1 0 1; -2 0 2; -1 0 1]", "[1 2 1; 2 4 2; 1 2 1] ",
                                 "[1 1 1; 1 1 1; 1 1 1]", "[0.3 -0.7 0.25; 0.1 0.9 -0.4]"};
  const double scales[] = {1.0, 1.0 / 16, 1.0 / 9, 1.0};
  for (std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    force_simd_target(target);
    SCOPED_TRACE(simd_target_name());
    for (int k = 0; k < 4; ++k) {
      const Kernel kernel = make_kernel(
          cv::Mat1d(cv::Mat1d(testing::parse_matrix(kernels[k])) * scales[k]), kernels[k]);
      for (int in_depth : {CV_8U, CV_16U, CV_32F}) {
        const cv::Mat plane = random_plane({67, 13}, in_depth, rng);
        const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), in_depth);
        // Integer plans: the exact sums times the scale, which run_plan returns as doubles (and
        // other tests hold to OpenCV); a reference sum of float products may sit a hair off a
        // rounding tie that the exact value lands on.
        const cv::Mat1d exact = plan.arithmetic == Arithmetic::integer
                                    ? run_plan(plan, plane, Border{})
                                    : run_reference(kernel, plane, Border{});
        for (int out_depth : {CV_8U, CV_16U, CV_16S, CV_32F}) {
          for (ValueMap map : {ValueMap::clamp, ValueMap::abs, ValueMap::offset}) {
            cv::Mat got;
            filter_plane(plan, plane, Border{}, out_depth, map, got);
            const cv::Mat expected = convert_plane(exact, out_depth, map);
            const double difference = cv::norm(got, expected, cv::NORM_INF);
            const double allowed = plan.arithmetic == Arithmetic::integer ? 0
                                   : out_depth == CV_32F
                                       ? 1e-3 * std::max(1.0, cv::norm(expected, cv::NORM_INF))
                                       : 1;
            EXPECT_LE(difference, allowed) << kernels[k] << " in " << in_depth << " out "
                                           << out_depth << " map " << value_map_name(map);
          }
        }
      }
    }
  }
}

TEST_F(Streaming, ThreadsAndStripsGiveTheSamePixels) {
  cv::RNG rng(22);
  const Kernel kernel = random_lowrank_kernel(rng, 7, 5, 2, false);
  const cv::Mat plane = random_plane({301, 517}, CV_8U, rng);
  const Analysis analysis = analyze_kernel(kernel);
  for (const char* mode : {"full", "lowrank"}) {
    const Plan plan = make_plan(kernel, analysis, parse_mode(mode), CV_8U);
    set_engine_threads(1);
    const cv::Mat1d one = run_plan(plan, plane, Border{});
    set_engine_threads(4);
    const cv::Mat1d four = run_plan(plan, plane, Border{});
    EXPECT_EQ(cv::norm(one, four, cv::NORM_INF), 0) << mode;
  }
}

TEST_F(Streaming, ExecutedCountsAreWhatAnInstrumentedRunCounts) {
  cv::RNG rng(23);
  for (const char* name : {"reflect101", "constant:3", "valid"}) {
    const Border border = parse_border(name);
    for (bool integer : {true, false}) {
      const Kernel kernel = random_lowrank_kernel(rng, 5, 3, 2, integer);
      const cv::Mat plane = random_plane({37, 29}, CV_8U, rng);
      const Analysis analysis = analyze_kernel(kernel);
      for (const char* mode : {"full", "lowrank"}) {
        const Plan plan = make_plan(kernel, analysis, parse_mode(mode), CV_8U);
        set_engine_threads(1);
        cv::Mat out;
        const OpCount executed = filter_plane(plan, plane, border, CV_32F, ValueMap::clamp, out);
        EXPECT_EQ(executed, count_streaming_ops(plan, plane, border)) << name << " " << mode;
      }
    }
  }
}

TEST_F(Streaming, SobelSkipsItsZeroTaps) {
  // sobel_x separated: [1 2 1] vertically (3 taps), [-1 0 1] horizontally (2 taps once the zero
  // is skipped): 5 multiplications a pixel, against the dense 6. Interior rows only, one thread.
  const Kernel sobel = make_kernel(cv::Mat1d({3, 3}, {-1, 0, 1, -2, 0, 2, -1, 0, 1}), "sobel_x");
  const Plan plan = make_plan(sobel, analyze_kernel(sobel), parse_mode("separable"), CV_8U);
  const cv::Mat plane(100, 50, CV_8U, cv::Scalar(3));
  set_engine_threads(1);
  cv::Mat out;
  const OpCount executed = filter_plane(plan, plane, Border{}, CV_16S, ValueMap::clamp, out);
  // Each of the 100 source rows is filtered horizontally once (2 taps, 1 add); the vertical pass
  // runs once per output row (3 taps, 2 adds); the top and bottom windows recompute their rows,
  // each distinct row once: under reflect101 the top window reads rows 1, 0, 1.
  const std::int64_t width = 50;
  const std::int64_t horizontal_rows = 100 + 2 * 2;  // 2 scratch rows at each edge
  EXPECT_EQ(executed.mul, width * (2 * horizontal_rows + 3 * 100));
  EXPECT_EQ(executed.add, width * (1 * horizontal_rows + 2 * 100));
  EXPECT_EQ(cv::countNonZero(out), 0);  // a flat image has no slope
}

}  // namespace
}  // namespace sepconv
