#pragma once
// The inner loops of the streaming engine: one row through a set of taps. Each is compiled for
// every SIMD target Highway supports (passes_simd.cpp) and dispatched at run time, so one binary
// uses AVX2 or AVX-512 where the processor has them and stays correct on any x86-64.

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace sepconv {

/// Taps with the zero ones left out: `offsets[j]` is where tap j reads, relative to the output.
template <typename T>
struct SparseTaps {
  const std::int32_t* offsets;
  const T* values;
  std::size_t count;
};

/// Whether a float pass shares products between mirrored taps: values[j] == values[count - 1 - j]
/// for every j (a symmetric kernel such as a Gaussian). Such a pass adds each mirrored pair of
/// inputs first and multiplies the sum once, ceil(count / 2) products instead of count: on AMD's
/// Zen cores the additions run on their own pipes beside the multiply-adds. The products of the
/// pairs are summed first (j ascending), then the centre tap's; float32 error stays within the
/// usual bound (each input still passes through at most count roundings). Integer passes keep
/// one product a tap (their counts are documented and exact either way).
template <typename T>
bool pairs_taps(const T* values, std::size_t count) {
  if constexpr (!std::is_same_v<T, float>) {
    (void)values;
    (void)count;
    return false;
  } else {
    if (count < 2) return false;
    for (std::size_t j = 0; j < count / 2; ++j) {
      if (values[j] != values[count - 1 - j]) return false;
    }
    return true;
  }
}

/// The products a pass of `count` taps executes per output value (pairs_taps shares them).
template <typename T>
std::size_t products_per_value(const T* values, std::size_t count) {
  return pairs_taps(values, count) ? (count + 1) / 2 : count;
}

/// out[x] = (accumulate ? out[x] : 0) + sum_j taps.values[j] * in[x + taps.offsets[j]], x < n.
void horizontal_pass(const float* in, std::size_t n, SparseTaps<float> taps, float* out,
                     bool accumulate);
void horizontal_pass(const std::int32_t* in, std::size_t n, SparseTaps<std::int32_t> taps,
                     std::int32_t* out, bool accumulate);
/// 16-bit sums for 8-bit images whose sums stay below 2^15 (sobel): twice the lanes of int32.
void horizontal_pass(const std::int16_t* in, std::size_t n, SparseTaps<std::int16_t> taps,
                     std::int16_t* out, bool accumulate);

/// out[x] = sum_r sum_j taps[r].values[j] * rows[r][x + taps[r].offsets[j]], x < n: a whole 2D
/// window in one sweep, so the sum stays in registers instead of going through `out` per row.
void window_pass(const float* const* rows, const SparseTaps<float>* taps, std::size_t count,
                 std::size_t n, float* out);
void window_pass(const std::int32_t* const* rows, const SparseTaps<std::int32_t>* taps,
                 std::size_t count, std::size_t n, std::int32_t* out);
void window_pass(const std::int16_t* const* rows, const SparseTaps<std::int16_t>* taps,
                 std::size_t count, std::size_t n, std::int16_t* out);

/// out[x] = (accumulate ? out[x] : 0) + sum_i values[i] * rows[i][x], x < n.
void vertical_pass(const float* const* rows, const float* values, std::size_t count, std::size_t n,
                   float* out, bool accumulate);
void vertical_pass(const std::int32_t* const* rows, const std::int32_t* values, std::size_t count,
                   std::size_t n, std::int32_t* out, bool accumulate);
void vertical_pass(const std::int16_t* const* rows, const std::int16_t* values, std::size_t count,
                   std::size_t n, std::int16_t* out, bool accumulate);

/// Two vertical passes in one: out0 from rows[0, count) and out1 from rows[1, count], as two
/// vertical_pass calls would make them, each of the count + 1 rows loaded once.
void vertical_pair_pass(const float* const* rows, const float* values, std::size_t count,
                        std::size_t n, float* out0, float* out1, bool accumulate);
void vertical_pair_pass(const std::int32_t* const* rows, const std::int32_t* values,
                        std::size_t count, std::size_t n, std::int32_t* out0, std::int32_t* out1,
                        bool accumulate);
void vertical_pair_pass(const std::int16_t* const* rows, const std::int16_t* values,
                        std::size_t count, std::size_t n, std::int16_t* out0, std::int16_t* out1,
                        bool accumulate);

/// The sample types rows are read from and written to.
enum class Sample { u8, u16, s16, f32 };

/// Widens n pixels of `type` into the working type of the passes.
void widen_row(const void* in, Sample type, std::size_t n, float* out);
void widen_row(const void* in, Sample type, std::size_t n, std::int32_t* out);
void widen_row(const void* in, Sample type, std::size_t n, std::int16_t* out);  ///< u8 only

/// How finished sums become output samples: v * scale, then |v| when `absolute`, then + offset,
/// then rounded to nearest (ties to even) and saturated to `type` (kept as is for f32).
struct Narrowing {
  float scale = 1.0f;  ///< exact only for powers of two on sums below 2^24: callers check
  float offset = 0.0f;
  bool absolute = false;
  Sample type = Sample::u8;
};
void narrow_row(const float* sums, std::size_t n, const Narrowing& how, void* out);
void narrow_row(const std::int32_t* sums, std::size_t n, const Narrowing& how, void* out);
void narrow_row(const std::int16_t* sums, std::size_t n, const Narrowing& how, void* out);

/// 16-bit fixed point for 8-bit images (--precision fixed): taps hold round(tap * 2^15), below 2^15
/// in magnitude, and each product tap * pixel is rounded to the pixel's units (halves up) before
/// it is summed, as x86's pmulhrsw does; callers bound the sums below 2^15.
void horizontal_fixed_pass(const std::int16_t* in, std::size_t n, SparseTaps<std::int16_t> taps,
                           std::int16_t* out, bool accumulate);
void vertical_fixed_pass(const std::int16_t* const* rows, const std::int16_t* values,
                         std::size_t count, std::size_t n, std::int16_t* out, bool accumulate);
/// vertical_fixed_pass for two output rows at once, as vertical_pair_pass.
void vertical_fixed_pair_pass(const std::int16_t* const* rows, const std::int16_t* values,
                              std::size_t count, std::size_t n, std::int16_t* out0,
                              std::int16_t* out1, bool accumulate);
/// 8-bit pixels times 2^shift (shift <= 7) into 16-bit lanes.
void widen_row_shifted(const std::uint8_t* in, std::size_t n, int shift, std::int16_t* out);
/// Sums in units of 2^-shift into 8-bit pixels, rounded halves up and saturated.
void narrow_row_shifted(const std::int16_t* sums, std::size_t n, int shift, std::uint8_t* out);

/// Restricts dispatch to one Highway target (a HWY_* bit), or 0 to restore the best one. For tests
/// that run every compiled target against the reference engine.
void force_simd_target(std::int64_t target);

/// Restricts dispatch to the target `--simd` names: "avx3" (or "avx512"), "avx2", "sse4", "ssse3",
/// "scalar". False when this processor or build lacks it; then nothing changes.
bool use_simd_target(const std::string& name);

/// The names use_simd_target accepts on this processor, best first.
std::vector<std::string> available_simd_targets();

/// The name of the target the passes run on now ("AVX2", "SSE4", "EMU128" ...).
const char* simd_target_name();

}  // namespace sepconv
