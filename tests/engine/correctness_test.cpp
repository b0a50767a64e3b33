// Regression tests for the correctness audit (issue 13): each bug it found, checked against an
// independent computation (OpenCV's filter2D on a plane padded by copyMakeBorder, the eigenvalues
// of a Gram matrix, or numbers worked by hand).

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "engine/engine.hpp"
#include "engine/image_filter.hpp"
#include "kernel/parse.hpp"
#include "support/opencv_oracle.hpp"

namespace sepconv {
namespace {

using testing::opencv_filter;

const char* const kTwentieths = "[1/20 2/20 1/20; 2/20 9/20 3/20; 1/20 3/20 2/20]";

/// OpenCV's answer for every colour channel of `image`, rounded into 8 bits.
cv::Mat opencv_u8(const cv::Mat& image, const Kernel& kernel, const Border& border) {
  std::vector<cv::Mat> planes, outputs;
  cv::split(image, planes);
  for (const cv::Mat& plane : planes) {
    cv::Mat u8;
    opencv_filter(plane, kernel, border).convertTo(u8, CV_8U);
    outputs.push_back(u8);
  }
  cv::Mat merged;
  cv::merge(outputs, merged);
  return merged;
}

/// Largest absolute difference between two images of the same size and type.
double max_difference(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat da, db;
  a.convertTo(da, CV_64F);
  b.convertTo(db, CV_64F);
  return cv::norm(da.reshape(1), db.reshape(1), cv::NORM_INF);
}

// Bug 1: the float32 fallback scaled the plan's taps in place, and the taps were shared by every
// colour plane, so channel c was divided by the scale c more times (B, G, R = 120, 6, 0).
TEST(Correctness, FractionalConstantBorderKeepsEveryColourChannel) {
  const Kernel kernel = parse_kernel(kTwentieths);
  const Analysis analysis = analyze_kernel(kernel);
  const Border border{BorderKind::constant, 0.5};
  const cv::Mat image(9, 11, CV_8UC3, cv::Scalar(100, 100, 100));
  const cv::Mat expected = opencv_u8(image, kernel, border);
  ASSERT_EQ(expected.at<cv::Vec3b>(4, 5), cv::Vec3b(120, 120, 120));  // 100 x 24/20 inside
  for (const char* mode : {"full", "fft", "auto"}) {
    // Made for the border (as apply does), and made without it (the engine re-decides).
    for (const Plan& plan : {make_plan(kernel, analysis, parse_mode(mode), CV_8U, border),
                             make_plan(kernel, analysis, parse_mode(mode), CV_8U)}) {
      const cv::Mat1d taps_before = plan.taps.clone();
      for (int run = 0; run < 3; ++run) {
        const FilteredImage out = filter_image(image, plan, border, CV_8U, ValueMap::clamp);
        EXPECT_EQ(out.pixels.at<cv::Vec3b>(4, 5), cv::Vec3b(120, 120, 120)) << mode;
        EXPECT_LE(max_difference(out.pixels, expected), 1.0) << mode << " run " << run;
      }
      EXPECT_EQ(cv::norm(plan.taps, taps_before, cv::NORM_INF), 0.0) << mode;
    }
  }
}

// The class behind bug 1: as_float32 gives taps of its own.
TEST(Correctness, AsFloat32NeverSharesTaps) {
  const Kernel kernel = parse_kernel(kTwentieths);
  const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("full"), CV_8U);
  ASSERT_EQ(plan.arithmetic, Arithmetic::integer);
  const Plan copy = plan;  // shares plan.taps' data, as cv::Mat copies do
  const Plan floating = as_float32(copy);
  EXPECT_EQ(plan.taps(1, 1), 9.0);
  EXPECT_DOUBLE_EQ(floating.taps(1, 1), 9.0 / 20);
  EXPECT_NE(floating.taps.data, plan.taps.data);
}

// Bug 2: compare runs each plan several times; every run must give OpenCV's values.
TEST(Correctness, RepeatedRunsOfOnePlanAgree) {
  const Kernel kernel = parse_kernel("gaussian5");
  const Analysis analysis = analyze_kernel(kernel);
  const Border border{BorderKind::constant, 0.5};
  cv::RNG rng(13);
  const cv::Mat plane = testing::random_plane({23, 17}, CV_8U, rng);
  const cv::Mat1d expected = opencv_filter(plane, kernel, border);
  for (const char* mode : {"full", "separable", "fft"}) {
    const Plan plan = make_plan(kernel, analysis, parse_mode(mode), CV_8U);
    for (int run = 0; run < 4; ++run) {
      EXPECT_LT(cv::norm(run_plan(plan, plane, border), expected, cv::NORM_INF), 1e-3)
          << mode << " run " << run;
    }
  }
}

// Bug 4: u16 --map offset added 32768 in float32 and rounded twice. 3 x 8191/16384 = 1.49982 and
// 1.49982 + 32768 = 32769.49982 rounds to 32769 (by hand), not to 32770.
TEST(Correctness, OffsetIsRoundedOnce) {
  const Kernel kernel = parse_kernel("[8191/16384]");
  const cv::Mat plane(5, 7, CV_8U, cv::Scalar(3));
  for (const char* mode : {"full", "fft"}) {
    const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode(mode), CV_8U);
    cv::Mat out;
    filter_plane(plan, plane, Border{}, CV_16U, ValueMap::offset, out);
    EXPECT_EQ(out.at<std::uint16_t>(2, 3), 32769) << mode;
    filter_plane(plan, plane, Border{}, CV_8U, ValueMap::offset, out);
    EXPECT_EQ(out.at<std::uint8_t>(2, 3), 129) << mode;  // 128 + 1.49982
  }
  // Float sums just below one half: 0.4999999 x 3 = 1.4999997, rounding to 1 (then 129, 32769).
  const Kernel near_half = parse_kernel("[0.4999999]");
  const Plan plan = make_plan(near_half, analyze_kernel(near_half), parse_mode("full"), CV_8U);
  cv::Mat out;
  filter_plane(plan, plane, Border{}, CV_8U, ValueMap::offset, out);
  EXPECT_EQ(out.at<std::uint8_t>(0, 0), 129);
  filter_plane(plan, plane, Border{}, CV_16U, ValueMap::offset, out);
  EXPECT_EQ(out.at<std::uint16_t>(0, 0), 32769);
}

