// The streaming engine on every SIMD target Highway compiled, against the reference engine, over
// odd widths, every border, depth and plan; and its executed counts against an instrumented run.

#include "engine/streaming.hpp"

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include "analysis/analysis.hpp"
#include "engine/engine.hpp"
#include "engine/passes.hpp"
#include "kernel/parse.hpp"
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

/// A vector of `n` random reals in [-1, 1) that reads the same backwards.
cv::Mat1d mirrored_reals(cv::RNG& rng, int n) {
  cv::Mat1d v(n, 1);
  for (int i = 0; i < (n + 1) / 2; ++i) v(i) = v(n - 1 - i) = rng.uniform(-1.0, 1.0);
  return v;
}

/// Whether every term of the plan pairs its taps in the float passes (as the engine sees them).
bool every_term_pairs(const Plan& plan) {
  for (const SeparableTerm& term : plan.terms) {
    for (const std::vector<double>* taps : {&term.column, &term.row}) {
      std::vector<float> values;
      for (double tap : *taps) {
        if (tap != 0) values.push_back(static_cast<float>(tap));
      }
      if (!pairs_taps(values.data(), values.size())) return false;
    }
  }
  return true;
}

TEST_F(Streaming, MirroredFloatTapsShareProductsAndMatchOpenCV) {
  // Symmetric float kernels (Gaussians, random mirrored rank-1 and rank-2 sums, odd and even
  // sizes) add each mirrored pair of inputs and multiply once. Every pixel must stay within the
  // float32 bound of OpenCV's double-precision filter2D: (kh + kw + terms + 3) roundings of
  // 2^-24 of sum |column| |row| |x|, the terms' own magnitudes (the property tests' bound), on
  // every target, at widths around the vector sizes (the scalar tails), one and two threads.
  cv::RNG rng(35);
  std::vector<Kernel> kernels = {parse_kernel("gaussian:7:1.5"), parse_kernel("gaussian:15:3")};
  for (int size : {2, 3, 4, 5, 8}) {
    for (int rank : {1, 2}) {
      cv::Mat1d sum(size, size + 1, 0.0);
      for (int t = 0; t < rank; ++t)
        sum += mirrored_reals(rng, size) * mirrored_reals(rng, size + 1).t();
      kernels.push_back(make_kernel(sum, "mirrored", "", {size / 2, size / 2}));
    }
  }
  constexpr double u = 1.0 / 16777216.0;
  for (std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    force_simd_target(target);
    SCOPED_TRACE(simd_target_name());
    for (const Kernel& kernel : kernels) {
      const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("lowrank"), CV_32F);
      if (plan.mode == Mode::full) continue;  // rank 2 of a 2-row kernel runs full
      ASSERT_TRUE(every_term_pairs(plan)) << kernel.values;
      for (int width : {1, 17, 33, 67, 130}) {
        const Border border = parse_border(kBorders[rng.uniform(0, 5)]);
        if (border.kind == BorderKind::valid && kernel.cols() > width) continue;
        const cv::Mat plane = random_plane({width, 41}, CV_32F, rng);
        const cv::Mat1d expected = testing::opencv_filter(plane, kernel, border);
        // sum over terms of |column| |row| |x| at every pixel, in double by OpenCV.
        cv::Mat1d magnitude = cv::Mat1d::zeros(expected.size());
        cv::Mat1d absolute;
        cv::Mat(cv::abs(plane)).convertTo(absolute, CV_64F);
        for (const SeparableTerm& term : plan.terms) {
          cv::Mat1d column(term.column, true), row(term.row, true);
          const Kernel outer =
              make_kernel(cv::Mat1d(cv::abs(column * row.t()) * std::abs(term.scale * plan.scale)),
                          "magnitude", "", kernel.anchor);
          const Border absolute_border{border.kind, std::abs(border.value)};
          magnitude += testing::opencv_filter(absolute, outer, absolute_border);
        }
        const double roundings = kernel.rows() + kernel.cols() + plan.terms.size() + 3;
        for (int threads : {1, 2}) {
          set_engine_threads(threads);
          const cv::Mat1d got = run_plan(plan, plane, border);
          ASSERT_EQ(got.size(), expected.size());
          cv::Mat1d excess = cv::abs(got - expected) - roundings * u * magnitude;
          double worst = 0;
          cv::minMaxLoc(excess, nullptr, &worst);
          EXPECT_LE(worst, 1e-12) << "border " << static_cast<int>(border.kind) << " width "
                                  << width << " threads " << threads << "\n"
                                  << kernel.values;
        }
      }
    }
  }
}

TEST_F(Streaming, Gaussian7x7ExecutesFourProductsAPass) {
  // gaussian:7:1.5 under `valid` on one thread: each of the 40 source rows is filtered
  // horizontally once over the 30 output columns, each of the 34 output rows vertically; a pass
  // of 7 mirrored taps multiplies 4 times (three pairs and the centre) and adds 6 times.
  const Kernel gaussian = parse_kernel("gaussian:7:1.5");
  const Plan plan = make_plan(gaussian, analyze_kernel(gaussian), parse_mode("separable"), CV_8U);
  const cv::Mat plane(40, 36, CV_8U, cv::Scalar(9));
  set_engine_threads(1);
  cv::Mat out;
  const OpCount executed =
      filter_plane(plan, plane, parse_border("valid"), CV_8U, ValueMap::clamp, out);
  const std::int64_t width = 30, source_rows = 40, output_rows = 34;
  EXPECT_EQ(executed.mul, width * (4 * source_rows + 4 * output_rows));
  EXPECT_EQ(executed.add, width * (6 * source_rows + 6 * output_rows));
  EXPECT_EQ(cv::countNonZero(out != 9), 0);  // a flat image stays flat under a normalized blur
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
