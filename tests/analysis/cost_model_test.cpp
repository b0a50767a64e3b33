// The cost model against the engines' own timings: `--mode auto` must pick the plan that the
// sweep measured fastest, wherever the measured times are far enough apart to call.

#include "analysis/cost_model.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "analysis/plan.hpp"
#include "bench/cases.hpp"

namespace sepconv {
namespace {

/// Milliseconds of each plan alone for the sweep's random dense kernels (bench_kernel's
/// "randomN"), from `sepconv bench --sweep --size 1920x1080 --runs 5 --threads T --json`
/// (`plan_ms`), AMD EPYC, AVX-512, on a shared machine (load about 7 on its two cores, so the two
/// tables differ less than threads would on an idle one).
struct Measured {
  int side;
  double full_ms, fft_ms;
};

constexpr Measured kOneThread[] = {
    {3, 1.77, 30.1},  {5, 6.67, 27.4},  {7, 8.39, 31.3},   {9, 12.7, 27.3},   {11, 21.0, 37.1},
    {13, 30.7, 32.1}, {15, 32.7, 35.6}, {17, 40.7, 31.7},  {19, 50.0, 34.9},  {21, 63.9, 38.5},
    {23, 78.9, 39.8}, {25, 89.6, 39.7}, {27, 103.6, 51.0}, {29, 120.3, 35.2}, {31, 133.6, 40.8},
};

constexpr Measured kTwoThreads[] = {
    {3, 1.9, 28.0},   {5, 3.0, 38.9},    {7, 8.6, 30.4},    {9, 13.0, 32.0},   {11, 26.7, 29.8},
    {13, 26.5, 30.6}, {15, 32.8, 32.5},  {17, 40.0, 31.8},  {19, 52.4, 32.4},  {21, 64.0, 38.2},
    {23, 79.0, 45.0}, {25, 110.7, 44.1}, {27, 137.2, 39.6}, {29, 130.9, 39.2}, {31, 212.2, 63.9},
};

/// Times closer than this ratio are within the machine's noise: either plan is right.
constexpr double kTooCloseToCall = 1.2;

Mode auto_mode(int side) {
  const Kernel kernel = bench::bench_kernel("random" + std::to_string(side));
  return make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), CV_32F).mode;
}

void expect_fastest_measured(const Measured* table, size_t count) {
  int called = 0;
  for (size_t i = 0; i < count; ++i) {
    const Measured& m = table[i];
    const double ratio = m.fft_ms / m.full_ms;
    if (ratio < kTooCloseToCall && ratio > 1 / kTooCloseToCall) continue;
    EXPECT_EQ(auto_mode(m.side), ratio < 1 ? Mode::fft : Mode::full) << m.side << "x" << m.side;
    ++called;
  }
  EXPECT_GE(called, 9);  // the table decides most sizes
}

TEST(CostModel, AutoPicksThePlanMeasuredFastestOnOneThread) {
  expect_fastest_measured(kOneThread, std::size(kOneThread));
}

TEST(CostModel, AutoPicksThePlanMeasuredFastestOnTwoThreads) {
  // Both engines split rows between the threads: the balance stays that of one thread.
  expect_fastest_measured(kTwoThreads, std::size(kTwoThreads));
}

/// Whole-number kernels (randomN times 10, rounded) on an 8-bit 3840x2160 image, one thread: the
/// full plan sums in int32 and the FFT in a double transform, timed each alone against filter2D in
/// alternation (a small program over filter_plane, load about 7).
constexpr Measured kWholeOnEightBits[] = {
    {17, 89.5, 352.0},  {21, 181.8, 487.3}, {25, 342.7, 502.8},
    {29, 455.1, 487.2}, {31, 511.4, 493.7},
};

TEST(CostModel, WholeNumberKernelsKeepTheFullPlanWhereItWasMeasuredFaster) {
  for (const Measured& m : kWholeOnEightBits) {
    const double ratio = m.fft_ms / m.full_ms;
    if (ratio < kTooCloseToCall && ratio > 1 / kTooCloseToCall) continue;
    cv::Mat1d values = bench::bench_kernel("random" + std::to_string(m.side)).values * 10;
    for (double& v : values) v = std::round(v);
    const Kernel kernel = make_kernel(values, "whole");
    const Plan plan = make_plan(kernel, analyze_kernel(kernel), parse_mode("auto"), CV_8U);
    EXPECT_EQ(plan.mode, ratio < 1 ? Mode::fft : Mode::full) << m.side;
  }
}

TEST(CostModel, PredictedFftToFullRatioFollowsTheMeasuredOne) {
  // Within a factor of two of what the engines measured, from 5x5 (the fixed costs of a 3x3
  // are outside what the model describes).
  for (const Measured& m : kOneThread) {
    if (m.side < 5) continue;
    const Kernel kernel = bench::bench_kernel("random" + std::to_string(m.side));
    const double predicted = fft_cost(kernel.values.size()) / full_cost(kernel.values);
    const double measured = m.fft_ms / m.full_ms;
    EXPECT_LT(predicted / measured, 2.0) << m.side;
    EXPECT_GT(predicted / measured, 0.5) << m.side;
  }
}

}  // namespace
}  // namespace sepconv
