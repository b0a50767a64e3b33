#pragma once
// --precision fixed: 8-bit images through separable float kernels in 16-bit fixed point, as
// OpenCV's 8-bit smoothing and libvips' approximate precision do, with the largest possible error
// worked out from the rounding of every tap and every product, before anything runs.

#include <opencv2/core.hpp>
#include <string>

#include "analysis/ops.hpp"
#include "analysis/plan.hpp"
#include "core/convert.hpp"
#include "engine/border.hpp"

namespace sepconv {

/// A separable plan in 16-bit fixed point: taps round(tap * 2^15), pixels p * 2^pixel_shift, every
/// product rounded back to the pixel's units, sums in 16 bits (proved not to overflow).
struct FixedPointForm {
  bool applies = false;
  std::string reason;   ///< why not, when it does not apply
  Plan plan;            ///< taps already times 2^15 and rounded
  int pixel_shift = 0;  ///< the sums carry this many fraction bits
  /// The largest possible |sum before the final rounding - the exact value|, in grey levels: the
  /// output is within error_bound + 0.5 of the exact value, where the exact engine is within 0.5.
  double error_bound = 0;
  /// The largest possible difference from the exact engine's output, in grey levels.
  int level_bound() const;
};

/// Fixed point beyond this many grey levels from the exact output is not offered: the exact
/// engine runs instead.
constexpr int kFixedPointMaxLevels = 1;

/// The fixed-point form of `plan` (Precision::fixed asked for), or applies = false with the reason:
/// only separable plans, 8-bit in and out with clamping, a whole constant border in 0..255, taps
/// whose rounding keeps the output within kFixedPointMaxLevels of the exact one.
FixedPointForm fixed_point_form(const Plan& plan, int in_depth, int out_depth, ValueMap map,
                                const Border& border);

/// Runs an applicable form on an 8-bit plane into an 8-bit `out`.
OpCount run_fixed_point(const FixedPointForm& form, const cv::Mat& plane, const Border& border,
                        int threads, cv::Mat& out);

}  // namespace sepconv
