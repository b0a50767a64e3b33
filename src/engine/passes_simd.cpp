// Highway implementations of the row passes, compiled once per SIMD target (foreach_target.h
// re-includes this file) and chosen at run time with HWY_DYNAMIC_DISPATCH.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "engine/passes_simd.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/passes.hpp"

HWY_BEFORE_NAMESPACE();
namespace sepconv {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Integers have no fused multiply-add in Highway 1.0; floats use FMA where the target has it.
template <class V>
HWY_INLINE V multiply_add(V a, V b, V c) {
  return hn::MulAdd(a, b, c);
}
template <class D>
HWY_INLINE hn::Vec<D> multiply_add_int(D, hn::Vec<D> a, hn::Vec<D> b, hn::Vec<D> c) {
  return hn::Add(hn::Mul(a, b), c);
}

/// How a pass multiplies a tap by a pixel: as the type does, or in 16-bit fixed point (taps hold
/// round(tap * 2^15); each product is rounded to the pixel's units, halves up, as x86's pmulhrsw).
enum class Product { plain, fixed15 };

template <class D, typename T, Product kProduct = Product::plain>
HWY_INLINE hn::Vec<D> fma(D d, hn::Vec<D> a, hn::Vec<D> b, hn::Vec<D> c) {
  if constexpr (kProduct == Product::fixed15) {
    (void)d;
    return hn::Add(hn::MulFixedPoint15(a, b), c);
  } else if constexpr (hwy::IsFloat<T>()) {
    (void)d;
    return multiply_add(a, b, c);
  } else {
    return multiply_add_int(d, a, b, c);
  }
}

/// The one inner loop every pass shares: out[x] = (accumulate ? out[x] : 0) + sum_j values[j] *
/// sources[j][x], for x < n. Four vectors at a time: four independent sums hide the multiply-add
/// latency and each tap is broadcast once for all four; the taps are summed in the same order in
/// every lane and in the scalar tail.
/// The scalar twin of one fixed15 lane.
HWY_INLINE int16_t fixed15_product(int16_t tap, int16_t pixel) {
  return static_cast<int16_t>((static_cast<int32_t>(tap) * pixel + 16384) >> 15);
}

template <typename T, Product kProduct = Product::plain>
HWY_INLINE void WeightedSumT(const T* const* sources, const T* values, size_t count, size_t n,
                             T* HWY_RESTRICT out, bool accumulate) {
  const hn::ScalableTag<T> d;
  const size_t lanes = hn::Lanes(d);
  size_t x = 0;
  for (; x + 4 * lanes <= n; x += 4 * lanes) {
    auto s0 = accumulate ? hn::LoadU(d, out + x) : hn::Zero(d);
    auto s1 = accumulate ? hn::LoadU(d, out + x + lanes) : hn::Zero(d);
    auto s2 = accumulate ? hn::LoadU(d, out + x + 2 * lanes) : hn::Zero(d);
    auto s3 = accumulate ? hn::LoadU(d, out + x + 3 * lanes) : hn::Zero(d);
    for (size_t j = 0; j < count; ++j) {
      const auto tap = hn::Set(d, values[j]);
      const T* p = sources[j] + x;
      s0 = fma<decltype(d), T, kProduct>(d, tap, hn::LoadU(d, p), s0);
      s1 = fma<decltype(d), T, kProduct>(d, tap, hn::LoadU(d, p + lanes), s1);
      s2 = fma<decltype(d), T, kProduct>(d, tap, hn::LoadU(d, p + 2 * lanes), s2);
      s3 = fma<decltype(d), T, kProduct>(d, tap, hn::LoadU(d, p + 3 * lanes), s3);
    }
    hn::StoreU(s0, d, out + x);
    hn::StoreU(s1, d, out + x + lanes);
    hn::StoreU(s2, d, out + x + 2 * lanes);
    hn::StoreU(s3, d, out + x + 3 * lanes);
  }
  for (; x + lanes <= n; x += lanes) {
    auto sum = accumulate ? hn::LoadU(d, out + x) : hn::Zero(d);
    for (size_t j = 0; j < count; ++j) {
      sum = fma<decltype(d), T, kProduct>(d, hn::Set(d, values[j]), hn::LoadU(d, sources[j] + x),
                                          sum);
    }
    hn::StoreU(sum, d, out + x);
  }
  for (; x < n; ++x) {
    T sum = accumulate ? out[x] : T(0);
    for (size_t j = 0; j < count; ++j) {
      if constexpr (kProduct == Product::fixed15) {
        sum = static_cast<T>(sum + fixed15_product(values[j], sources[j][x]));
      } else {
        sum += values[j] * sources[j][x];
      }
    }
    out[x] = sum;
  }
}

/// WeightedSumT for taps that mirror each other (pairs_taps): values[j] * (sources[j][x] +
/// sources[count - 1 - j][x]) for j < count / 2, then the centre tap's product when count is odd.
/// Half the multiply-adds; the additions of the pairs run beside them. Same order in every lane
/// and in the scalar tail.
template <typename T>
HWY_INLINE void SymmetricSumT(const T* const* sources, const T* values, size_t count, size_t n,
                              T* HWY_RESTRICT out, bool accumulate) {
  const hn::ScalableTag<T> d;
  const size_t lanes = hn::Lanes(d);
  const size_t half = count / 2;
  const bool centre = count % 2 == 1;
  size_t x = 0;
  for (; x + 4 * lanes <= n; x += 4 * lanes) {
    auto s0 = accumulate ? hn::LoadU(d, out + x) : hn::Zero(d);
    auto s1 = accumulate ? hn::LoadU(d, out + x + lanes) : hn::Zero(d);
    auto s2 = accumulate ? hn::LoadU(d, out + x + 2 * lanes) : hn::Zero(d);
    auto s3 = accumulate ? hn::LoadU(d, out + x + 3 * lanes) : hn::Zero(d);
    for (size_t j = 0; j < half; ++j) {
      const auto tap = hn::Set(d, values[j]);
      const T* a = sources[j] + x;
      const T* b = sources[count - 1 - j] + x;
      s0 = multiply_add(tap, hn::Add(hn::LoadU(d, a), hn::LoadU(d, b)), s0);
      s1 = multiply_add(tap, hn::Add(hn::LoadU(d, a + lanes), hn::LoadU(d, b + lanes)), s1);
      s2 = multiply_add(tap, hn::Add(hn::LoadU(d, a + 2 * lanes), hn::LoadU(d, b + 2 * lanes)), s2);
      s3 = multiply_add(tap, hn::Add(hn::LoadU(d, a + 3 * lanes), hn::LoadU(d, b + 3 * lanes)), s3);
    }
    if (centre) {
      const auto tap = hn::Set(d, values[half]);
      const T* p = sources[half] + x;
      s0 = multiply_add(tap, hn::LoadU(d, p), s0);
      s1 = multiply_add(tap, hn::LoadU(d, p + lanes), s1);
      s2 = multiply_add(tap, hn::LoadU(d, p + 2 * lanes), s2);
      s3 = multiply_add(tap, hn::LoadU(d, p + 3 * lanes), s3);
    }
    hn::StoreU(s0, d, out + x);
    hn::StoreU(s1, d, out + x + lanes);
    hn::StoreU(s2, d, out + x + 2 * lanes);
    hn::StoreU(s3, d, out + x + 3 * lanes);
  }
  for (; x + lanes <= n; x += lanes) {
    auto sum = accumulate ? hn::LoadU(d, out + x) : hn::Zero(d);
    for (size_t j = 0; j < half; ++j) {
      const auto pair =
          hn::Add(hn::LoadU(d, sources[j] + x), hn::LoadU(d, sources[count - 1 - j] + x));
      sum = multiply_add(hn::Set(d, values[j]), pair, sum);
    }
    if (centre) sum = multiply_add(hn::Set(d, values[half]), hn::LoadU(d, sources[half] + x), sum);
    hn::StoreU(sum, d, out + x);
  }
  for (; x < n; ++x) {
    T sum = accumulate ? out[x] : T(0);
    for (size_t j = 0; j < half; ++j) {
      sum += values[j] * (sources[j][x] + sources[count - 1 - j][x]);
    }
    if (centre) sum += values[half] * sources[half][x];
    out[x] = sum;
  }
}

/// A weighted sum of the sources for one row pass: mirrored taps share their products (float
/// passes only, pairs_taps), else one product a tap.
template <typename T, Product kProduct>
HWY_INLINE void RowPassSumT(const T* const* sources, const T* values, size_t count, size_t n,
                            T* out, bool accumulate) {
  if constexpr (kProduct == Product::plain && hwy::IsFloat<T>()) {
    if (pairs_taps(values, count))
      return SymmetricSumT<T>(sources, values, count, n, out, accumulate);
  }
  WeightedSumT<T, kProduct>(sources, values, count, n, out, accumulate);
}

/// A horizontal pass is a weighted sum of the row shifted by each tap's offset.
template <typename T, Product kProduct = Product::plain>
HWY_INLINE void HorizontalPassT(const T* in, size_t n, SparseTaps<T> taps, T* out,
                                bool accumulate) {
  thread_local std::vector<const T*> sources;
  sources.resize(taps.count);
  for (size_t j = 0; j < taps.count; ++j) sources[j] = in + taps.offsets[j];
  RowPassSumT<T, kProduct>(sources.data(), taps.values, taps.count, n, out, accumulate);
}

/// A vertical pass is a weighted sum of the rows themselves.
template <typename T, Product kProduct = Product::plain>
HWY_INLINE void VerticalPassT(const T* const* rows, const T* values, size_t count, size_t n, T* out,
                              bool accumulate) {
  RowPassSumT<T, kProduct>(rows, values, count, n, out, accumulate);
}

/// VerticalPairT for mirrored taps (pairs_taps), every row loaded once. With L_j = rows[j] and
/// R_j = rows[count - j], out0's pair j is L_j + R_(j+1) and out1's is L_(j+1) + R_j; the centre
/// tap of an odd count reads L_half for out0 and R_half (= rows[half + 1]) for out1. The sums are
/// SymmetricSumT's, in its order.
template <typename T>
HWY_INLINE size_t SymmetricPairT(const T* const* rows, const T* values, size_t count, size_t n,
                                 T* HWY_RESTRICT out0, T* HWY_RESTRICT out1, bool accumulate) {
  const hn::ScalableTag<T> d;
  const size_t lanes = hn::Lanes(d);
  const size_t half = count / 2;
  const auto start = [&](const T* out) { return accumulate ? hn::LoadU(d, out) : hn::Zero(d); };
  size_t x = 0;
  for (; x + 2 * lanes <= n; x += 2 * lanes) {
    auto a0 = start(out0 + x), a1 = start(out0 + x + lanes);
    auto b0 = start(out1 + x), b1 = start(out1 + x + lanes);
    auto l0 = hn::LoadU(d, rows[0] + x), l1 = hn::LoadU(d, rows[0] + x + lanes);
    auto r0 = hn::LoadU(d, rows[count] + x), r1 = hn::LoadU(d, rows[count] + x + lanes);
    for (size_t j = 0; j < half; ++j) {
      const auto tap = hn::Set(d, values[j]);
      const auto next_l0 = hn::LoadU(d, rows[j + 1] + x);
      const auto next_l1 = hn::LoadU(d, rows[j + 1] + x + lanes);
      const auto next_r0 = hn::LoadU(d, rows[count - 1 - j] + x);
      const auto next_r1 = hn::LoadU(d, rows[count - 1 - j] + x + lanes);
      a0 = multiply_add(tap, hn::Add(l0, next_r0), a0);
      a1 = multiply_add(tap, hn::Add(l1, next_r1), a1);
      b0 = multiply_add(tap, hn::Add(next_l0, r0), b0);
      b1 = multiply_add(tap, hn::Add(next_l1, r1), b1);
      l0 = next_l0, l1 = next_l1, r0 = next_r0, r1 = next_r1;
    }
    if (count % 2 == 1) {
      const auto tap = hn::Set(d, values[half]);
      a0 = multiply_add(tap, l0, a0);
      a1 = multiply_add(tap, l1, a1);
      b0 = multiply_add(tap, r0, b0);
      b1 = multiply_add(tap, r1, b1);
    }
    hn::StoreU(a0, d, out0 + x);
    hn::StoreU(a1, d, out0 + x + lanes);
    hn::StoreU(b0, d, out1 + x);
    hn::StoreU(b1, d, out1 + x + lanes);
  }
  return x;
}

/// WeightedSumT for two output rows at once: out0 from rows[0, count), out1 from rows[1, count];
/// each of the count + 1 rows is loaded once for both, where two passes load 2 * count. Returns
/// the columns done (whole pairs of vectors).
template <typename T, Product kProduct>
HWY_INLINE size_t WeightedPairT(const T* const* rows, const T* values, size_t count, size_t n,
                                T* HWY_RESTRICT out0, T* HWY_RESTRICT out1, bool accumulate) {
  const hn::ScalableTag<T> d;
  const size_t lanes = hn::Lanes(d);
  const auto start = [&](const T* out) { return accumulate ? hn::LoadU(d, out) : hn::Zero(d); };
  size_t x = 0;
  for (; x + 2 * lanes <= n; x += 2 * lanes) {
    auto a0 = start(out0 + x), a1 = start(out0 + x + lanes);
    auto b0 = start(out1 + x), b1 = start(out1 + x + lanes);
    for (size_t j = 0; j <= count; ++j) {
      const auto r0 = hn::LoadU(d, rows[j] + x), r1 = hn::LoadU(d, rows[j] + x + lanes);
      if (j < count) {
        const auto tap = hn::Set(d, values[j]);
        a0 = fma<decltype(d), T, kProduct>(d, tap, r0, a0);
        a1 = fma<decltype(d), T, kProduct>(d, tap, r1, a1);
      }
      if (j > 0) {
        const auto tap = hn::Set(d, values[j - 1]);
        b0 = fma<decltype(d), T, kProduct>(d, tap, r0, b0);
        b1 = fma<decltype(d), T, kProduct>(d, tap, r1, b1);
      }
    }
    hn::StoreU(a0, d, out0 + x);
    hn::StoreU(a1, d, out0 + x + lanes);
    hn::StoreU(b0, d, out1 + x);
    hn::StoreU(b1, d, out1 + x + lanes);
  }
  return x;
}

/// Two output rows of a vertical pass at once (SymmetricPairT for mirrored float taps, else
/// WeightedPairT). Every lane sums its taps in VerticalPassT's order, so the pixels are the same.
template <typename T, Product kProduct = Product::plain>
HWY_INLINE void VerticalPairT(const T* const* rows, const T* values, size_t count, size_t n,
                              T* HWY_RESTRICT out0, T* HWY_RESTRICT out1, bool accumulate) {
  size_t x;
  if constexpr (kProduct == Product::plain && hwy::IsFloat<T>()) {
    x = pairs_taps(values, count)
            ? SymmetricPairT<T>(rows, values, count, n, out0, out1, accumulate)
            : WeightedPairT<T, kProduct>(rows, values, count, n, out0, out1, accumulate);
  } else {
    x = WeightedPairT<T, kProduct>(rows, values, count, n, out0, out1, accumulate);
  }
  if (x == n) return;
  // The rest, as two single passes over the same columns (RowPassSumT picks the same sum).
  thread_local std::vector<const T*> shifted;
  shifted.resize(count + 1);
  for (size_t j = 0; j <= count; ++j) shifted[j] = rows[j] + x;
  RowPassSumT<T, kProduct>(shifted.data(), values, count, n - x, out0 + x, accumulate);
  RowPassSumT<T, kProduct>(shifted.data() + 1, values, count, n - x, out1 + x, accumulate);
}

void VerticalPairF32(const float* const* rows, const float* values, size_t count, size_t n,
                     float* out0, float* out1, bool acc) {
  VerticalPairT<float>(rows, values, count, n, out0, out1, acc);
}
void VerticalPairI32(const int32_t* const* rows, const int32_t* values, size_t count, size_t n,
                     int32_t* out0, int32_t* out1, bool acc) {
  VerticalPairT<int32_t>(rows, values, count, n, out0, out1, acc);
}
void VerticalPairI16(const int16_t* const* rows, const int16_t* values, size_t count, size_t n,
                     int16_t* out0, int16_t* out1, bool acc) {
  VerticalPairT<int16_t>(rows, values, count, n, out0, out1, acc);
}
void VerticalPairQ15(const int16_t* const* rows, const int16_t* values, size_t count, size_t n,
                     int16_t* out0, int16_t* out1, bool acc) {
  VerticalPairT<int16_t, Product::fixed15>(rows, values, count, n, out0, out1, acc);
}

void HorizontalPassQ15(const int16_t* in, size_t n, SparseTaps<int16_t> taps, int16_t* out,
                       bool acc) {
  HorizontalPassT<int16_t, Product::fixed15>(in, n, taps, out, acc);
}
void VerticalPassQ15(const int16_t* const* rows, const int16_t* values, size_t count, size_t n,
                     int16_t* out, bool acc) {
  VerticalPassT<int16_t, Product::fixed15>(rows, values, count, n, out, acc);
}

/// 8-bit pixels into 16-bit lanes, times 2^shift.
void WidenRowShifted(const uint8_t* in, size_t n, int shift, int16_t* out) {
  const hn::ScalableTag<int16_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d_in;
  const size_t lanes = hn::Lanes(d);
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    hn::StoreU(hn::ShiftLeftSame(hn::PromoteTo(d, hn::LoadU(d_in, in + x)), shift), d, out + x);
  }
  for (; x < n; ++x) out[x] = static_cast<int16_t>(in[x] << shift);
}

