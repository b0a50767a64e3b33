#include "engine/engine.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "core/depth.hpp"
#include "engine/fft.hpp"
#include "engine/full2d.hpp"
#include "engine/padded_rows.hpp"
#include "engine/passes.hpp"
#include "engine/passes_fixed.hpp"
#include "engine/separable.hpp"
#include "engine/streaming.hpp"

namespace sepconv {
namespace {

/// The plan as made for this border (make_plan decides with the border; a plan reused under
/// another border is re-decided the same way, never altered in place).
Plan arithmetic_for(const Plan& plan, const Border& border, int depth) {
  return with_border(plan, border, depth);
}

/// The plane in the engines' pixel type: int32 for integer plans, float32 otherwise.
cv::Mat working_plane(const Plan& plan, const cv::Mat& plane) {
  CV_Assert(plane.channels() == 1);
  cv::Mat converted;
  plane.convertTo(converted, plan.arithmetic == Arithmetic::integer ? CV_32S : CV_32F);
  return converted;
}

int configured_threads = 0;

/// The exact 64-bit engines, for integer plans whose sums may not fit in 32 bits.
cv::Mat1d run_generic(const Plan& plan, const cv::Mat& plane, const Border& border) {
  const cv::Mat working = working_plane(plan, plane);
  switch (plan.mode) {
    case Mode::full:
      return run_full2d(plan, working, border);
    case Mode::separable:
    case Mode::lowrank:
      return run_separable(plan, working, border);
    case Mode::fft:
      return run_fft(plan, plane, border, engine_threads());
  }
  throw std::logic_error("a plan mode without an engine");
}

/// Converts one finished row (float sums, or integer sums still to be scaled) into the output
/// depth with the map; the same arithmetic as convert_plane on the whole plane.
template <typename T>
void emit_row_generic(const T* row, int width, double scale, int depth, ValueMap map,
                      void* destination) {
  if (depth == CV_64F && map == ValueMap::clamp) {  // run_plan's exact values: a plain loop
    double* out = static_cast<double*>(destination);
    for (int x = 0; x < width; ++x) out[x] = static_cast<double>(row[x]) * scale;
    return;
  }
  thread_local cv::Mat scaled, magnitude, rounded;
  cv::Mat values(1, width, cv::DataType<T>::type, const_cast<T*>(row));
  cv::Mat out(1, width, CV_MAKETYPE(depth, 1), destination);
  if (scale != 1.0) {  // exact: integer sums times the scale, in double
    values.convertTo(scaled, CV_64F, scale);
    values = scaled;
  }
  if (map == ValueMap::abs) {
    cv::absdiff(values, cv::Scalar::all(0), magnitude);
    values = magnitude;
  }
  const double offset = map == ValueMap::offset ? depth_offset(out.depth()) : 0.0;
  if (offset != 0.0) {
    // Rounded first, then mid-grey added in integers: OpenCV adds a float row's offset in float32,
    // which rounds 1.49982 + 32768 to 32769.5 before the narrowing rounds it again to 32770. The
    // offsets are even, so this is round(v + offset) with ties to even, rounded once.
    values.convertTo(rounded, CV_32S);
    cv::add(rounded, cv::Scalar::all(offset), rounded);
    values = rounded;
  }
  values.convertTo(out, depth);
}

/// The SIMD narrowing for this plan and output, when it gives the same samples as
/// emit_row_generic: float sums, whole sums, or whole sums below 2^24 times a power of two; with
/// an offset, only whole sums below 2^24, whose sum with the offset is exact in float32.
std::optional<Narrowing> simd_narrowing(const Plan& plan, int in_depth, int out_depth,
                                        ValueMap map) {
  if (map == ValueMap::normalize) return std::nullopt;
  Narrowing how;
  switch (out_depth) {
    case CV_8U:
      how.type = Sample::u8;
      break;
    case CV_16U:
      how.type = Sample::u16;
      break;
    case CV_16S:
      how.type = Sample::s16;
      break;
    case CV_32F:
      how.type = Sample::f32;
      break;
    default:
      return std::nullopt;
  }
  const bool integer = plan.arithmetic == Arithmetic::integer;
  how.absolute = map == ValueMap::abs;
  how.offset = static_cast<float>(map == ValueMap::offset ? depth_offset(out_depth) : 0.0);
  if (how.offset != 0.0f) {
    const bool whole_sums = integer && plan.scale == 1.0;
    if (!whole_sums || sum_bound(plan, in_depth) >= kExactInFloat) return std::nullopt;
  }
  if (integer && plan.scale != 1.0) {
    int exponent = 0;
    const bool power_of_two = std::frexp(plan.scale, &exponent) == 0.5;
    if (!power_of_two || sum_bound(plan, in_depth) >= kExactInFloat) return std::nullopt;
    how.scale = static_cast<float>(plan.scale);
  }
  return how;
}

/// Streams the plan into rows of `out` (already allocated).
OpCount stream_into(const Plan& plan, const cv::Mat& plane, const Border& border, ValueMap map,
                    cv::Mat& out) {
  const int width = out.cols, depth = out.depth();
  const std::optional<Narrowing> how = simd_narrowing(plan, plane.depth(), depth, map);
  // Sums that need no conversion are built in the output image's own rows.
  const bool plain = how && how->scale == 1.0f && how->offset == 0.0f && !how->absolute;
  if (fits_16_bits(plan, plane.depth())) {
    if (plain && depth == CV_16S) {
      return stream_integer16(plan, plane, border, engine_threads(), {},
                              [&](int y) { return out.ptr<std::int16_t>(y); });
    }
    return stream_integer16(plan, plane, border, engine_threads(),
                            [&](int y, const std::int16_t* row) {
                              if (how) return narrow_row(row, width, *how, out.ptr(y));
                              emit_row_generic(row, width, plan.scale, depth, map, out.ptr(y));
                            });
  }
  if (plan.arithmetic == Arithmetic::integer) {
    return stream_integer(plan, plane, border, engine_threads(),
                          [&](int y, const std::int32_t* row) {
                            if (how) return narrow_row(row, width, *how, out.ptr(y));
                            emit_row_generic(row, width, plan.scale, depth, map, out.ptr(y));
                          });
  }
  if (plain && depth == CV_32F) {
    return stream_float(plan, plane, border, engine_threads(), {},
                        [&](int y) { return out.ptr<float>(y); });
  }
  return stream_float(plan, plane, border, engine_threads(), [&](int y, const float* row) {
    if (how) return narrow_row(row, width, *how, out.ptr(y));
    emit_row_generic(row, width, 1.0, depth, map, out.ptr(y));
  });
}

/// The plan's sums for every output pixel, in the streaming engine's own type (int16 or int32
/// sums before the plan's scale, float32 values): 2 or 4 bytes a pixel where a plane of doubles
/// took 8.
OpCount stream_sums(const Plan& plan, const cv::Mat& plane, const Border& border, cv::Size size,
                    cv::Mat& sums) {
  if (fits_16_bits(plan, plane.depth())) {
    sums.create(size, CV_16S);
    return stream_integer16(plan, plane, border, engine_threads(), {},
                            [&](int y) { return sums.ptr<std::int16_t>(y); });
  }
  if (plan.arithmetic == Arithmetic::integer) {
    sums.create(size, CV_32S);
    return stream_integer(plan, plane, border, engine_threads(),
                          [&](int y, const std::int32_t* row) {
                            std::copy(row, row + sums.cols, sums.ptr<std::int32_t>(y));
                          });
  }
  sums.create(size, CV_32F);
  return stream_float(plan, plane, border, engine_threads(), {},
                      [&](int y) { return sums.ptr<float>(y); });
}

/// Row y of `sums` as the values convert_plane would see: each sum times the scale, in double, as
/// emit_row_generic makes them for a plane of doubles.
template <typename T>
void row_values(const cv::Mat& sums, int y, double scale, std::vector<double>& values) {
  const T* row = sums.ptr<T>(y);
  for (int x = 0; x < sums.cols; ++x) values[x] = static_cast<double>(row[x]) * scale;
}

/// --map normalize on the streaming path: the sums in the engine's type, their range, then each
/// row mapped; the same samples as mapping a plane of doubles, with a quarter of its memory or less
/// (a 20000x20000 u8 image took 10.2 GB).
template <typename T>
void normalize_sums(const cv::Mat& sums, double scale, int out_depth, cv::Mat& out) {
  std::vector<double> values(sums.cols);
  NormalizeRange range;
  for (int y = 0; y < sums.rows; ++y) {  // in row order, as convert_plane takes them
    row_values<T>(sums, y, scale, values);
    for (double v : values) range.take(v);
  }
  out.create(sums.size(), CV_MAKETYPE(out_depth, 1));
  for (int y = 0; y < sums.rows; ++y) {
    row_values<T>(sums, y, scale, values);
    normalize_row(values.data(), sums.cols, range, out_depth, out.ptr(y));
  }
}

OpCount stream_normalized(const Plan& plan, const cv::Mat& plane, const Border& border,
                          cv::Size size, int out_depth, cv::Mat& out) {
  cv::Mat sums;
  const OpCount ops = stream_sums(plan, plane, border, size, sums);
  switch (sums.depth()) {
    case CV_16S:
      normalize_sums<std::int16_t>(sums, plan.scale, out_depth, out);
      break;
    case CV_32S:
      normalize_sums<std::int32_t>(sums, plan.scale, out_depth, out);
      break;
    default:  // float values: emit_row_generic passes them on unscaled
      normalize_sums<float>(sums, 1.0, out_depth, out);
  }
  return ops;
}

}  // namespace

void set_engine_threads(int threads) {
  configured_threads = threads;
}

int engine_threads() {
  return configured_threads > 0 ? configured_threads : std::max(1, cv::getNumberOfCPUs());
}

cv::Mat1d run_plan(const Plan& requested, const cv::Mat& plane, const Border& border) {
  const Plan plan = arithmetic_for(requested, border, plane.depth());
  if (!streaming_supports(plan, plane.depth())) return run_generic(plan, plane, border);
  cv::Mat1d out(output_size(plane.size(), plan.kernel_size(), border));
  stream_into(plan, plane, border, ValueMap::clamp, out);
  return out;
}

OpCount filter_plane(const Plan& requested, const cv::Mat& plane, const Border& border,
                     int out_depth, ValueMap map, cv::Mat& out) {
  if (requested.precision == Precision::fixed) {  // passes_fixed.hpp says when it applies
    const FixedPointForm fixed = fixed_point_form(requested, plane.depth(), out_depth, map, border);
    if (fixed.applies) return run_fixed_point(fixed, plane, border, engine_threads(), out);
  }
  const Plan plan = arithmetic_for(requested, border, plane.depth());
  const cv::Size size = output_size(plane.size(), plan.kernel_size(), border);
  if (plan.mode == Mode::fft && plan.arithmetic == Arithmetic::float32 && plan.scale == 1.0 &&
      out_depth == CV_32F && map == ValueMap::clamp) {
    run_fft_float32(plan, plane, border, engine_threads(), out);
    return OpCount{};
  }
  if (!streaming_supports(plan, plane.depth())) {
    out = convert_plane(run_generic(plan, plane, border), out_depth, map);
    // The generic engines run exactly the planned operations; the FFT has no products and sums to
    // count, so its executed count stays zero.
    return plan.mode == Mode::fft ? OpCount{} : planned_ops(plan, plane.size(), border);
  }
  if (map == ValueMap::normalize) {  // needs the plane's min and max before the first row
    return stream_normalized(plan, plane, border, size, out_depth, out);
  }
  out.create(size, CV_MAKETYPE(out_depth, 1));
  return stream_into(plan, plane, border, map, out);
}

}  // namespace sepconv
