#pragma once
// How long each plan takes on this code, per output pixel, so `--mode auto` can pick the fastest
// exact plan rather than the one with the fewest multiplications. The constants come from
// `sepconv bench` on the development machine (bench/RESULTS.md); only their ratios matter.

#include <opencv2/core.hpp>

#include "analysis/analysis.hpp"

namespace sepconv {

/// The smallest even length at least this long that cv::dft transforms fast (factors 2, 3, 5).
int even_dft_size(int at_least);

/// The DFT length of the FFT engine's row segments for a kernel of this size.
int fft_tile_size(cv::Size kernel);

/// Nonzero taps of a 1D vector or a matrix: the products the streaming engine runs.
int nonzero_taps(const std::vector<double>& taps);
int nonzero_taps(const cv::Mat1d& taps);

/// Predicted nanoseconds per output pixel, one thread, float32.
double full_cost(const cv::Mat1d& taps);
double terms_cost(const std::vector<SeparableTerm>& terms);
/// `float64`: the double transform of an integer kernel.
double fft_cost(cv::Size kernel, bool float64 = false);

}  // namespace sepconv
