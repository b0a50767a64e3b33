#pragma once
// The FFT engine's products in the frequency domain, in Highway (fft_simd.cpp): each output row's
// spectrum is the sum over the kernel's rows j of (spectrum of source row y + j) times the
// conjugate spectrum of kernel row j, for rows in OpenCV's packed real-DFT layout (CCS, DFT_ROWS).

#include <cstddef>

namespace sepconv {

/// One kernel's row spectra arranged for spectral_rows: for each kernel row j, `real` holds the
/// real part of every bin twice (re, re) and `imaginary` holds (im, -im), at the bins' own
/// positions in the packed row, so that a bin's product is two multiply-adds with the pair swapped.
template <typename T>
struct SpectralTaps {
  const T* real;
  const T* imaginary;
  std::size_t stride;  ///< elements from one kernel row to the next
  int rows;            ///< kernel rows
  int length;          ///< the DFT length (even)
};

/// Writes `count` output spectra (1 to 4), `out_stride` elements apart, from the source spectra
/// rows[0 .. taps.rows + count - 2]. Reads and writes up to 16 elements past each row's length:
/// the rows need that much slack (zeroed, so that it stays finite).
void spectral_rows(const float* const* rows, const SpectralTaps<float>& taps, float* out,
                   std::size_t out_stride, int count);
void spectral_rows(const double* const* rows, const SpectralTaps<double>& taps, double* out,
                   std::size_t out_stride, int count);

/// The slack spectral_rows needs past the end of each row, in elements.
constexpr std::size_t kSpectralSlack = 16;

}  // namespace sepconv