// Bug 5: the plan says which arithmetic runs: float32 under a fractional constant, float64 for
// the FFT of an integer kernel, integer only where the sums are exact integers.
TEST(Correctness, PlansNameTheArithmeticThatRuns) {
  const Kernel kernel = parse_kernel("gaussian5");
  const Analysis analysis = analyze_kernel(kernel);
  const Border fractional{BorderKind::constant, 0.5}, whole{BorderKind::constant, 7};
  EXPECT_EQ(make_plan(kernel, analysis, parse_mode("full"), CV_8U, whole).arithmetic,
            Arithmetic::integer);
  EXPECT_EQ(make_plan(kernel, analysis, parse_mode("full"), CV_8U, fractional).arithmetic,
            Arithmetic::float32);
  EXPECT_EQ(make_plan(kernel, analysis, parse_mode("auto"), CV_8U, fractional).arithmetic,
            Arithmetic::float32);
  EXPECT_EQ(make_plan(kernel, analysis, parse_mode("fft"), CV_8U).arithmetic, Arithmetic::float64);
  EXPECT_EQ(make_plan(kernel, analysis, parse_mode("fft"), CV_8U, fractional).arithmetic,
            Arithmetic::float32);
  EXPECT_EQ(arithmetic_name(Arithmetic::float64), "float64");
  // A whole constant far beyond the pixel range counts in the sum bound: 25 taps of up to 36 times
  // 1e14 passes 2^53, so this plan cannot stay in integers.
  const Border huge{BorderKind::constant, 1e14};
  EXPECT_EQ(make_plan(kernel, analysis, parse_mode("full"), CV_8U, huge).arithmetic,
            Arithmetic::float32);
}

// A whole constant border beyond int32 sums: the streaming engine must not wrap around.
TEST(Correctness, LargeWholeConstantBorderMatchesOpenCV) {
  const Kernel kernel = parse_kernel("box:3");
  const Border border{BorderKind::constant, 1e9};
  cv::RNG rng(5);
  const cv::Mat plane = testing::random_plane({12, 10}, CV_8U, rng);
  const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("separable"), CV_8U);
  const cv::Mat1d expected = opencv_filter(plane, kernel, border);
  EXPECT_LT(cv::norm(run_plan(plan, plane, border), expected, cv::NORM_INF), 1e-4);
}