/// Sums in units of 2^-shift into 8-bit pixels: rounded halves up, saturated to 0..255. The
/// saturating add of the half only touches sums already above 255.
void NarrowRowShifted(const int16_t* in, size_t n, int shift, uint8_t* out) {
  const hn::ScalableTag<int16_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d_out;
  const size_t lanes = hn::Lanes(d);
  const int16_t half = static_cast<int16_t>(shift > 0 ? 1 << (shift - 1) : 0);
  const auto half_v = hn::Set(d, half);
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    const auto v = hn::ShiftRightSame(hn::SaturatedAdd(hn::LoadU(d, in + x), half_v), shift);
    hn::StoreU(hn::DemoteTo(d_out, v), d_out, out + x);
  }
  for (; x < n; ++x) {
    const int v = std::min<int>(in[x] + half, 32767) >> shift;
    out[x] = static_cast<uint8_t>(std::min(std::max(v, 0), 255));
  }
}

/// A 2D window is a weighted sum over every (row, offset) tap.
template <typename T>
HWY_INLINE void WindowPassT(const T* const* rows, const SparseTaps<T>* taps, size_t count, size_t n,
                            T* out) {
  thread_local std::vector<const T*> sources;
  thread_local std::vector<T> values;
  sources.clear();
  values.clear();
  for (size_t r = 0; r < count; ++r) {
    for (size_t j = 0; j < taps[r].count; ++j) {
      sources.push_back(rows[r] + taps[r].offsets[j]);
      values.push_back(taps[r].values[j]);
    }
  }
  WeightedSumT(sources.data(), values.data(), values.size(), n, out, false);
}

