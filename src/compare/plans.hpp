#pragma once
// Running every plan that applies to a kernel on one image, timed, for `sepconv compare`.

#include <opencv2/core.hpp>
#include <vector>

#include "analysis/analysis.hpp"
#include "analysis/ops.hpp"
#include "analysis/plan.hpp"
#include "engine/border.hpp"
#include "kernel/kernel.hpp"

namespace sepconv {

/// The plans compare runs, full first: full; separable when the rank is 1; lowrank (all terms)
/// when the rank is 2 or more.
std::vector<Plan> plans_to_compare(const Kernel& kernel, const Analysis& analysis, int depth);

/// One plan's run over an image's colour channels.
struct PlanRun {
  Plan plan;
  std::vector<cv::Mat1d> values;  ///< the filtered values per colour channel, before conversion
  double time_ms = 0;             ///< median over the runs, all colour channels
  std::vector<double> times_ms;   ///< every run
  OpCount total;                  ///< planned_ops x colour channels
};

/// The colour planes of an image: every channel but alpha.
std::vector<cv::Mat> planes_without_alpha(const cv::Mat& image);

/// Runs `plan` over `planes` `runs` times (at least 1) and keeps the last output.
PlanRun run_timed(const Plan& plan, const std::vector<cv::Mat>& planes, const Border& border,
                  int runs);

/// The median of a non-empty list (the mean of the middle two for an even count).
double median(std::vector<double> values);

}  // namespace sepconv
