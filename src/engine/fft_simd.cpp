// Highway implementation of spectral_rows, compiled once per SIMD target (foreach_target.h
// re-includes this file) and chosen at run time with HWY_DYNAMIC_DISPATCH. Hand-written because
// OpenCV's mulSpectrums multiplies one pair of spectra at a time: summing kh products a row that
// way would write and reread the sum kh times.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "engine/fft_simd.cpp"
#include "engine/fft_simd.hpp"

#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace sepconv {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

/// The packed row's bins: position 0 is the real DC term and position n - 1 the real Nyquist term
/// (n even); positions 1..n-2 hold (re, im) pairs. Those two are real times real.
template <typename T>
HWY_INLINE void RealBins(const T* const* rows, const SpectralTaps<T>& taps, T* out, int r) {
  const int last = taps.length - 1;
  T first = 0, nyquist = 0;
  for (int j = 0; j < taps.rows; ++j) {
    first += rows[r + j][0] * taps.real[j * taps.stride];
    nyquist += rows[r + j][last] * taps.real[j * taps.stride + last];
  }
  out[0] = first;
  out[last] = nyquist;
}

/// R output rows at once: the kernel row's two vectors are loaded once for all R, each source row
/// once for the R outputs it feeds, and the 2R independent sums hide the multiply-add latency.
template <int R, typename T>
HWY_INLINE void PairedBins(const T* const* rows, const SpectralTaps<T>& taps, T* out,
                           std::size_t out_stride) {
  const hn::ScalableTag<T> d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  for (int i = 1; i < taps.length - 1; i += lanes) {  // pairs start at 1; may run into the slack
    hn::Vec<decltype(d)> sum_re[R], sum_im[R], source[R], swapped[R];
    for (int r = 0; r < R; ++r) {
      sum_re[r] = hn::Zero(d);
      sum_im[r] = hn::Zero(d);
    }
    for (int r = 0; r + 1 < R; ++r) {
      source[r + 1] = hn::LoadU(d, rows[r] + i);
      swapped[r + 1] = hn::Reverse2(d, source[r + 1]);
    }
    for (int j = 0; j < taps.rows; ++j) {
      for (int r = 0; r + 1 < R; ++r) {
        source[r] = source[r + 1];
        swapped[r] = swapped[r + 1];
      }
      source[R - 1] = hn::LoadU(d, rows[j + R - 1] + i);
      swapped[R - 1] = hn::Reverse2(d, source[R - 1]);
      const auto real = hn::LoadU(d, taps.real + j * taps.stride + i);
      const auto imaginary = hn::LoadU(d, taps.imaginary + j * taps.stride + i);
      for (int r = 0; r < R; ++r) {
        sum_re[r] = hn::MulAdd(source[r], real, sum_re[r]);
        sum_im[r] = hn::MulAdd(swapped[r], imaginary, sum_im[r]);
      }
    }
    for (int r = 0; r < R; ++r)
      hn::StoreU(hn::Add(sum_re[r], sum_im[r]), d, out + r * out_stride + i);
  }
}

/// One lane has no pairs to swap: the bins one by one.
template <typename T>
HWY_INLINE void PairedBinsScalar(const T* const* rows, const SpectralTaps<T>& taps, T* out) {
  for (int i = 1; i < taps.length - 1; i += 2) {
    T re = 0, im = 0;
    for (int j = 0; j < taps.rows; ++j) {
      const T* k_re = taps.real + j * taps.stride;
      const T* k_im = taps.imaginary + j * taps.stride;
      re += rows[j][i] * k_re[i] + rows[j][i + 1] * k_im[i];
      im += rows[j][i + 1] * k_re[i + 1] + rows[j][i] * k_im[i + 1];
    }
    out[i] = re;
    out[i + 1] = im;
  }
}

template <typename T>
HWY_INLINE void SpectralRowsT(const T* const* rows, const SpectralTaps<T>& taps, T* out,
                              std::size_t out_stride, int count) {
  const hn::ScalableTag<T> d;
  int r = 0;
  if (hn::Lanes(d) > 1) {
    for (; r + 4 <= count; r += 4) PairedBins<4>(rows + r, taps, out + r * out_stride, out_stride);
    for (; r < count; ++r) PairedBins<1>(rows + r, taps, out + r * out_stride, out_stride);
  } else {
    for (; r < count; ++r) PairedBinsScalar(rows + r, taps, out + r * out_stride);
  }
  for (r = 0; r < count; ++r) RealBins(rows, taps, out + r * out_stride, r);
}

void SpectralRowsF32(const float* const* rows, const SpectralTaps<float>& taps, float* out,
                     std::size_t out_stride, int count) {
  SpectralRowsT(rows, taps, out, out_stride, count);
}
void SpectralRowsF64(const double* const* rows, const SpectralTaps<double>& taps, double* out,
                     std::size_t out_stride, int count) {
  SpectralRowsT(rows, taps, out, out_stride, count);
}

}  // namespace HWY_NAMESPACE
}  // namespace sepconv
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sepconv {

HWY_EXPORT(SpectralRowsF32);
HWY_EXPORT(SpectralRowsF64);

void spectral_rows(const float* const* rows, const SpectralTaps<float>& taps, float* out,
                   std::size_t out_stride, int count) {
  HWY_DYNAMIC_DISPATCH(SpectralRowsF32)(rows, taps, out, out_stride, count);
}
void spectral_rows(const double* const* rows, const SpectralTaps<double>& taps, double* out,
                   std::size_t out_stride, int count) {
  HWY_DYNAMIC_DISPATCH(SpectralRowsF64)(rows, taps, out, out_stride, count);
}

}  // namespace sepconv
#endif  // HWY_ONCE