void WindowPassF32(const float* const* rows, const SparseTaps<float>* taps, size_t count, size_t n,
                   float* out) {
  WindowPassT<float>(rows, taps, count, n, out);
}
void WindowPassI32(const int32_t* const* rows, const SparseTaps<int32_t>* taps, size_t count,
                   size_t n, int32_t* out) {
  WindowPassT<int32_t>(rows, taps, count, n, out);
}
void WindowPassI16(const int16_t* const* rows, const SparseTaps<int16_t>* taps, size_t count,
                   size_t n, int16_t* out) {
  WindowPassT<int16_t>(rows, taps, count, n, out);
}

/// Widens pixels of type In into Out (float or int32) lane by lane.
template <typename In, typename Out>
HWY_INLINE void WidenT(const In* HWY_RESTRICT in, size_t n, Out* HWY_RESTRICT out) {
  const hn::ScalableTag<Out> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::Rebind<In, decltype(d)> d_in;
  const size_t lanes = hn::Lanes(d);
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    const auto wide = hn::PromoteTo(di, hn::LoadU(d_in, in + x));
    if constexpr (hwy::IsFloat<Out>()) {
      hn::StoreU(hn::ConvertTo(d, wide), d, out + x);
    } else {
      hn::StoreU(wide, d, out + x);
    }
  }
  for (; x < n; ++x) out[x] = static_cast<Out>(in[x]);
}