/// Singular values of `m` from the eigenvalues of m^T m: another algorithm than the SVD, on a
/// matrix of ordinary magnitude.
std::vector<double> singular_values_by_eigen(const cv::Mat1d& m) {
  cv::Mat1d gram = m.t() * m, eigenvalues;
  cv::eigen(gram, eigenvalues);
  std::vector<double> values;
  for (double e : eigenvalues) values.push_back(std::sqrt(std::max(e, 0.0)));
  return values;
}

// Bug 6: the SVD at extreme magnitudes. The analysis of k x 1e77, 1e160 and 1e-170 is the
// analysis of k scaled.
TEST(Correctness, SingularValuesAtExtremeMagnitudes) {
  const cv::Mat1d base = testing::parse_matrix("[1 2 0; 0 1 3; 2 0 1]");
  const std::vector<double> expected = singular_values_by_eigen(base);
  for (double magnitude : {1e77, 1e160, 1e-170, 1e300}) {
    const Analysis analysis = analyze_kernel(make_kernel(base * magnitude, "scaled"));
    EXPECT_EQ(analysis.rank, 3) << magnitude;
    ASSERT_EQ(analysis.singular_values.size(), 3u);
    for (int i = 0; i < 3; ++i) {
      EXPECT_NEAR(analysis.singular_values[i] / magnitude, expected[i], 1e-12 * expected[0])
          << magnitude << " s" << i;
    }
  }
}

// Issue 10 #19: a kernel of 1e308 values is rank 1, its factors finite and exact.
TEST(Correctness, KernelOfHugeValuesIsRankOne) {
  const Analysis analysis = analyze_kernel(make_kernel(cv::Mat1d(3, 3, 1e308), "huge"));
  EXPECT_EQ(analysis.rank, 1);
  ASSERT_TRUE(analysis.factors);
  for (double v : analysis.factors->column) EXPECT_TRUE(std::isfinite(v));
  EXPECT_LE(analysis.reconstruction_error, 1e-12 * 1e308);
}

// Issue 10 #5: on an image one row high every tap of a window reads row 0; it is filtered once per
// window, not once per kernel row (a 200000x1 image under box:1025 took 95 s).
TEST(Correctness, ThinImageBorderRowsAreMadeOnce) {
  const Kernel box = make_kernel(cv::Mat1d(65, 65, 1.0), "ones65");
  const Plan plan = make_plan(box, analyze_kernel(box), parse_mode("separable"), CV_8U);
  const cv::Mat plane(1, 300, CV_8U, cv::Scalar(2));
  set_engine_threads(1);
  cv::Mat out;
  const OpCount executed = filter_plane(plan, plane, Border{}, CV_32F, ValueMap::clamp, out);
  set_engine_threads(0);
  // One horizontal pass (300 outputs x 65 taps) and one vertical pass (65 taps x 300).
  EXPECT_EQ(executed.mul, 300 * 65 + 65 * 300);
  EXPECT_EQ(executed.add, 300 * 64 + 64 * 300);
  double low = 0, high = 0;
  cv::minMaxLoc(out, &low, &high);
  EXPECT_EQ(low, 65 * 65 * 2);  // every tap reads a 2
  EXPECT_EQ(high, 65 * 65 * 2);
}

// Issue 10 #5: a rank-1 kernel is never run through the FFT by auto (1025x60 ones on 128x128: FFT
// 5.5 s and 1.3 GB, separable 0.43 s).
TEST(Correctness, AutoNeverPicksTheFftForRankOne) {
  const Kernel wide = make_kernel(cv::Mat1d(1025, 60, 1.0), "ones");
  EXPECT_EQ(make_plan(wide, analyze_kernel(wide), parse_mode("auto"), CV_8U).mode, Mode::separable);
  const Kernel gaussian = parse_kernel("gaussian:101");
  EXPECT_EQ(make_plan(gaussian, analyze_kernel(gaussian), parse_mode("auto"), CV_32F).mode,
            Mode::separable);
}

}  // namespace
}  // namespace sepconv
