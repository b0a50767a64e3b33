// The counting instrumentation: how many multiplications and additions a plan performs, from the
// engines' loop structure (planned_ops) and from a run of the exact engines in an arithmetic type
// that counts each one (count_executed_ops).

#include <stdexcept>

#include "analysis/plan.hpp"
#include "engine/engine.hpp"
#include "engine/full2d.hpp"
#include "engine/padded_rows.hpp"
#include "engine/separable.hpp"

namespace sepconv {

OpCount count_executed_ops(const Plan& requested, cv::Size size, const Border& border) {
  const Plan plan = with_border(requested, border, CV_8U);
  cv::Mat working(size, plan.arithmetic == Arithmetic::integer ? CV_32S : CV_32F);
  cv::randu(working, 0, 255);
  switch (plan.mode) {
    case Mode::full:
    case Mode::fft:  // what the transform replaces
      return count_full2d(plan, working, border);
    case Mode::separable:
    case Mode::lowrank:
      return count_separable(plan, working, border);
  }
  throw std::logic_error("a plan mode without an engine");
}

OpCount planned_ops(const Plan& plan, cv::Size size, const Border& border) {
  const Footprint footprint(size, plan.kernel_size(), plan.anchor, border);
  const std::int64_t out_rows = footprint.output.height, out_cols = footprint.output.width;
  const std::int64_t terms = static_cast<std::int64_t>(plan.terms.size());
  switch (plan.mode) {
    case Mode::full:
    case Mode::fft:
      return plan.ops_per_pixel() * (out_rows * out_cols);
    case Mode::separable:
    case Mode::lowrank:
      // The vertical pass fills one intermediate value per input column for every output row;
      // each term after the first adds its sums into the output.
      return dot_product_ops(plan.rows) * (out_rows * size.width * terms) +
             dot_product_ops(plan.cols) * (out_rows * out_cols * terms) +
             OpCount{0, (terms - 1) * out_rows * out_cols};
  }
  throw std::logic_error("a plan mode without an engine");
}

}  // namespace sepconv