template <typename Out>
HWY_INLINE void WidenAny(const void* in, Sample type, size_t n, Out* out) {
  switch (type) {
    case Sample::u8:
      return WidenT(static_cast<const uint8_t*>(in), n, out);
    case Sample::u16:
      return WidenT(static_cast<const uint16_t*>(in), n, out);
    case Sample::s16:
      return WidenT(static_cast<const int16_t*>(in), n, out);
    case Sample::f32: {
      const float* f = static_cast<const float*>(in);
      for (size_t x = 0; x < n; ++x) out[x] = static_cast<Out>(f[x]);
      return;
    }
  }
}

void WidenRowF32(const void* in, Sample type, size_t n, float* out) {
  WidenAny(in, type, n, out);
}
void WidenRowI32(const void* in, Sample type, size_t n, int32_t* out) {
  WidenAny(in, type, n, out);
}
void WidenRowI16(const void* in, Sample, size_t n, int16_t* out) {  // 8-bit pixels only
  WidenT(static_cast<const uint8_t*>(in), n, out);
}

/// Clamps int32 lanes to Out's range. DemoteTo saturates by itself, but Highway 1.0.3's AVX-512
/// int32 -> uint8 demotion wraps values between 32768 and 65535 (seen: 32908 became 140), so the
/// range is enforced here on every target.
template <typename Out, class DI>
HWY_INLINE hn::Vec<DI> saturate(DI di, hn::Vec<DI> v) {
  const auto lo = hn::Set(di, static_cast<int32_t>(std::numeric_limits<Out>::min()));
  const auto hi = hn::Set(di, static_cast<int32_t>(std::numeric_limits<Out>::max()));
  return hn::Min(hn::Max(v, lo), hi);
}

