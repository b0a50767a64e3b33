// Highway implementations of the row passes, compiled once per SIMD target (foreach_target.h
// re-includes this file) and chosen at run time with HWY_DYNAMIC_DISPATCH.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "engine/passes_simd.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

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

template <class D, typename T>
HWY_INLINE hn::Vec<D> fma(D d, hn::Vec<D> a, hn::Vec<D> b, hn::Vec<D> c) {
  if constexpr (hwy::IsFloat<T>()) {
    (void)d;
    return multiply_add(a, b, c);
  } else {
    return multiply_add_int(d, a, b, c);
  }
}

template <typename T>
HWY_INLINE void HorizontalPassT(const T* HWY_RESTRICT in, size_t n, SparseTaps<T> taps,
                                T* HWY_RESTRICT out, bool accumulate) {
  const hn::ScalableTag<T> d;
  const size_t lanes = hn::Lanes(d);
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    auto sum = accumulate ? hn::LoadU(d, out + x) : hn::Zero(d);
    for (size_t j = 0; j < taps.count; ++j) {
      sum = fma<decltype(d), T>(d, hn::Set(d, taps.values[j]),
                                hn::LoadU(d, in + x + taps.offsets[j]), sum);
    }
    hn::StoreU(sum, d, out + x);
  }
  for (; x < n; ++x) {
    T sum = accumulate ? out[x] : T(0);
    for (size_t j = 0; j < taps.count; ++j) sum += taps.values[j] * in[x + taps.offsets[j]];
    out[x] = sum;
  }
}

template <typename T>
HWY_INLINE void VerticalPassT(const T* const* rows, const T* values, size_t count, size_t n,
                              T* HWY_RESTRICT out, bool accumulate) {
  const hn::ScalableTag<T> d;
  const size_t lanes = hn::Lanes(d);
  size_t x = 0;
  for (; x + lanes <= n; x += lanes) {
    auto sum = accumulate ? hn::LoadU(d, out + x) : hn::Zero(d);
    for (size_t i = 0; i < count; ++i) {
      sum = fma<decltype(d), T>(d, hn::Set(d, values[i]), hn::LoadU(d, rows[i] + x), sum);
    }
    hn::StoreU(sum, d, out + x);
  }
  for (; x < n; ++x) {
    T sum = accumulate ? out[x] : T(0);
    for (size_t i = 0; i < count; ++i) sum += values[i] * rows[i][x];
    out[x] = sum;
  }
}

void HorizontalPassF32(const float* in, size_t n, SparseTaps<float> taps, float* out, bool acc) {
  HorizontalPassT<float>(in, n, taps, out, acc);
}
void HorizontalPassI32(const int32_t* in, size_t n, SparseTaps<int32_t> taps, int32_t* out,
                       bool acc) {
  HorizontalPassT<int32_t>(in, n, taps, out, acc);
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

HWY_EXPORT(HorizontalPassF32);
HWY_EXPORT(HorizontalPassI32);
HWY_EXPORT(VerticalPassF32);
HWY_EXPORT(VerticalPassI32);

void horizontal_pass(const float* in, std::size_t n, SparseTaps<float> taps, float* out,
                     bool accumulate) {
  HWY_DYNAMIC_DISPATCH(HorizontalPassF32)(in, n, taps, out, accumulate);
}
void horizontal_pass(const std::int32_t* in, std::size_t n, SparseTaps<std::int32_t> taps,
                     std::int32_t* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(HorizontalPassI32)(in, n, taps, out, accumulate);
}
void vertical_pass(const float* const* rows, const float* values, std::size_t count, std::size_t n,
                   float* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPassF32)(rows, values, count, n, out, accumulate);
}
void vertical_pass(const std::int32_t* const* rows, const std::int32_t* values, std::size_t count,
                   std::size_t n, std::int32_t* out, bool accumulate) {
  HWY_DYNAMIC_DISPATCH(VerticalPassI32)(rows, values, count, n, out, accumulate);
}

void force_simd_target(std::int64_t target) {
  hwy::SetSupportedTargetsForTest(target);
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
}

const char* simd_target_name() {
  const std::int64_t best = hwy::SupportedTargets() & HWY_TARGETS;
  return hwy::TargetName(best & -best);  // the lowest set bit is the best target
}

}  // namespace sepconv
#endif  // HWY_ONCE
