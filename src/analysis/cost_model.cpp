#include "analysis/cost_model.hpp"

#include <algorithm>
#include <cmath>

namespace sepconv {
namespace {

// Measured with `sepconv bench --sweep --threads 1 --size 1920x1080` (AMD EPYC, AVX-512, float32;
// bench/RESULTS.md): every plan pays a fixed cost a pixel (widening, narrowing, row bookkeeping);
// a 2D tap costs less than a 1D pass tap because the full engine's rows stay in cache while the
// separable engine also writes and rereads its ring. Random 3x3..19x19 full: 0.67..8.5 ns a pixel;
// Gaussian 3x3..31x31 separable: 0.6..2.8 ns. The FFT engine (row segments of 256) costs about as
// much as the full plan at 15x15 and grows slowly with the kernel's height (the sweep's FFT/full
// times: 1.1 at 15x15, 0.7 at 19x19, 0.3 at 31x31; tests/analysis/cost_model_test.cpp holds them).
constexpr double kNsPerPixel = 0.35;
constexpr double kNsPerFullRow = 0.06;  // each kernel row is one pass over the output row
constexpr double kNsPerFullTap = 0.022;
constexpr double kNsPerTerm = 0.05;
constexpr double kNsPerPassTap = 0.039;
// The FFT engine: per output pixel, a forward and an inverse row transform of length n spread over
// its n - kw + 1 outputs, and one complex product per kernel row and bin.
constexpr double kNsPerFftLevel = 0.65;  // per log2(n) of the two transforms
constexpr double kNsPerSpectralRow = 0.05;
// Integer kernels transform in float64 (rounded back to whole sums): measured 2.5x the float32
// engine at 3840x2160, 17x17..31x31 (the whole-number full plan stays ahead up to about 29x29).
constexpr double kFloat64FftFactor = 2.5;

}  // namespace

int even_dft_size(int at_least) {
  int size = cv::getOptimalDFTSize(std::max(2, at_least));
  while (size % 2 != 0) size = cv::getOptimalDFTSize(size + 1);
  return size;
}

int fft_tile_size(cv::Size kernel) {
  // Long enough that the kernel's width is a small share of each row segment, short enough that
  // kh segment spectra stay in the core's cache.
  const int margin = kernel.width - 1;
  return even_dft_size(std::max(256, 8 * margin));
}

int nonzero_taps(const std::vector<double>& taps) {
  return static_cast<int>(std::count_if(taps.begin(), taps.end(), [](double t) { return t != 0; }));
}

int nonzero_taps(const cv::Mat1d& taps) {
  return cv::countNonZero(taps);
}

double full_cost(const cv::Mat1d& taps) {
  int rows = 0;
  for (int r = 0; r < taps.rows; ++r) rows += cv::countNonZero(taps.row(r)) > 0 ? 1 : 0;
  return kNsPerPixel + kNsPerFullRow * rows + kNsPerFullTap * nonzero_taps(taps);
}

double terms_cost(const std::vector<SeparableTerm>& terms) {
  double cost = kNsPerPixel;
  for (const SeparableTerm& term : terms) {
    cost += kNsPerTerm + kNsPerPassTap * (nonzero_taps(term.column) + nonzero_taps(term.row));
  }
  return cost;
}

double fft_cost(cv::Size kernel, bool float64) {
  const double n = fft_tile_size(kernel);
  const double per_output = n / (n - kernel.width + 1);
  const double cost = kNsPerPixel + per_output * (kNsPerFftLevel * std::log2(n) +
                                                  kNsPerSpectralRow * kernel.height);
  return float64 ? kFloat64FftFactor * cost : cost;
}

}  // namespace sepconv