/// The scalar twin of one lane of NarrowT, for the tail.
template <typename Out>
HWY_INLINE Out narrow_one(float v, const Narrowing& how) {
  v = v * how.scale;
  if (how.absolute) v = std::abs(v);
  v = v + how.offset;
  if constexpr (std::is_same_v<Out, float>) {
    return v;
  } else {
    if (std::isnan(v)) return Out(0);
    const float lo = static_cast<float>(std::numeric_limits<Out>::min());
    const float hi = static_cast<float>(std::numeric_limits<Out>::max());
    return static_cast<Out>(std::nearbyint(std::min(std::max(v, lo), hi)));
  }
}

template <typename Out>
HWY_INLINE void NarrowT(const float* HWY_RESTRICT in, size_t n, const Narrowing& how,
                        Out* HWY_RESTRICT out) {
  const hn::ScalableTag<float> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::Rebind<Out, decltype(d)> d_out;
  const size_t lanes = hn::Lanes(d);
  // Clamping before the conversion keeps huge values from wrapping to INT_MIN.
  const auto lo = hn::Set(d, -2147483520.0f), hi = hn::Set(d, 2147483520.0f);
  const auto scale = hn::Set(d, how.scale), offset = hn::Set(d, how.offset);
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    auto v = hn::Mul(hn::LoadU(d, in + x), scale);
    if (how.absolute) v = hn::Abs(v);
    v = hn::Add(v, offset);
    if constexpr (std::is_same_v<Out, float>) {
      hn::StoreU(v, d, out + x);
    } else {
      v = hn::IfThenZeroElse(hn::IsNaN(v), v);
      const auto whole = hn::NearestInt(hn::Min(hn::Max(v, lo), hi));
      hn::StoreU(hn::DemoteTo(d_out, saturate<Out>(di, whole)), d_out, out + x);
    }
  }
  for (; x < n; ++x) out[x] = narrow_one<Out>(in[x], how);
}

