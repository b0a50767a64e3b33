#include "analysis/analysis.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace sepconv {
namespace {

constexpr int kMaxDenominator = 65536;
// Integer coefficients stay below this so that integer accumulations are exact (README "Limits").
constexpr double kMaxIntegerCoefficient = 2147483647.0;

// The integer-form search stops after this many coefficient checks (about a quarter of a second)
// and reports no integer form: the kernel then runs in float32, correct to float32 precision.
constexpr std::int64_t kMaxFormChecks = std::int64_t{1} << 27;

/// Whole within the rounding of a decimal or rational coefficient such as 1/9 (absolute, so that a
/// large denominator cannot make an arbitrary coefficient look whole). Only an exact zero is zero:
/// 1e-11 is a coefficient, not a rounding error of 0.
bool is_whole(double value) {
  const double nearest = std::round(value);
  if (nearest == 0) return value == 0;
  return std::abs(value - nearest) <= 1e-10;
}

/// Whether `value` times `denominator` is a whole number of reasonable size.
bool whole_after_scaling(double value, int denominator) {
  const double scaled = value * denominator;
  return std::abs(scaled) <= kMaxIntegerCoefficient && is_whole(scaled);
}

/// The kernel's distinct magnitudes: whether a coefficient is whole after scaling does not depend
/// on its sign, and kernels repeat values (a box kernel has one).
std::vector<double> distinct_magnitudes(const cv::Mat1d& values) {
  std::vector<double> magnitudes;
  magnitudes.reserve(values.total());
  for (double v : values) magnitudes.push_back(std::abs(v));
  std::sort(magnitudes.begin(), magnitudes.end());
  magnitudes.erase(std::unique(magnitudes.begin(), magnitudes.end()), magnitudes.end());
  return magnitudes;
}

/// Flips the sign of both factors where needed so that the smoothing factor (the one whose taps do
/// not sum to zero) is positive: sobel_x gives [1 2 1] and [-1 0 1], sobel_y [-1 0 1] and [1 2 1].
void normalize_signs(SeparableTerm& term) {
  const double column_sum = std::accumulate(term.column.begin(), term.column.end(), 0.0);
  const double row_sum = std::accumulate(term.row.begin(), term.row.end(), 0.0);
  const auto first_nonzero =
      std::find_if(term.column.begin(), term.column.end(), [](double v) { return v != 0; });
  const double tiny = 1e-12;
  bool flip = false;
  if (std::abs(column_sum) > tiny) {
    flip = column_sum < 0;
  } else if (std::abs(row_sum) > tiny) {
    flip = row_sum < 0;
  } else if (first_nonzero != term.column.end()) {
    flip = *first_nonzero < 0;
  }
  if (!flip) return;
  for (double& v : term.column) v = -v;
  for (double& v : term.row) v = -v;
}

/// Factors a rank-1 integer matrix into integer column and row vectors with the column's common
/// divisor moved into the row, or nothing when the matrix is not exactly rank 1.
std::optional<SeparableTerm> integer_factors(const IntegerForm& form) {
  const cv::Mat1d& m = form.integers;
  int pivot_col = -1;
  for (int c = 0; c < m.cols && pivot_col < 0; ++c) {
    for (int r = 0; r < m.rows; ++r) {
      if (m(r, c) != 0) {
        pivot_col = c;
        break;
      }
    }
  }
  if (pivot_col < 0) return std::nullopt;
  long long divisor = 0;
  for (int r = 0; r < m.rows; ++r)
    divisor = std::gcd(divisor, std::llabs(std::llround(m(r, pivot_col))));
  SeparableTerm term;
  term.scale = form.scale;
  term.whole = true;
  int pivot_row = -1;
  for (int r = 0; r < m.rows; ++r) {
    term.column.push_back(std::round(m(r, pivot_col)) / static_cast<double>(divisor));
    if (pivot_row < 0 && term.column.back() != 0) pivot_row = r;
  }
  for (int c = 0; c < m.cols; ++c) {
    const double value = m(pivot_row, c) / term.column[pivot_row];
    if (!is_whole(value)) return std::nullopt;
    term.row.push_back(std::round(value));
  }
  // Exactness check: a matrix that is only numerically rank 1 keeps its floating-point factors.
  for (int r = 0; r < m.rows; ++r) {
    for (int c = 0; c < m.cols; ++c) {
      if (term.column[r] * term.row[c] != m(r, c)) return std::nullopt;
    }
  }
  return term;
}

/// Greatest common divisor of whole numbers stored as doubles.
long long gcd_of(const std::vector<double>& values) {
  long long divisor = 0;
  for (double v : values) divisor = std::gcd(divisor, std::llabs(std::llround(v)));
  return divisor;
}

/// The rank-1 term m(:, j) m(i, :) / m(i, j) written with whole numbers, when it can be: with gc
/// and gr the common divisors of that column and row, it is (column / gc) (row / gr) * (gc * gr /
/// p), whole exactly when the pivot p divides gc * gr.
std::optional<SeparableTerm> whole_cross_term(const cv::Mat1d& m, int i, int j) {
  const long long pivot = std::llround(m(i, j));
  if (pivot == 0) return std::nullopt;
  std::vector<double> column(m.rows), row(m.cols);
  for (int r = 0; r < m.rows; ++r) column[r] = m(r, j);
  for (int c = 0; c < m.cols; ++c) row[c] = m(i, c);
  const long long gc = gcd_of(column), gr = gcd_of(row);
  // Whole numbers near 2^31 multiply past 64 bits: the product is taken in 128.
  const __int128 product = static_cast<__int128>(gc) * gr;
  if (product % pivot != 0) return std::nullopt;
  const double factor = static_cast<double>(product / pivot);
  SeparableTerm term;
  term.whole = true;
  for (double v : column) term.column.push_back(v / gc);
  for (double v : row) term.row.push_back(v / gr * factor);
  return term;
}

/// Splits a whole-numbered matrix of exact rank r into r whole-numbered rank-1 terms by repeated
/// skeleton (cross) steps: with a pivot p = m(i, j), m - m(:, j) m(i, :) / p has rank one less.
/// Returns nothing when some step has no pivot that keeps the term whole.
std::optional<std::vector<SeparableTerm>> integer_terms(const IntegerForm& form, int rank) {
  constexpr int kMaxSide = 64;  // the pivot search is cubic; large kernels use the SVD terms
  cv::Mat1d residual = form.integers.clone();
  if (residual.rows > kMaxSide || residual.cols > kMaxSide) return std::nullopt;
  std::vector<SeparableTerm> terms;
  for (int step = 0; step < rank; ++step) {
    std::optional<SeparableTerm> term;
    for (int i = 0; i < residual.rows && !term; ++i) {
      for (int j = 0; j < residual.cols && !term; ++j) term = whole_cross_term(residual, i, j);
    }
    if (!term) return std::nullopt;
    term->scale = form.scale;
    normalize_signs(*term);
    residual -= cv::Mat1d(term->column, true) * cv::Mat1d(term->row, true).t();
    // Beyond 2^52 the residual is no longer exact in doubles, and llround would overflow.
    if (cv::norm(residual, cv::NORM_INF) > 4503599627370496.0) return std::nullopt;
    terms.push_back(*term);
  }
  if (cv::countNonZero(residual) != 0) return std::nullopt;
  return terms;
}

/// Singular pair `index`, with sqrt(s) given to each side so neither factor dominates. The SVD ran
/// on the kernel divided by `magnitude`: s = unit_s * magnitude, its root taken in two parts so
/// that a kernel of 1e308 values does not overflow.
SeparableTerm singular_term(const cv::Mat1d& u, const cv::Mat1d& vt, double unit_s,
                            double magnitude, int index) {
  SeparableTerm term;
  const double root = std::sqrt(unit_s) * std::sqrt(magnitude);
  for (int r = 0; r < u.rows; ++r) term.column.push_back(u(r, index) * root);
  for (int c = 0; c < vt.cols; ++c) term.row.push_back(vt(index, c) * root);
  normalize_signs(term);
  return term;
}

/// Relative Frobenius error of keeping the first r singular values, for r = 1 .. rank.
std::vector<RankApproximation> rank_table(const std::vector<double>& singular_values, int rank,
                                          int rows, int cols) {
  double total = 0;
  for (double s : singular_values) total += s * s;
  std::vector<RankApproximation> table;
  for (int r = 1; r <= rank; ++r) {
    double dropped = 0;
    for (size_t i = r; i < singular_values.size(); ++i)
      dropped += singular_values[i] * singular_values[i];
    table.push_back(
        {r, total > 0 ? std::sqrt(dropped / total) : 0.0, lowrank_ops_per_pixel(r, rows, cols)});
  }
  return table;
}

/// A thin SVD: u is rows x k, vt is k x cols, values descending.
struct ThinSvd {
  cv::Mat1d values, u, vt;
  double unlisted_bound = 0;  ///< every singular value not in `values` is at most this
};

/// The SVD of a * b^T (a: rows x k, b: cols x k) from the SVDs of its small factors: with a = Ua
/// Sa Va^T and b = Ub Sb Vb^T, a b^T = Ua (Sa Va^T Vb Sb) Ub^T, and only the k x k middle is left.
ThinSvd product_svd(const cv::Mat1d& a, const cv::Mat1d& b) {
  cv::Mat1d sa, ua, vta, sb, ub, vtb;
  cv::SVD::compute(a, sa, ua, vta);
  cv::SVD::compute(b, sb, ub, vtb);
  const cv::Mat1d core =
      cv::Mat1d(cv::Mat::diag(sa)) * vta * vtb.t() * cv::Mat1d(cv::Mat::diag(sb));
  cv::Mat1d sc, uc, vtc;
  cv::SVD::compute(core, sc, uc, vtc);
  return {sc, ua * uc, vtc * ub.t()};
}

/// The position of the largest magnitude in `m`.
cv::Point largest_magnitude(const cv::Mat1d& m) {
  double low = 0, high = 0;
  cv::Point low_at, high_at;
  cv::minMaxLoc(m, &low, &high, &low_at, &high_at);
  return -low > high ? low_at : high_at;
}

/// The SVD of a large kernel of low numerical rank without the full SVD, which costs seconds on a
/// 1025x1025 kernel with Debian's reference BLAS (issue 10 item 3). Cross (skeleton) steps peel off
/// m(:, j) m(i, :) / m(i, j) at the largest residual entry; after k steps the kernel is a b^T plus
/// a residual r, and by Weyl's inequality each singular value differs from a b^T's by at most
/// |r|_F, which also bounds the ones a b^T lacks. The answer is used only when that bound leaves
/// the rank certain; otherwise (high rank, a strict --tol) the caller runs the full SVD.
std::optional<ThinSvd> cross_svd(const cv::Mat1d& unit, double relative_tolerance) {
  constexpr int kMaxCrossTerms = 8;
  cv::Mat1d residual = unit.clone();
  std::vector<cv::Mat> columns, rows;
  for (int step = 0; step < kMaxCrossTerms; ++step) {
    const cv::Point at = largest_magnitude(residual);
    const double pivot = residual(at);
    if (pivot == 0) return std::nullopt;  // only a zero kernel, which the caller keeps out
    const cv::Mat1d column = residual.col(at.x).clone();
    const cv::Mat1d row = residual.row(at.y) / pivot;
    residual -= column * row;
    columns.push_back(column);
    rows.push_back(row.t());
    const double bound = cv::norm(residual, cv::NORM_L2);
    cv::Mat a, b;
    cv::hconcat(columns, a);
    cv::hconcat(rows, b);
    ThinSvd svd = product_svd(a, b);
    const double largest = svd.values(0);
    // Half the threshold, so that the rounding in the residual cannot matter.
    if (bound > 0.5 * relative_tolerance * (largest - bound)) continue;
    for (double s : svd.values) {
      const bool clearly_above = s - bound > relative_tolerance * (largest + bound);
      const bool clearly_below = s + bound < relative_tolerance * (largest - bound);
      if (!clearly_above && !clearly_below) return std::nullopt;
    }
    svd.unlisted_bound = bound;
    return svd;
  }
  return std::nullopt;
}

}  // namespace

