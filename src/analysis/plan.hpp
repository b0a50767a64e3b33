#pragma once
// A plan says what to compute for one kernel on one kind of image: which strategy, with which taps,
// in integer or floating-point arithmetic. Engines only execute plans.

#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "analysis/ops.hpp"
#include "core/border.hpp"
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

/// How the engine accumulates.
enum class Arithmetic {
  integer,  ///< exactly, in 16-, 32- or 64-bit integers: an integer kernel on an integer image
  float64,  ///< the FFT of an integer kernel: a double transform whose sums are rounded to whole
            ///< numbers, exact while sum_bound() stays below kExactFftSum
  float32,  ///< everything else
};

/// "integer", "float64" or "float32", as the statistics print it.
std::string arithmetic_name(Arithmetic arithmetic);

// Where sums stop being exact; sum_bound() is compared with these.
constexpr double kExactInDouble = 9007199254740992.0;  ///< 2^53: whole numbers in a double
constexpr double kExactFftSum = 1099511627776.0;  ///< 2^40: the FFT's rounding error far below 1/2
constexpr double kInt32Sum = 2147483647.0;        ///< 2^31 - 1: the streaming engine's int32 sums
constexpr double kInt16Sum = 32767.0;             ///< 2^15 - 1: its int16 sums (sobel on 8-bit)
constexpr double kExactInFloat = 16777216.0;      ///< 2^24: whole numbers in a float32

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
  Border border;                   ///< the border the plan was made for
  int fft_tile = 0;                ///< Mode::fft: the DFT length of its row segments

  cv::Size kernel_size() const { return {cols, rows}; }
  /// Operations per output pixel in the image's interior, in the primer's convention.
  OpCount ops_per_pixel() const;
  /// "separable", "lowrank:2", "lowrank:1 (approximate)".
  std::string name() const;
};

/// Whether sums of this image depth times this integer kernel stay exact in the integer engine.
bool integer_arithmetic_fits(const IntegerForm& form, int depth);

/// Whether integer sums can hold the border's pixels: every border but a fractional constant.
bool border_keeps_integers(const Border& border);

/// The largest magnitude a partial sum of `plan` can reach on an image of `depth`: the sum of
/// |taps| (per term, |column|_1 |row|_1, added up) times the largest pixel or border constant.
double sum_bound(const Plan& plan, int depth);

/// The same plan computed in float32: taps times scale, in taps of its own (the result never
/// shares coefficients with `plan`).
Plan as_float32(const Plan& plan);

/// `plan` for a run under `border`: the plan itself when it was made for that border, else the plan
/// with the border recorded and in float32 if its integer sums would no longer be exact. For
/// callers that reuse one plan under several borders; make_plan with the border is the usual way.
Plan with_border(const Plan& plan, const Border& border, int depth);

/// Chooses and builds the plan for images of `depth` under `border`. auto takes the exact plan the
/// cost model (cost_model.hpp) predicts fastest among full, separable (rank 1), low-rank (rank
/// terms) and FFT (never for a rank-1 kernel); with an approx tolerance, low-rank may drop terms.
/// The plan runs in integers only when every sum stays exact (sum_bound) and the border keeps
/// integers, else in float32. Asking for separable on a kernel of another rank throws Error.
Plan make_plan(const Kernel& kernel, const Analysis& analysis, const PlanRequest& request,
               int depth, const Border& border = {});

}  // namespace sepconv