void NarrowRowF32(const float* in, size_t n, const Narrowing& how, void* out) {
  switch (how.type) {
    case Sample::u8:
      return NarrowT(in, n, how, static_cast<uint8_t*>(out));
    case Sample::u16:
      return NarrowT(in, n, how, static_cast<uint16_t*>(out));
    case Sample::s16:
      return NarrowT(in, n, how, static_cast<int16_t*>(out));
    case Sample::f32:
      return NarrowT(in, n, how, static_cast<float*>(out));
  }
}

/// Whole sums with no scale: abs, offset and saturation in integers, exactly.
template <typename Out>
HWY_INLINE void NarrowIntT(const int32_t* HWY_RESTRICT in, size_t n, const Narrowing& how,
                           Out* HWY_RESTRICT out) {
  const hn::ScalableTag<int32_t> d;
  const hn::Rebind<Out, decltype(d)> d_out;
  const size_t lanes = hn::Lanes(d);
  const int32_t offset = static_cast<int32_t>(how.offset);
  const auto offset_v = hn::Set(d, offset);
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    auto v = hn::LoadU(d, in + x);
    if (how.absolute) v = hn::Abs(v);
    hn::StoreU(hn::DemoteTo(d_out, saturate<Out>(d, hn::Add(v, offset_v))), d_out, out + x);
  }
  for (; x < n; ++x) {
    int64_t v = in[x];
    if (how.absolute) v = v < 0 ? -v : v;
    v += offset;
    v = std::min<int64_t>(std::max<int64_t>(v, std::numeric_limits<Out>::min()),
                          std::numeric_limits<Out>::max());
    out[x] = static_cast<Out>(v);
  }
}

void NarrowRowI32(const int32_t* in, size_t n, const Narrowing& how, void* out) {
  if (how.scale != 1.0f || how.type == Sample::f32) {
    // Scaled sums go through float: exact for power-of-two scales below 2^24 (callers check).
    thread_local std::vector<float> converted;
    converted.resize(n);
    const hn::ScalableTag<float> d;
    const hn::RebindToSigned<decltype(d)> di;
    const size_t lanes = hn::Lanes(d);
    size_t x = 0;
    for (; x + lanes <= n; x += lanes) {
      hn::StoreU(hn::ConvertTo(d, hn::LoadU(di, in + x)), d, converted.data() + x);
    }
    for (; x < n; ++x) converted[x] = static_cast<float>(in[x]);
    return NarrowRowF32(converted.data(), n, how, out);
  }
  switch (how.type) {
    case Sample::u8:
      return NarrowIntT(in, n, how, static_cast<uint8_t*>(out));
    case Sample::u16:
      return NarrowIntT(in, n, how, static_cast<uint16_t*>(out));
    case Sample::s16:
      return NarrowIntT(in, n, how, static_cast<int16_t*>(out));
    case Sample::f32:
      break;
  }
}

/// 16-bit sums: an s16 output without abs or offset is a copy; the rest goes through int32.
void NarrowRowI16(const int16_t* in, size_t n, const Narrowing& how, void* out) {
  const bool plain = how.scale == 1.0f && how.offset == 0.0f && !how.absolute;
  if (plain && how.type == Sample::s16) {
    std::copy(in, in + n, static_cast<int16_t*>(out));
    return;
  }
  if (plain && how.type == Sample::f32) {  // every 16-bit sum is exact in float
    WidenT(in, n, static_cast<float*>(out));
    return;
  }
  thread_local std::vector<int32_t> wide;
  wide.resize(n);
  WidenT(in, n, wide.data());
  NarrowRowI32(wide.data(), n, how, out);
}

