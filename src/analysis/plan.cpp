#include "analysis/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/cost_model.hpp"
#include "core/depth.hpp"
#include "core/error.hpp"

namespace sepconv {
namespace {

bool is_integer_depth(int depth) {
  return depth == CV_8U || depth == CV_8S || depth == CV_16U || depth == CV_16S;
}

Plan full_plan(const Kernel& kernel, const Analysis& analysis, bool integer,
               Mode mode = Mode::full) {
  Plan plan;
  plan.mode = mode;
  if (integer) {
    // The FFT sums in a double transform and rounds the sums back to whole numbers.
    plan.arithmetic = mode == Mode::fft ? Arithmetic::float64 : Arithmetic::integer;
    plan.taps = analysis.integer_form->integers.clone();
    plan.scale = analysis.integer_form->scale;
  } else {
    plan.taps = kernel.values.clone();
  }
  return plan;
}

/// Separable terms in integer arithmetic when they are all whole, else in float32 with each term's
/// scale folded into its column.
Plan terms_plan(Mode mode, std::vector<SeparableTerm> terms, bool integer) {
  Plan plan;
  plan.mode = mode;
  bool whole = integer;
  for (const SeparableTerm& term : terms) whole = whole && term.whole;
  if (whole) {
    plan.arithmetic = Arithmetic::integer;
    plan.scale = terms.front().scale;
  } else {
    for (SeparableTerm& term : terms) {
      for (double& tap : term.column) tap *= term.scale;
      term.scale = 1.0;
    }
  }
  plan.terms = std::move(terms);
  return plan;
}

/// Whether a whole-number plan's sums stay exact: every partial sum of a term below 2^53, where
/// the engines keep them in doubles between terms; for the FFT, whose double transform is rounded
/// back to whole numbers, below 2^40 so its error stays far from one half.
bool exact_sums_fit(const Plan& plan, int depth) {
  switch (plan.arithmetic) {
    case Arithmetic::float32:
      return true;
    case Arithmetic::float64:
      return sum_bound(plan, depth) < kExactFftSum;
    case Arithmetic::integer:
      return sum_bound(plan, depth) < kExactInDouble;
  }
  return false;
}

/// The smallest rank whose approximation error is within `tolerance` (the full rank at worst).
int smallest_rank_within(const Analysis& analysis, double tolerance) {
  for (const RankApproximation& row : analysis.rank_table) {
    if (row.relative_error <= tolerance) return row.rank;
  }
  return analysis.rank;
}

/// The terms for `count` terms: the exact decomposition when count is the rank, else the leading
/// SVD terms (an approximation).
Plan lowrank_plan(const Analysis& analysis, int count, bool integer) {
  if (count >= analysis.rank) return terms_plan(Mode::lowrank, analysis.terms, integer);
  Plan plan = terms_plan(
      Mode::lowrank,
      std::vector<SeparableTerm>(analysis.svd_terms.begin(), analysis.svd_terms.begin() + count),
      false);
  plan.approximate = true;
  plan.approximation_error = analysis.rank_table[count - 1].relative_error;
  return plan;
}

/// auto: the exact plan the cost model predicts fastest (an approximate low-rank plan when
/// --approx-tol allows one).
Plan automatic_plan(const Kernel& kernel, const Analysis& analysis, const PlanRequest& request,
                    bool integer) {
  std::vector<Plan> candidates{full_plan(kernel, analysis, integer)};
  if (analysis.separable)
    candidates.push_back(terms_plan(Mode::separable, analysis.terms, integer));
  const int terms = request.approx_tolerance
                        ? smallest_rank_within(analysis, *request.approx_tolerance)
                        : analysis.rank;
  if (terms >= 2) candidates.push_back(lowrank_plan(analysis, terms, integer));
  // A rank-1 kernel costs kh + kw taps a pixel separated, never worth a transform; and on a thin
  // image the FFT's tiles would be mostly border.
  if (!analysis.separable) candidates.push_back(full_plan(kernel, analysis, integer, Mode::fft));
  const auto cost = [&](const Plan& plan) {
    switch (plan.mode) {
      case Mode::full:
        return full_cost(plan.taps);
      case Mode::fft:
        return fft_cost(kernel.values.size(), plan.arithmetic == Arithmetic::float64);
      case Mode::separable:
      case Mode::lowrank:
        return terms_cost(plan.terms);
    }
    return 0.0;
  };
  return *std::min_element(candidates.begin(), candidates.end(),
                           [&](const Plan& a, const Plan& b) { return cost(a) < cost(b); });
}

Plan chosen_plan(const Kernel& kernel, const Analysis& analysis, const PlanRequest& request,
                 bool integer) {
  switch (request.kind) {
    case PlanRequest::Kind::full:
      return full_plan(kernel, analysis, integer);
    case PlanRequest::Kind::fft:
      return full_plan(kernel, analysis, integer, Mode::fft);
    case PlanRequest::Kind::separable:
      if (!analysis.separable) {
        throw Error(kernel.name, fmt::format("--mode separable needs a kernel of rank 1, and this "
                                             "one has rank {} (see `sepconv analyze`; try "
                                             "--mode lowrank)",
                                             analysis.rank));
      }
      return terms_plan(Mode::separable, analysis.terms, integer);
    case PlanRequest::Kind::lowrank: {
      if (analysis.rank == 0) throw Error(kernel.name, "an all-zero kernel has no low-rank terms");
      int terms = request.terms ? request.terms : analysis.rank;
      if (request.approx_tolerance) {
        terms = std::min(terms, smallest_rank_within(analysis, *request.approx_tolerance));
      }
      return lowrank_plan(analysis, terms, integer);
    }
    case PlanRequest::Kind::automatic:
      break;
  }
  return automatic_plan(kernel, analysis, request, integer);
}

}  // namespace

PlanRequest parse_mode(const std::string& text) {
  PlanRequest request;
  if (text == "auto") return request;
  if (text == "full") return {PlanRequest::Kind::full, 0, std::nullopt};
  if (text == "separable") return {PlanRequest::Kind::separable, 0, std::nullopt};
  if (text == "lowrank") return {PlanRequest::Kind::lowrank, 0, std::nullopt};
  if (text == "fft") return {PlanRequest::Kind::fft, 0, std::nullopt};
  const std::string prefix = "lowrank:";
  if (text.rfind(prefix, 0) == 0) {
    const std::string number = text.substr(prefix.size());
    char* end = nullptr;
    const long terms = std::strtol(number.c_str(), &end, 10);
    if (number.empty() || *end != '\0' || terms < 1 || terms > 1025) {
      throw usage_error("--mode", fmt::format("lowrank:R needs a whole number of terms from 1 to "
                                              "1025, not '{}'",
                                              number));
    }
    return {PlanRequest::Kind::lowrank, static_cast<int>(terms), std::nullopt};
  }
  throw usage_error("--mode", fmt::format("unknown mode '{}'; expected auto, full, separable, "
                                          "lowrank, lowrank:R or fft",
                                          text));
}

std::string mode_name(Mode mode) {
  switch (mode) {
    case Mode::full:
      return "full";
    case Mode::separable:
      return "separable";
    case Mode::lowrank:
      return "lowrank";
    case Mode::fft:
      return "fft";
  }
  return "?";
}

OpCount Plan::ops_per_pixel() const {
  switch (mode) {
    case Mode::full:
    case Mode::fft:  // what the transform replaces
      return full_ops_per_pixel(rows, cols);
    case Mode::separable:
      return separable_ops_per_pixel(rows, cols);
    case Mode::lowrank:
      return lowrank_ops_per_pixel(static_cast<int>(terms.size()), rows, cols);
  }
  return {};
}

std::string Plan::name() const {
  if (mode != Mode::lowrank) return mode_name(mode);
  return fmt::format("lowrank:{}{}", terms.size(), approximate ? " (approximate)" : "");
}

std::string arithmetic_name(Arithmetic arithmetic) {
  switch (arithmetic) {
    case Arithmetic::integer:
      return "integer";
    case Arithmetic::float64:
      return "float64";
    case Arithmetic::float32:
      return "float32";
  }
  return "?";
}

double sum_bound(const Plan& plan, int depth) {
  double taps = 0;
  switch (plan.mode) {
    case Mode::full:
    case Mode::fft:
      taps = cv::norm(plan.taps, cv::NORM_L1);
      break;
    case Mode::separable:
    case Mode::lowrank:
      for (const SeparableTerm& term : plan.terms) {
        taps += cv::norm(term.column, cv::NORM_L1) * cv::norm(term.row, cv::NORM_L1);
      }
      break;
  }
  const double constant = plan.border.kind == BorderKind::constant ? plan.border.value : 0.0;
  return taps * std::max(largest_magnitude(depth), std::abs(constant));
}

bool border_keeps_integers(const Border& border) {
  return border.kind != BorderKind::constant || border.value == std::round(border.value);
}

Plan as_float32(const Plan& plan) {
  if (plan.arithmetic == Arithmetic::float32) return plan;
  Plan result = plan;
  result.arithmetic = Arithmetic::float32;
  // New matrices and vectors: cv::Mat copies share their data, and a plan scaled in place would
  // scale every plan (and every colour plane) that shares its taps.
  // (Assigning plan.taps * scale to result.taps would write into the shared buffer: OpenCV reuses
  // a destination of the right size and type.)
  if (!plan.taps.empty()) result.taps = cv::Mat1d(plan.taps * plan.scale);
  for (SeparableTerm& term : result.terms) {
    for (double& tap : term.column) tap *= plan.scale;
    term.scale = 1.0;
    term.whole = false;
  }
  result.scale = 1.0;
  return result;
}

bool integer_arithmetic_fits(const IntegerForm& form, int depth) {
  if (!is_integer_depth(depth)) return false;
  return cv::norm(form.integers, cv::NORM_L1) * largest_magnitude(depth) < kExactInDouble;
}

Plan with_border(const Plan& plan, const Border& border, int depth) {
  if (plan.border.kind == border.kind && plan.border.value == border.value) return plan;
  Plan result = plan;
  result.border = border;
  if (border_keeps_integers(border) && exact_sums_fit(result, depth)) return result;
  return as_float32(result);
}

Plan make_plan(const Kernel& kernel, const Analysis& analysis, const PlanRequest& request,
               int depth, const Border& border) {
  const bool integer = analysis.integer_form && border_keeps_integers(border) &&
                       integer_arithmetic_fits(*analysis.integer_form, depth);
  Plan plan = chosen_plan(kernel, analysis, request, integer);
  plan.rows = kernel.rows();
  plan.cols = kernel.cols();
  plan.anchor = kernel.anchor;
  plan.border = border;
  if (plan.mode == Mode::fft) plan.fft_tile = fft_tile_size(plan.kernel_size());
  return exact_sums_fit(plan, depth) ? plan : as_float32(plan);
}

}  // namespace sepconv
