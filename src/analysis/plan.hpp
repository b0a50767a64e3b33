#pragma once
// A plan says what to compute for one kernel on one kind of image: which strategy, with which taps,
// in integer or floating-point arithmetic. Engines only execute plans.

#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "analysis/ops.hpp"
#include "kernel/kernel.hpp"

namespace sepconv {

/// full: the 2D kernel; separable: one vertical and one horizontal pass; lowrank: the sum of
/// several separable terms; fft: the 2D kernel through the discrete Fourier transform.
enum class Mode { full, separable, lowrank, fft };

/// What the user asked for with --mode (and --approx-tol).
struct PlanRequest {
  enum class Kind { automatic, full, separable, lowrank, fft };
  Kind kind = Kind::automatic;
  int terms = 0;  ///< lowrank:R; 0 means the numerical rank
  /// Lets auto and lowrank use the smallest rank whose relative (Frobenius) error is at most this.
  std::optional<double> approx_tolerance;
};

/// Parses "auto", "full", "separable", "lowrank", "lowrank:R" or "fft"; throws a usage Error
/// naming --mode.
PlanRequest parse_mode(const std::string& text);
std::string mode_name(Mode mode);

/// How the engine accumulates: exactly in 64-bit integers (integer kernel on an integer image), or
/// in float32 (everything else).
enum class Arithmetic { integer, float32 };

/// --precision: exact sums (the default), or fixed: 8-bit images through separable float kernels
/// in 16-bit fixed point, where its error bound stays within one grey level (engine/passes_fixed).
enum class Precision { exact, fixed };

struct Plan {
  Precision precision = Precision::exact;
  Mode mode = Mode::full;
  Arithmetic arithmetic = Arithmetic::float32;
  int rows = 0, cols = 0;  ///< kernel size
  cv::Point anchor;
  /// Applied once to every accumulated sum: the integer form's scale (1/16 for gaussian3), or 1
  /// for float32 plans, whose taps already hold the real coefficients.
  double scale = 1.0;
  cv::Mat1d taps;  ///< Mode::full and fft: rows x cols taps (whole numbers for integer plans)
  /// Mode::separable (one) and Mode::lowrank (several): vertical and horizontal taps, each term's
  /// own scale already folded into its column for float32 plans.
  std::vector<SeparableTerm> terms;
  bool approximate = false;        ///< a truncated low-rank plan (--approx-tol, lowrank:R < rank)
  double approximation_error = 0;  ///< its relative Frobenius error

  cv::Size kernel_size() const { return {cols, rows}; }
  /// Operations per output pixel in the image's interior, in the primer's convention.
  OpCount ops_per_pixel() const;
  /// "separable", "lowrank:2", "lowrank:1 (approximate)".
  std::string name() const;
};

/// Whether sums of this image depth times this integer kernel stay exact in the integer engine.
bool integer_arithmetic_fits(const IntegerForm& form, int depth);

/// The same plan computed in float32: taps times scale. Used where integer sums would not be exact,
/// such as a constant border with a fractional value.
Plan as_float32(Plan plan);

/// Chooses and builds the plan. auto takes the exact plan the cost model (cost_model.hpp) predicts
/// fastest among full, separable (rank 1), low-rank (rank terms) and FFT; with an approx tolerance,
/// low-rank may drop terms. Asking for separable on a kernel of another rank throws Error.
Plan make_plan(const Kernel& kernel, const Analysis& analysis, const PlanRequest& request,
               int depth);

}  // namespace sepconv
