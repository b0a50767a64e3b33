#include "engine/full2d.hpp"

#include <vector>

#include "engine/counted.hpp"
#include "engine/padded_rows.hpp"

namespace sepconv {
namespace {

/// For each output row: the kh source rows it reads, extended by the border; then, for each output
/// pixel, kh*kw products summed into one accumulator.
template <typename Pixel, typename Acc>
cv::Mat1d full2d(const Plan& plan, const cv::Mat_<Pixel>& plane, const Border& border) {
  const Footprint footprint(plane.size(), plan.kernel_size(), plan.anchor, border);
  const PaddedRows<Pixel> rows(plane, footprint, border);
  const int kh = plan.rows, kw = plan.cols, width = footprint.extended_width();
  std::vector<Acc> taps;
  for (double tap : plan.taps) taps.push_back(Acc(tap));
  std::vector<Acc> window(static_cast<size_t>(kh) * width);
  std::vector<Acc> line(plane.cols);
  const Acc outside(border.value);

  cv::Mat1d out(footprint.output);
  for (int y = 0; y < out.rows; ++y) {
    for (int r = 0; r < kh; ++r) {
      const Pixel* source = rows.row(y + r - footprint.top);
      for (int x = 0; x < plane.cols; ++x) line[x] = Acc(source[x]);
      rows.extend(line.data(), &window[static_cast<size_t>(r) * width], outside);
    }
    for (int x = 0; x < out.cols; ++x) {
      Acc sum = taps[0] * window[x];
      for (int i = 1; i < kh * kw; ++i) {
        sum = sum + taps[i] * window[static_cast<size_t>(i / kw) * width + x + i % kw];
      }
      out(y, x) = value_of(sum);
    }
  }
  if (plan.scale != 1.0) out *= plan.scale;  // once, after the exact sums
  return out;
}

template <typename Acc>
cv::Mat1d dispatch(const Plan& plan, const cv::Mat& plane, const Border& border) {
  if (plane.depth() == CV_32S) return full2d<int, Acc>(plan, plane, border);
  return full2d<float, Acc>(plan, plane, border);
}

}  // namespace

cv::Mat1d run_full2d(const Plan& plan, const cv::Mat& plane, const Border& border) {
  if (plan.arithmetic == Arithmetic::integer) return dispatch<std::int64_t>(plan, plane, border);
  return dispatch<float>(plan, plane, border);
}

OpCount count_full2d(const Plan& plan, const cv::Mat& plane, const Border& border) {
  counted_ops = {};
  dispatch<Counted<double>>(plan, plane, border);
  return counted_ops;
}

}  // namespace sepconv
