#include "compare/plans.hpp"

#include <algorithm>
#include <chrono>

#include "engine/engine.hpp"
#include "engine/image_filter.hpp"

namespace sepconv {

std::vector<Plan> plans_to_compare(const Kernel& kernel, const Analysis& analysis, int depth) {
  std::vector<Plan> plans{make_plan(kernel, analysis, parse_mode("full"), depth)};
  if (analysis.separable)
    plans.push_back(make_plan(kernel, analysis, parse_mode("separable"), depth));
  if (analysis.rank >= 2)
    plans.push_back(make_plan(kernel, analysis, parse_mode("lowrank"), depth));
  return plans;
}

std::vector<cv::Mat> planes_without_alpha(const cv::Mat& image) {
  std::vector<cv::Mat> planes;
  cv::split(image, planes);
  if (has_alpha(image.channels())) planes.pop_back();
  return planes;
}

PlanRun run_timed(const Plan& plan, const std::vector<cv::Mat>& planes, const Border& border,
                  int runs) {
  using Clock = std::chrono::steady_clock;
  PlanRun result;
  result.plan = planes.empty() ? plan : with_border(plan, border, planes.front().depth());
  // One untimed run first: the first large allocations of a process page-fault and move glibc's
  // mmap threshold, which would otherwise be charged to whichever plan happens to run first.
  for (const cv::Mat& plane : planes) run_plan(plan, plane, border);
  for (int run = 0; run < std::max(1, runs); ++run) {
    std::vector<cv::Mat1d> values;
    const auto start = Clock::now();
    for (const cv::Mat& plane : planes) values.push_back(run_plan(plan, plane, border));
    result.times_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    result.values = std::move(values);
  }
  result.time_ms = median(result.times_ms);
  if (!planes.empty()) {
    result.total =
        planned_ops(plan, planes.front().size(), border) * static_cast<std::int64_t>(planes.size());
  }
  return result;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace sepconv
