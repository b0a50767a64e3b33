#include "analysis/plan.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace sepconv {
namespace {

/// Sums stay exact in a double (the engine's output) below 2^53.
constexpr double kExactLimit = 9007199254740992.0;

bool is_integer_depth(int depth) {
  return depth == CV_8U || depth == CV_8S || depth == CV_16U || depth == CV_16S;
}

double largest_magnitude(int depth) {
  switch (depth) {
    case CV_8U: return 255;
    case CV_8S: return 128;
    case CV_16U: return 65535;
    case CV_16S: return 32768;
    default: return INFINITY;
  }
}

Plan full_plan(const Kernel& kernel, const Analysis& analysis, bool integer) {
  Plan plan;
  plan.mode = Mode::full;
  if (integer) {
    plan.arithmetic = Arithmetic::integer;
    plan.taps = analysis.integer_form->integers.clone();
    plan.scale = analysis.integer_form->scale;
  } else {
    plan.taps = kernel.values.clone();
  }
  return plan;
}

Plan separable_plan(const Analysis& analysis, bool integer) {
  const SeparableTerm& factors = *analysis.factors;
  Plan plan;
  plan.mode = Mode::separable;
  plan.column = factors.column;
  plan.row = factors.row;
  if (integer && factors.whole) {
    plan.arithmetic = Arithmetic::integer;
    plan.scale = factors.scale;
  } else {
    for (double& tap : plan.column) tap *= factors.scale;
  }
  return plan;
}

}  // namespace

RequestedMode parse_mode(const std::string& text) {
  if (text == "auto") return RequestedMode::automatic;
  if (text == "full") return RequestedMode::full;
  if (text == "separable") return RequestedMode::separable;
  throw usage_error("--mode", fmt::format("unknown mode '{}'; expected auto, full or separable", text));
}

std::string mode_name(Mode mode) { return mode == Mode::full ? "full" : "separable"; }

OpCount Plan::ops_per_pixel() const {
  return mode == Mode::full ? full_ops_per_pixel(rows, cols) : separable_ops_per_pixel(rows, cols);
}

Plan as_float32(Plan plan) {
  if (plan.arithmetic == Arithmetic::float32) return plan;
  plan.arithmetic = Arithmetic::float32;
  if (plan.mode == Mode::full) plan.taps *= plan.scale;
  for (double& tap : plan.column) tap *= plan.scale;
  plan.scale = 1.0;
  return plan;
}

bool integer_arithmetic_fits(const IntegerForm& form, int depth) {
  if (!is_integer_depth(depth)) return false;
  return cv::norm(form.integers, cv::NORM_L1) * largest_magnitude(depth) < kExactLimit;
}

Plan make_plan(const Kernel& kernel, const Analysis& analysis, RequestedMode requested, int depth) {
  const bool integer = analysis.integer_form && integer_arithmetic_fits(*analysis.integer_form, depth);
  if (requested == RequestedMode::separable && !analysis.separable) {
    throw Error(kernel.name, fmt::format("--mode separable needs a kernel of rank 1, and this one "
                                         "has rank {} (see `sepconv analyze`)",
                                         analysis.rank));
  }
  bool separable = requested == RequestedMode::separable;
  if (requested == RequestedMode::automatic && analysis.separable) {
    separable = analysis.separable_per_pixel->mul < analysis.full_per_pixel.mul;
  }
  Plan plan = separable ? separable_plan(analysis, integer) : full_plan(kernel, analysis, integer);
  plan.rows = kernel.rows();
  plan.cols = kernel.cols();
  plan.anchor = kernel.anchor;
  return plan;
}

}  // namespace sepconv
