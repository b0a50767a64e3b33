#include "engine/separable.hpp"

#include <numeric>
#include <vector>

#include "engine/counted.hpp"
#include "engine/padded_rows.hpp"

namespace sepconv {
namespace {

/// One separable term into `out`. Each output row is made from one intermediate row: the vertical
/// pass sums kh source rows into it, the border extends it, and the horizontal pass reads it. The
/// intermediate never grows beyond one row, whatever the image size. With `accumulate`, the term's
/// sums are added to what `out` holds (the low-rank plan's sum of terms), else they replace it.
template <typename Pixel, typename Acc>
void separable_term(const Plan& plan, const SeparableTerm& term, const cv::Mat_<Pixel>& plane,
                    const Border& border, cv::Mat1d& out, bool accumulate) {
  const Footprint footprint(plane.size(), plan.kernel_size(), plan.anchor, border);
  const PaddedRows<Pixel> rows(plane, footprint, border);
  const int kh = plan.rows, kw = plan.cols;
  std::vector<Acc> column, row;
  for (double tap : term.column) column.push_back(Acc(tap));
  for (double tap : term.row) row.push_back(Acc(tap));
  // A column made entirely of the constant border sums to constant * sum(column taps).
  const double column_sum = std::accumulate(term.column.begin(), term.column.end(), 0.0);
  const Acc outside(border.value * column_sum);
  std::vector<const Pixel*> sources(kh);
  std::vector<Acc> vertical(plane.cols);
  std::vector<Acc> extended(footprint.extended_width());

  out.create(footprint.output);
  for (int y = 0; y < out.rows; ++y) {
    for (int i = 0; i < kh; ++i) sources[i] = rows.row(y + i - footprint.top);
    for (int x = 0; x < plane.cols; ++x) {
      Acc sum = column[0] * Acc(sources[0][x]);
      for (int i = 1; i < kh; ++i) sum = sum + column[i] * Acc(sources[i][x]);
      vertical[x] = sum;
    }
    rows.extend(vertical.data(), extended.data(), outside);
    for (int x = 0; x < out.cols; ++x) {
      Acc sum = row[0] * extended[x];
      for (int j = 1; j < kw; ++j) sum = sum + row[j] * extended[x + j];
      out(y, x) = value_of(accumulate ? Acc(out(y, x)) + sum : sum);
    }
  }
}

/// Every term of the plan, summed; then the plan's scale, once.
template <typename Acc>
cv::Mat1d dispatch(const Plan& plan, const cv::Mat& plane, const Border& border) {
  cv::Mat1d out;
  for (size_t t = 0; t < plan.terms.size(); ++t) {
    if (plane.depth() == CV_32S) {
      separable_term<int, Acc>(plan, plan.terms[t], plane, border, out, t > 0);
    } else {
      separable_term<float, Acc>(plan, plan.terms[t], plane, border, out, t > 0);
    }
  }
  if (plan.scale != 1.0) out *= plan.scale;
  return out;
}

}  // namespace

cv::Mat1d run_separable(const Plan& plan, const cv::Mat& plane, const Border& border) {
  if (plan.arithmetic == Arithmetic::integer) return dispatch<std::int64_t>(plan, plane, border);
  return dispatch<float>(plan, plane, border);
}

OpCount count_separable(const Plan& plan, const cv::Mat& plane, const Border& border) {
  counted_ops = {};
  dispatch<Counted<double>>(plan, plane, border);
  return counted_ops;
}

}  // namespace sepconv
