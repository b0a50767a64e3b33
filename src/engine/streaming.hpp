#pragma once
// The streaming engine: the fast way to run full, separable and low-rank plans. Rows flow through a
// ring buffer of a few rows per thread (never a full-size intermediate), the inner loops are the
// SIMD passes, and row strips run on several threads. Each finished output row goes to a sink.

#include <cstdint>
#include <functional>
#include <opencv2/core.hpp>

#include "analysis/ops.hpp"
#include "analysis/plan.hpp"
#include "engine/border.hpp"

namespace sepconv {

/// Receives output row y (out_width values) from any thread; rows never repeat.
template <typename T>
using RowSink = std::function<void(int y, const T* row)>;

/// Optionally, where to build output row y in place: the output image's own row when no conversion
/// is needed (float sums into f32, 16-bit sums into s16), which saves a copy of every row.
template <typename T>
using RowTarget = std::function<T*(int y)>;

/// Whether the streaming engine can run `plan` on an image of `depth`: integer plans need every
/// partial sum to fit in 32 bits (else the exact 64-bit engine runs them).
bool streaming_supports(const Plan& plan, int depth);

/// Runs a float32 plan on `plane` (one channel, 8/16-bit or float). Returns the operations
/// executed.
OpCount stream_float(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                     const RowSink<float>& sink, const RowTarget<float>& target = {});

/// Runs an integer plan (sums in int32, the plan's scale not yet applied).
OpCount stream_integer(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                       const RowSink<std::int32_t>& sink);

/// Whether an integer plan on this image can sum in 16 bits: 8-bit pixels and every partial sum
/// below 2^15, as for sobel and scharr. Twice the SIMD lanes of the 32-bit sums.
bool fits_16_bits(const Plan& plan, int depth);

/// Runs an integer plan with 16-bit sums (fits_16_bits must hold).
OpCount stream_integer16(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                         const RowSink<std::int16_t>& sink,
                         const RowTarget<std::int16_t>& target = {});

/// Runs a plan whose taps are already round(tap * 2^15) in 16-bit fixed point on an 8-bit plane,
/// pixels times 2^pixel_shift; the sums reach the sink in units of 2^-pixel_shift. passes_fixed.hpp
/// builds such plans and bounds their sums and error.
OpCount stream_fixed_point(const Plan& plan, int pixel_shift, const cv::Mat& plane,
                           const Border& border, int threads, const RowSink<std::int16_t>& sink);

/// The same float or integer run with every multiplication and addition counted one by one, on
/// one thread, to check the executed counts the streaming engine reports.
OpCount count_streaming_ops(const Plan& plan, const cv::Mat& plane, const Border& border);

}  // namespace sepconv
