#include "compare/comparison.hpp"

#include "core/depth.hpp"

namespace sepconv {
namespace {

/// The plan's output as the image apply would write: each colour plane converted to the depth.
cv::Mat converted(const std::vector<cv::Mat1d>& values, int depth, ValueMap map) {
  std::vector<cv::Mat> planes;
  for (const cv::Mat1d& plane : values) planes.push_back(convert_plane(plane, depth, map));
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

/// The PSNR peak of converted output: the depth's top for integers, full's largest |value| for f32.
double output_peak(int depth, const cv::Mat& full_output) {
  return depth == CV_32F ? cv::norm(full_output, cv::NORM_INF) : depth_top(depth);
}

}  // namespace

PlanComparison compare_plans(const cv::Mat& image, const Kernel& kernel, const Analysis& analysis,
                             const CompareRequest& request) {
  PlanComparison c;
  c.size = image.size();
  c.channels = image.channels();
  c.out_depth = resolve_depth(request.depth, image.depth());
  c.map = resolve_map(request.map, analysis.zero_sum, c.out_depth);

  const std::vector<cv::Mat> planes = planes_without_alpha(image);
  for (const Plan& plan : plans_to_compare(kernel, analysis, image.depth())) {
    c.runs.push_back(run_timed(plan, planes, request.border, request.runs));
  }
  for (const PlanRun& run : c.runs) c.outputs.push_back(converted(run.values, c.out_depth, c.map));

  const PlanRun& full = c.runs.front();
  const cv::Mat full_values = merged(full.values);
  const double values_peak = max_abs_value(full.values);
  const double output_top = output_peak(c.out_depth, c.outputs[0]);
  for (size_t i = 1; i < c.runs.size(); ++i) {
    c.diffs.push_back({"full", c.runs[i].plan.name(),
                       diff_metrics(merged(c.runs[i].values), full_values, values_peak),
                       diff_metrics(c.outputs[i], c.outputs[0], output_top)});
  }
  c.heat_top = c.diffs.empty() ? 0 : c.diffs.front().values.max_abs;
  return c;
}

double predicted_speedup(const Plan& full, const Plan& plan) {
  return static_cast<double>(full.ops_per_pixel().mul) / plan.ops_per_pixel().mul;
}

double measured_speedup(const PlanRun& full, const PlanRun& run) {
  return run.time_ms > 0 ? full.time_ms / run.time_ms : 0;
}

}  // namespace sepconv
