#pragma once
// The separable engine: a vertical pass of kh taps, then a horizontal pass of kw taps, once per
// term (one term for a separable plan, several summed for a low-rank plan).

#include "analysis/plan.hpp"
#include "engine/border.hpp"

namespace sepconv {

/// Runs a Mode::separable or Mode::lowrank plan; `plane` is CV_32S for integer plans, CV_32F for
/// float32 plans.
cv::Mat1d run_separable(const Plan& plan, const cv::Mat& plane, const Border& border);

/// The same loops with every multiplication and addition counted.
OpCount count_separable(const Plan& plan, const cv::Mat& plane, const Border& border);

}  // namespace sepconv