std::optional<IntegerForm> find_integer_form(const cv::Mat1d& values) {
  const std::vector<double> magnitudes = distinct_magnitudes(values);
  // The magnitude that ruled out the last denominator is tried first: one irrational coefficient
  // among a million ones then costs one check per denominator, not a million.
  size_t hardest = 0;
  std::int64_t checks = 0;
  for (int denominator = 1; denominator <= kMaxDenominator; ++denominator) {
    ++checks;
    if (!whole_after_scaling(magnitudes[hardest], denominator)) continue;
    bool whole = true;
    for (size_t i = 0; i < magnitudes.size() && whole; ++i) {
      ++checks;
      if (whole_after_scaling(magnitudes[i], denominator)) continue;
      hardest = i;
      whole = false;
    }
    if (checks > kMaxFormChecks) return std::nullopt;
    if (!whole) continue;
    IntegerForm form;
    form.integers = values * denominator;
    for (double& v : form.integers) v = std::round(v);
    form.scale = 1.0 / denominator;
    return form;
  }
  return std::nullopt;
}

OpCount lowrank_ops_per_pixel(int terms, int rows, int cols) {
  return separable_ops_per_pixel(rows, cols) * terms + OpCount{0, terms - 1};
}

double default_relative_tolerance(int rows, int cols) {
  return std::max(rows, cols) * DBL_EPSILON;
}