void HorizontalPassF32(const float* in, size_t n, SparseTaps<float> taps, float* out, bool acc) {
  HorizontalPassT<float>(in, n, taps, out, acc);
}
void HorizontalPassI32(const int32_t* in, size_t n, SparseTaps<int32_t> taps, int32_t* out,
                       bool acc) {
  HorizontalPassT<int32_t>(in, n, taps, out, acc);
}
void HorizontalPassI16(const int16_t* in, size_t n, SparseTaps<int16_t> taps, int16_t* out,
                       bool acc) {
  HorizontalPassT<int16_t>(in, n, taps, out, acc);
}
void VerticalPassI16(const int16_t* const* rows, const int16_t* values, size_t count, size_t n,
                     int16_t* out, bool acc) {
  VerticalPassT<int16_t>(rows, values, count, n, out, acc);
}
void VerticalPassF32(const float* const* rows, const float* values, size_t count, size_t n,
                     float* out, bool acc) {
  VerticalPassT<float>(rows, values, count, n, out, acc);
}
void VerticalPassI32(const int32_t* const* rows, const int32_t* values, size_t count, size_t n,
                     int32_t* out, bool acc) {
  VerticalPassT<int32_t>(rows, values, count, n, out, acc);
}

}  // namespace HWY_NAMESPACE
}  // namespace sepconv
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sepconv {

// Every Highway export in one block, named <Pass><Working type>; the dispatching overloads below
// are the only callers.
HWY_EXPORT(HorizontalPassF32);
HWY_EXPORT(HorizontalPassI32);
HWY_EXPORT(HorizontalPassI16);
HWY_EXPORT(VerticalPassF32);
HWY_EXPORT(VerticalPassI32);
HWY_EXPORT(VerticalPassI16);
HWY_EXPORT(VerticalPairF32);
HWY_EXPORT(VerticalPairI32);
HWY_EXPORT(VerticalPairI16);
HWY_EXPORT(VerticalPairQ15);
HWY_EXPORT(WindowPassF32);
HWY_EXPORT(WindowPassI32);
HWY_EXPORT(WindowPassI16);
HWY_EXPORT(WidenRowF32);
HWY_EXPORT(WidenRowI32);
HWY_EXPORT(WidenRowI16);
HWY_EXPORT(NarrowRowF32);
HWY_EXPORT(NarrowRowI32);
HWY_EXPORT(NarrowRowI16);
HWY_EXPORT(HorizontalPassQ15);
HWY_EXPORT(VerticalPassQ15);
HWY_EXPORT(WidenRowShifted);
HWY_EXPORT(NarrowRowShifted);

void horizontal_pass(const float* in, std::size_t n, SparseTaps<float> taps, float* out,
                     bool accumulate) {
  HWY_DYNAMIC_DISPATCH(HorizontalPassF32)(in, n, taps, out, accumulate);
}
void horizontal_pass(const std::int32_t* in, std::size_t n, SparseTaps<std::int32_t> taps,
                     std::int32_t* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(HorizontalPassI32)(in, n, taps, out, accumulate);
}
void horizontal_pass(const std::int16_t* in, std::size_t n, SparseTaps<std::int16_t> taps,
                     std::int16_t* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(HorizontalPassI16)(in, n, taps, out, accumulate);
}

void vertical_pass(const float* const* rows, const float* values, std::size_t count, std::size_t n,
                   float* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPassF32)(rows, values, count, n, out, accumulate);
}
void vertical_pass(const std::int32_t* const* rows, const std::int32_t* values, std::size_t count,
                   std::size_t n, std::int32_t* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPassI32)(rows, values, count, n, out, accumulate);
}
void vertical_pass(const std::int16_t* const* rows, const std::int16_t* values, std::size_t count,
                   std::size_t n, std::int16_t* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPassI16)(rows, values, count, n, out, accumulate);
}

void vertical_pair_pass(const float* const* rows, const float* values, std::size_t count,
                        std::size_t n, float* out0, float* out1, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPairF32)(rows, values, count, n, out0, out1, accumulate);
}
void vertical_pair_pass(const std::int32_t* const* rows, const std::int32_t* values,
                        std::size_t count, std::size_t n, std::int32_t* out0, std::int32_t* out1,
                        bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPairI32)(rows, values, count, n, out0, out1, accumulate);
}
void vertical_pair_pass(const std::int16_t* const* rows, const std::int16_t* values,
                        std::size_t count, std::size_t n, std::int16_t* out0, std::int16_t* out1,
                        bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPairI16)(rows, values, count, n, out0, out1, accumulate);
}

