#include "engine/separable.hpp"

#include <numeric>
#include <vector>

#include "engine/counted.hpp"
#include "engine/padded_rows.hpp"

namespace sepconv {
namespace {

/// Each output row is made from one intermediate row: the vertical pass sums kh source rows into
/// it, the border extends it, and the horizontal pass reads it. The intermediate never grows beyond
/// one row, whatever the image size.
template <typename Pixel, typename Acc>
cv::Mat1d separable(const Plan& plan, const cv::Mat_<Pixel>& plane, const Border& border) {
  const Footprint footprint(plane.size(), plan.kernel_size(), plan.anchor, border);
  const PaddedRows<Pixel> rows(plane, footprint, border);
  const int kh = plan.rows, kw = plan.cols;
  std::vector<Acc> column, row;
  for (double tap : plan.column) column.push_back(Acc(tap));
  for (double tap : plan.row) row.push_back(Acc(tap));
  // A column made entirely of the constant border sums to constant * sum(column taps).
  const double column_sum = std::accumulate(plan.column.begin(), plan.column.end(), 0.0);
  const Acc outside(border.value * column_sum);
  std::vector<const Pixel*> sources(kh);
  std::vector<Acc> vertical(plane.cols);
  std::vector<Acc> extended(footprint.extended_width());

  cv::Mat1d out(footprint.output);
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
      out(y, x) = value_of(sum) * plan.scale;
    }
  }
  return out;
}

template <typename Acc>
cv::Mat1d dispatch(const Plan& plan, const cv::Mat& plane, const Border& border) {
  if (plane.depth() == CV_32S) return separable<int, Acc>(plan, plane, border);
  return separable<float, Acc>(plan, plane, border);
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
