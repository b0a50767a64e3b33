#pragma once
// What the SVD says about a kernel: its singular values, numerical rank, and, when it is separable,
// the column and row factors that reproduce it.

#include <optional>
#include <vector>

#include "analysis/ops.hpp"
#include "kernel/kernel.hpp"

namespace sepconv {

/// A kernel that is an integer matrix times a scale, such as gaussian3 = [1 2 1; 2 4 2; 1 2 1]
/// / 16. Filtering with the integer matrix and scaling once at the end keeps integer images exact.
struct IntegerForm {
  cv::Mat1d integers;  ///< whole numbers, stored as doubles (exact below 2^53)
  double scale = 1.0;  ///< values = scale * integers
};

/// Finds the integer form of `values` with the smallest denominator up to 65536, if there is one.
/// Only exact zeros become zero. The search is bounded (about a quarter of a second on any kernel
/// within the size limit); a kernel it gives up on has no integer form and runs in float32.
std::optional<IntegerForm> find_integer_form(const cv::Mat1d& values);

/// One separable term: scale * column * row^T.
struct SeparableTerm {
  std::vector<double> column;  ///< vertical factor, kh taps
  std::vector<double> row;     ///< horizontal factor, kw taps
  double scale = 1.0;
  bool whole = false;  ///< column and row hold whole numbers (factored from the integer form)
};

/// One row of the low-rank table: keeping the first `rank` SVD terms.
struct RankApproximation {
  int rank = 0;
  double relative_error = 0;  ///< Frobenius norm of what is dropped over the kernel's
  OpCount ops_per_pixel;      ///< rank separable passes and rank - 1 sums
};

/// The full analysis `sepconv analyze` prints.
struct Analysis {
  std::vector<double> singular_values;  ///< descending
  /// A large kernel of low rank lists only its leading singular values (the full SVD of a
  /// 1025x1025 kernel takes seconds); the others, this many, are each at most `unlisted_bound`,
  /// which is below the tolerance.
  int unlisted_singular_values = 0;
  double unlisted_bound = 0;
  double tolerance = 0;           ///< absolute: singular values above it count
  double relative_tolerance = 0;  ///< tolerance / largest singular value
  int rank = 0;
  bool separable = false;  ///< rank == 1
  /// The taps cancel out (a derivative such as sobel_x): |sum| <= 1e-9 of the sum of |taps|, so the
  /// output is signed around zero.
  bool zero_sum = false;
  /// The factors when separable: integer and sign-normalized when the kernel is an integer matrix
  /// times a scale (sobel_x: column [1 2 1], row [-1 0 1]), else the scaled leading singular pair.
  std::optional<SeparableTerm> factors;
  double reconstruction_error = 0;  ///< max |kernel - factors| over the taps; 0 when exact
  OpCount full_per_pixel;
  std::optional<OpCount> separable_per_pixel;
  std::optional<IntegerForm> integer_form;
  /// The kernel as a sum of `rank` separable terms: whole-numbered terms of the integer form where
  /// they exist (laplacian4), else the SVD terms s_i u_i v_i^T.
  std::vector<SeparableTerm> terms;
  /// Every SVD term, strongest first, for truncated (approximate) plans.
  std::vector<SeparableTerm> svd_terms;
  std::vector<RankApproximation> rank_table;  ///< r = 1 .. rank
};

/// Operations per output pixel of `terms` separable passes over a rows x cols kernel: each term's
/// two passes, and terms - 1 additions to sum them.
OpCount lowrank_ops_per_pixel(int terms, int rows, int cols);

/// The default relative tolerance for a rows x cols kernel, as MATLAB's rank(): max(rows, cols) *
/// eps.
double default_relative_tolerance(int rows, int cols);

/// Whether the taps cancel out: |sum| <= 1e-9 of the sum of |taps|.
bool is_zero_sum(const cv::Mat1d& values);

/// Analyzes a kernel. `relative_tolerance` (when given) replaces the default; the absolute
/// threshold is relative_tolerance * largest singular value.
Analysis analyze_kernel(const Kernel& kernel, std::optional<double> relative_tolerance = {});

/// The kernel that `term` reconstructs (rows x cols).
cv::Mat1d reconstruct(const SeparableTerm& term);

}  // namespace sepconv
