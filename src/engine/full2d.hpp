#pragma once
// The full 2D engine: every output pixel is the dot product of the kernel with its neighbourhood.

#include "analysis/plan.hpp"
#include "engine/border.hpp"

namespace sepconv {

/// Runs a Mode::full plan; `plane` is CV_32S for integer plans, CV_32F for float32 plans.
cv::Mat1d run_full2d(const Plan& plan, const cv::Mat& plane, const Border& border);

/// The same loops with every multiplication and addition counted.
OpCount count_full2d(const Plan& plan, const cv::Mat& plane, const Border& border);

}  // namespace sepconv