void window_pass(const float* const* rows, const SparseTaps<float>* taps, std::size_t count,
                 std::size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(WindowPassF32)(rows, taps, count, n, out);
}
void window_pass(const std::int32_t* const* rows, const SparseTaps<std::int32_t>* taps,
                 std::size_t count, std::size_t n, std::int32_t* out) {
  HWY_DYNAMIC_DISPATCH(WindowPassI32)(rows, taps, count, n, out);
}
void window_pass(const std::int16_t* const* rows, const SparseTaps<std::int16_t>* taps,
                 std::size_t count, std::size_t n, std::int16_t* out) {
  HWY_DYNAMIC_DISPATCH(WindowPassI16)(rows, taps, count, n, out);
}

void widen_row(const void* in, Sample type, std::size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(WidenRowF32)(in, type, n, out);
}
void widen_row(const void* in, Sample type, std::size_t n, std::int32_t* out) {
  HWY_DYNAMIC_DISPATCH(WidenRowI32)(in, type, n, out);
}
void widen_row(const void* in, Sample type, std::size_t n, std::int16_t* out) {
  HWY_DYNAMIC_DISPATCH(WidenRowI16)(in, type, n, out);
}

void narrow_row(const float* sums, std::size_t n, const Narrowing& how, void* out) {
  HWY_DYNAMIC_DISPATCH(NarrowRowF32)(sums, n, how, out);
}
void narrow_row(const std::int32_t* sums, std::size_t n, const Narrowing& how, void* out) {
  HWY_DYNAMIC_DISPATCH(NarrowRowI32)(sums, n, how, out);
}
void narrow_row(const std::int16_t* sums, std::size_t n, const Narrowing& how, void* out) {
  HWY_DYNAMIC_DISPATCH(NarrowRowI16)(sums, n, how, out);
}

void horizontal_fixed_pass(const std::int16_t* in, std::size_t n, SparseTaps<std::int16_t> taps,
                           std::int16_t* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(HorizontalPassQ15)(in, n, taps, out, accumulate);
}
void vertical_fixed_pass(const std::int16_t* const* rows, const std::int16_t* values,
                         std::size_t count, std::size_t n, std::int16_t* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPassQ15)(rows, values, count, n, out, accumulate);
}
void vertical_fixed_pair_pass(const std::int16_t* const* rows, const std::int16_t* values,
                              std::size_t count, std::size_t n, std::int16_t* out0,
                              std::int16_t* out1, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPairQ15)(rows, values, count, n, out0, out1, accumulate);
}
void widen_row_shifted(const std::uint8_t* in, std::size_t n, int shift, std::int16_t* out) {
  HWY_DYNAMIC_DISPATCH(WidenRowShifted)(in, n, shift, out);
}
void narrow_row_shifted(const std::int16_t* sums, std::size_t n, int shift, std::uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(NarrowRowShifted)(sums, n, shift, out);
}

void force_simd_target(std::int64_t target) {
  hwy::SetSupportedTargetsForTest(target);
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
}

namespace {

/// The name --simd uses for a Highway target: its own name in lower case, "scalar" for the
/// portable fallback (EMU128 or SCALAR, whichever this build has).
std::string simd_option_name(std::int64_t target) {
  if (target == HWY_EMU128 || target == HWY_SCALAR) return "scalar";
  std::string name = hwy::TargetName(target);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

std::vector<std::string> available_simd_targets() {
  const std::int64_t restricted = hwy::SupportedTargets();  // under any use_simd_target mock
  hwy::SetSupportedTargetsForTest(0);
  const std::int64_t all = hwy::SupportedTargets();
  std::vector<std::string> names;
  for (std::int64_t target : hwy::SupportedAndGeneratedTargets())
    names.push_back(simd_option_name(target));
  force_simd_target(restricted == all ? 0 : restricted);
  return names;
}

bool use_simd_target(const std::string& name) {
  const std::string wanted = name == "avx512" ? "avx3" : name;
  force_simd_target(0);
  for (std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    if (simd_option_name(target) == wanted) {
      // The portable fallback is always compiled: keep it beside the target so dispatch has a
      // baseline, as Highway requires.
      force_simd_target(target | HWY_EMU128 | HWY_SCALAR);
      return true;
    }
  }
  return false;
}

const char* simd_target_name() {
  const std::int64_t best = hwy::SupportedTargets() & HWY_TARGETS;
  return hwy::TargetName(best & -best);  // the lowest set bit is the best target
}

}  // namespace sepconv
#endif  // HWY_ONCE