cv::Mat1d reconstruct(const SeparableTerm& term) {
  cv::Mat1d column(term.column, true);
  cv::Mat1d row(term.row, true);
  cv::Mat1d product = column * row.t();
  return product * term.scale;
}

bool is_zero_sum(const cv::Mat1d& values) {
  return std::abs(cv::sum(values)[0]) <= 1e-9 * cv::norm(values, cv::NORM_L1);
}

Analysis analyze_kernel(const Kernel& kernel, std::optional<double> relative_tolerance) {
  Analysis result;
  // The SVD runs on the kernel divided by its largest magnitude, so that neither 1e160 (whose
  // squares overflow) nor 1e-170 (whose squares underflow) loses the rank; the singular values
  // are scaled back after.
  const double magnitude = cv::norm(kernel.values, cv::NORM_INF);
  const cv::Mat1d unit = magnitude > 0 ? cv::Mat1d(kernel.values / magnitude) : kernel.values;
  result.relative_tolerance =
      relative_tolerance.value_or(default_relative_tolerance(kernel.rows(), kernel.cols()));
  cv::Mat1d w, u, vt;
  // Below this side the full SVD takes milliseconds and lists every singular value.
  constexpr int kFullSvdSide = 64;
  std::optional<ThinSvd> thin;
  if (std::min(kernel.rows(), kernel.cols()) > kFullSvdSide && magnitude > 0)
    thin = cross_svd(unit, result.relative_tolerance);
  if (thin) {
    w = thin->values, u = thin->u, vt = thin->vt;
    result.unlisted_singular_values = std::min(kernel.rows(), kernel.cols()) - w.rows;
    result.unlisted_bound = thin->unlisted_bound * magnitude;
  } else {
    cv::SVD::compute(unit, w, u, vt);
  }
  const std::vector<double> unit_values(w.begin(), w.end());
  for (double s : unit_values) result.singular_values.push_back(s * magnitude);
  const double unit_s1 = unit_values.empty() ? 0.0 : unit_values.front();
  result.tolerance = result.relative_tolerance * unit_s1 * magnitude;
  result.rank =
      static_cast<int>(std::count_if(unit_values.begin(), unit_values.end(), [&](double s) {
        return s > result.relative_tolerance * unit_s1;
      }));
  result.separable = result.rank == 1;
  result.zero_sum = is_zero_sum(kernel.values);
  result.integer_form = find_integer_form(kernel.values);
  result.full_per_pixel = full_ops_per_pixel(kernel.rows(), kernel.cols());
  for (int i = 0; i < static_cast<int>(unit_values.size()); ++i) {
    result.svd_terms.push_back(singular_term(u, vt, unit_values[i], magnitude, i));
  }
  // Relative errors do not depend on the scale, and the unit values cannot overflow when squared.
  result.rank_table = rank_table(unit_values, result.rank, kernel.rows(), kernel.cols());
  std::optional<std::vector<SeparableTerm>> whole_terms;
  if (result.integer_form) whole_terms = integer_terms(*result.integer_form, result.rank);
  result.terms = whole_terms ? *whole_terms
                             : std::vector<SeparableTerm>(result.svd_terms.begin(),
                                                          result.svd_terms.begin() + result.rank);
  if (!result.separable) return result;

  std::optional<SeparableTerm> factors;
  if (result.integer_form) factors = integer_factors(*result.integer_form);
  if (!factors) factors = result.svd_terms.front();
  normalize_signs(*factors);
  result.terms = {*factors};
  result.reconstruction_error = cv::norm(kernel.values, reconstruct(*factors), cv::NORM_INF);
  result.factors = factors;
  result.separable_per_pixel = separable_ops_per_pixel(kernel.rows(), kernel.cols());
  return result;
}

}  // namespace sepconv
