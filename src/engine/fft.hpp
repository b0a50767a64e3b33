#pragma once
// The FFT engine: correlation through cv::dft along rows (overlap-save in segments of one DFT
// length) with the kernel's rows summed in the frequency domain, for large kernels that do not
// separate, where direct summation costs kh*kw products a pixel.

#include <opencv2/core.hpp>

#include "analysis/ops.hpp"
#include "analysis/plan.hpp"
#include "engine/border.hpp"

namespace sepconv {

/// Runs a Mode::fft plan (full taps). Float plans transform in float32; integer plans in float64
/// and round each sum to the nearest whole number, which is exact while the transform's error
/// stays below one half (checked by the tests for kernels and images up to the documented limits).
cv::Mat1d run_fft(const Plan& plan, const cv::Mat& plane, const Border& border, int threads);

/// A float32 plan (scale one) straight into a float32 plane `out`, without run_fft's plane of
/// doubles: what `apply` and `bench` run for float outputs.
void run_fft_float32(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                     cv::Mat& out);

}  // namespace sepconv
