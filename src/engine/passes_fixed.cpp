#include "engine/passes_fixed.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "engine/passes.hpp"
#include "engine/streaming.hpp"

namespace sepconv {
namespace {

constexpr double kOne = 32768.0;          // 2^15: taps are stored as round(tap * 2^15)
constexpr double kLargestSum = 32767.0;   // every 16-bit lane, partial sums included
constexpr double kLargestPixel = 255.0;   // 8-bit pixels and constant borders
constexpr double kProductRounding = 0.5;  // each product is off by at most half a unit
constexpr int kMostFractionBits = 7;      // 255 * 2^7 = 32640 still fits in a 16-bit lane

double sum_of_magnitudes(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0,
                         [](double sum, double v) { return sum + std::abs(v); });
}

double largest_magnitude(const std::vector<double>& values) {
  double largest = 0;
  for (double v : values) largest = std::max(largest, std::abs(v));
  return largest;
}

/// Moves a factor g from the column into the row (the product stays the same kernel).
void rebalance(SeparableTerm& term, double g) {
  for (double& tap : term.column) tap /= g;
  for (double& tap : term.row) tap *= g;
}

/// round(tap * 2^15), and sum |round(tap * 2^15) / 2^15 - tap| (the taps' own rounding error).
std::vector<double> quantized(const std::vector<double>& taps, double& rounding_error) {
  std::vector<double> q;
  rounding_error = 0;
  for (double tap : taps) {
    q.push_back(std::round(tap * kOne));
    rounding_error += std::abs(q.back() / kOne - tap);
  }
  return q;
}

/// One pass's worst case: |sum| in units when its inputs are at most `input` units, and the count
/// of products each rounded.
double largest_pass_sum(double input, const std::vector<double>& q) {
  double largest = 0;
  for (double tap : q) largest += input * std::abs(tap) / kOne + kProductRounding;
  return largest;
}

/// A one-row or one-column full plan as one separable term (the other factor a single 1).
Plan as_separable(Plan plan) {
  SeparableTerm term;
  if (plan.rows == 1) {
    term.column = {1.0};
    term.row.assign(plan.taps.begin(), plan.taps.end());
  } else {
    term.column.assign(plan.taps.begin(), plan.taps.end());
    term.row = {1.0};
  }
  plan.mode = Mode::separable;
  plan.terms = {term};
  return plan;
}

}  // namespace

int FixedPointForm::level_bound() const {
  // Both outputs round a value; values error_bound apart round at most ceil(error_bound) apart.
  return static_cast<int>(std::ceil(error_bound));
}

FixedPointForm fixed_point_form(const Plan& requested, int in_depth, int out_depth, ValueMap map,
                                const Border& border) {
  FixedPointForm form;
  auto refuse = [&form](const char* reason) {
    form.reason = reason;
    return form;
  };
  if (requested.precision != Precision::fixed) return refuse("exact precision was asked for");
  if (in_depth != CV_8U || out_depth != CV_8U) return refuse("fixed point is for 8-bit in and out");
  if (map != ValueMap::clamp) return refuse("fixed point clamps; other value maps run exactly");
  Plan plan = as_float32(requested);  // real taps, whatever the plan's arithmetic
  if (plan.mode == Mode::full && (plan.rows == 1 || plan.cols == 1)) plan = as_separable(plan);
  if (plan.mode != Mode::separable || plan.terms.size() != 1)
    return refuse("fixed point runs separable (rank 1) kernels");
  if (border.kind == BorderKind::constant &&
      (border.value != std::round(border.value) || border.value < 0 || border.value > 255))
    return refuse("a constant border must be a whole 8-bit value");

  SeparableTerm& term = plan.terms.front();
  // Equal sums of magnitudes for the two passes keep both within 16 bits at the most fraction
  // bits; if a tap then reaches 1 (not representable), equal largest taps instead.
  rebalance(term, std::sqrt(sum_of_magnitudes(term.column) / sum_of_magnitudes(term.row)));
  if (std::max(largest_magnitude(term.column), largest_magnitude(term.row)) * kOne >= kLargestSum)
    rebalance(term, std::sqrt(largest_magnitude(term.column) / largest_magnitude(term.row)));

  double row_error = 0, column_error = 0;
  const std::vector<double> row = quantized(term.row, row_error);
  const std::vector<double> column = quantized(term.column, column_error);
  if (std::max(largest_magnitude(row), largest_magnitude(column)) > kLargestSum)
    return refuse("a tap is too large for 16-bit fixed point");

  bool fits = false;
  for (int shift = kMostFractionBits; shift >= 0 && !fits; --shift) {
    const double unit = std::ldexp(1.0, -shift);
    const double horizontal = largest_pass_sum(kLargestPixel / unit, row);
    const double vertical = largest_pass_sum(horizontal, column);
    if (horizontal > kLargestSum || vertical > kLargestSum) continue;
    // |H - h| for the horizontal sums, then through the vertical pass with its own rounding.
    const double horizontal_error =
        kLargestPixel * row_error + static_cast<double>(row.size()) * kProductRounding * unit;
    const double largest_h = kLargestPixel * sum_of_magnitudes(term.row);
    form.error_bound = horizontal_error * sum_of_magnitudes(column) / kOne +
                       largest_h * column_error +
                       static_cast<double>(column.size()) * kProductRounding * unit;
    form.pixel_shift = shift;
    fits = true;
  }
  if (!fits) return refuse("the sums do not fit in 16 bits");
  if (form.level_bound() > kFixedPointMaxLevels)
    return refuse("fixed point would be more than one grey level off");
  term.row = row;
  term.column = column;
  form.plan = plan;
  form.applies = true;
  return form;
}

OpCount run_fixed_point(const FixedPointForm& form, const cv::Mat& plane, const Border& border,
                        int threads, cv::Mat& out) {
  out.create(output_size(plane.size(), form.plan.kernel_size(), border), CV_8U);
  const size_t width = static_cast<size_t>(out.cols);
  return stream_fixed_point(form.plan, form.pixel_shift, plane, border, threads,
                            [&](int y, const std::int16_t* sums) {
                              narrow_row_shifted(sums, width, form.pixel_shift, out.ptr(y));
                            });
}

}  // namespace sepconv
