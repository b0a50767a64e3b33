#include "engine/engine.hpp"

#include <cmath>

#include "engine/full2d.hpp"
#include "engine/padded_rows.hpp"
#include "engine/separable.hpp"

namespace sepconv {
namespace {

/// Integer sums need a whole-numbered constant border; anything else runs in float32.
Plan arithmetic_for(const Plan& plan, const Border& border) {
  const bool fractional_constant =
      border.kind == BorderKind::constant && border.value != std::round(border.value);
  return fractional_constant ? as_float32(plan) : plan;
}

/// The plane in the engines' pixel type: int32 for integer plans, float32 otherwise.
cv::Mat working_plane(const Plan& plan, const cv::Mat& plane) {
  CV_Assert(plane.channels() == 1);
  cv::Mat converted;
  plane.convertTo(converted, plan.arithmetic == Arithmetic::integer ? CV_32S : CV_32F);
  return converted;
}

}  // namespace

cv::Mat1d run_plan(const Plan& requested, const cv::Mat& plane, const Border& border) {
  const Plan plan = arithmetic_for(requested, border);
  const cv::Mat working = working_plane(plan, plane);
  if (plan.mode == Mode::full) return run_full2d(plan, working, border);
  return run_separable(plan, working, border);
}

OpCount count_executed_ops(const Plan& requested, cv::Size size, const Border& border) {
  const Plan plan = arithmetic_for(requested, border);
  cv::Mat working(size, plan.arithmetic == Arithmetic::integer ? CV_32S : CV_32F);
  cv::randu(working, 0, 255);
  if (plan.mode == Mode::full) return count_full2d(plan, working, border);
  return count_separable(plan, working, border);
}

OpCount planned_ops(const Plan& plan, cv::Size size, const Border& border) {
  const Footprint footprint(size, plan.kernel_size(), plan.anchor, border);
  const std::int64_t out_rows = footprint.output.height, out_cols = footprint.output.width;
  if (plan.mode == Mode::full) return plan.ops_per_pixel() * (out_rows * out_cols);
  // The vertical pass fills one intermediate value per input column for every output row; each term
  // after the first adds its sums into the output.
  const std::int64_t terms = static_cast<std::int64_t>(plan.terms.size());
  return dot_product_ops(plan.rows) * (out_rows * size.width * terms) +
         dot_product_ops(plan.cols) * (out_rows * out_cols * terms) +
         OpCount{0, (terms - 1) * out_rows * out_cols};
}

cv::Mat1d run_reference(const Kernel& kernel, const cv::Mat& plane, const Border& border) {
  CV_Assert(plane.channels() == 1);
  cv::Mat1d source;
  plane.convertTo(source, CV_64F);
  const bool valid = border.kind == BorderKind::valid;
  const cv::Point anchor = valid ? cv::Point(0, 0) : kernel.anchor;
  const int cv_border = valid ? cv::BORDER_CONSTANT : to_cv_border(border.kind);
  cv::Mat1d out(output_size(source.size(), kernel.values.size(), border));
  for (int y = 0; y < out.rows; ++y) {
    for (int x = 0; x < out.cols; ++x) {
      double sum = 0;
      for (int r = 0; r < kernel.rows(); ++r) {
        for (int c = 0; c < kernel.cols(); ++c) {
          const int sy = cv::borderInterpolate(y + r - anchor.y, source.rows, cv_border);
          const int sx = cv::borderInterpolate(x + c - anchor.x, source.cols, cv_border);
          const double pixel = (sy < 0 || sx < 0) ? border.value : source(sy, sx);
          sum += kernel.values(r, c) * pixel;
        }
      }
      out(y, x) = sum;
    }
  }
  return out;
}

}  // namespace sepconv
