#pragma once
// Engines execute a Plan on one single-channel plane. They never parse options and never choose a
// plan; every engine gives the reference engine's pixels (exactly for integer plans).

#include <opencv2/core.hpp>

#include "analysis/ops.hpp"
#include "analysis/plan.hpp"
#include "core/convert.hpp"
#include "engine/border.hpp"
#include "kernel/kernel.hpp"

namespace sepconv {

/// Threads the engines use for one plane (row strips); 0 or less means every core.
void set_engine_threads(int threads);
int engine_threads();

/// Filters one plane of any depth with the plan's strategy. The result holds the real output values
/// (scale applied) as doubles, sized output_size(plane, kernel, border).
cv::Mat1d run_plan(const Plan& plan, const cv::Mat& plane, const Border& border);

/// Filters one plane straight into `out_depth`, fitting values with `map` row by row as they are
/// made (normalize needs the whole plane first). Returns the operations the engine executed.
OpCount filter_plane(const Plan& plan, const cv::Mat& plane, const Border& border, int out_depth,
                     ValueMap map, cv::Mat& out);

/// The oracle: every output pixel as the plain double sum over the kernel's taps, each pixel
/// fetched through cv::borderInterpolate. Slow and obviously right.
cv::Mat1d run_reference(const Kernel& kernel, const cv::Mat& plane, const Border& border);

/// Runs the plan's engine on a `size` plane with an arithmetic type that counts every
/// multiplication and addition it performs, and returns the counts.
OpCount count_executed_ops(const Plan& plan, cv::Size size, const Border& border);

/// The operations run_plan performs on a `size` plane, from the engines' loop structure: per output
/// pixel for full; for separable the vertical pass runs over every input column of each output row.
OpCount planned_ops(const Plan& plan, cv::Size size, const Border& border);

}  // namespace sepconv
