#include "analysis/cost_model.hpp"

#include <algorithm>
#include <cmath>

namespace sepconv {
namespace {

// Measured with `sepconv bench --threads 1` (AMD EPYC, AVX-512, 3840x2160 float32): random 5x5
// full 1.2 ns a pixel, gaussian 15x15 separable 1.3 ns, random 25x25 FFT 18.8 ns; see
// bench/RESULTS.md. A direct tap costs about the same in the 2D and the 1D passes; the vertical
// pass and the row bookkeeping add a fixed cost per pixel and term.
constexpr double kNsPerTap = 0.045;
constexpr double kNsPerTerm = 0.35;
constexpr double kNsPerFftPoint = 0.93;  // per N^2 log2(N^2) of one tile, over its outputs

}  // namespace

int fft_tile_size(cv::Size kernel) {
  // Big enough that the kernel's margin is a small share of each tile, small enough to stay in
  // cache and to give every thread several tiles.
  const int margin = std::max(kernel.width, kernel.height) - 1;
  return cv::getOptimalDFTSize(std::max(128, 4 * margin) + margin);
}

int nonzero_taps(const std::vector<double>& taps) {
  return static_cast<int>(std::count_if(taps.begin(), taps.end(), [](double t) { return t != 0; }));
}

int nonzero_taps(const cv::Mat1d& taps) {
  return cv::countNonZero(taps);
}

double full_cost(const cv::Mat1d& taps) {
  return kNsPerTerm + kNsPerTap * nonzero_taps(taps);
}

double terms_cost(const std::vector<SeparableTerm>& terms) {
  double cost = 0;
  for (const SeparableTerm& term : terms) {
    cost += kNsPerTerm + kNsPerTap * (nonzero_taps(term.column) + nonzero_taps(term.row));
  }
  return cost;
}

double fft_cost(cv::Size kernel) {
  const double n = fft_tile_size(kernel);
  const double outputs = (n - kernel.width + 1) * (n - kernel.height + 1);
  return kNsPerFftPoint * n * n * std::log2(n * n) / outputs;
}

}  // namespace sepconv
