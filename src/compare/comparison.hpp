#pragma once
// What `sepconv compare` computes for one image: every plan that applies to the kernel, run and
// timed; each plan's output converted as apply would write it; and how far each is from the full
// plan, on the filtered values and on the converted output. The command adds names, pictures and
// the report.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "compare/metrics.hpp"
#include "compare/plans.hpp"
#include "core/convert.hpp"
#include "engine/border.hpp"
#include "kernel/kernel.hpp"

namespace sepconv {

/// How compare runs and converts, the same for every input.
struct CompareRequest {
  Border border;
  OutputDepth depth = OutputDepth::same;
  ValueMap map = ValueMap::automatic;
  int runs = 5;  ///< timed runs per plan; the median is reported
};

/// One plan against full: on the filtered values, and on the output after depth conversion.
struct PairDiff {
  std::string a, b;
  DiffMetrics values, output;
};

/// Everything compare computed for one image.
struct PlanComparison {
  cv::Size size;
  int channels = 0;
  int out_depth = CV_8U;
  ValueMap map = ValueMap::clamp;
  std::vector<PlanRun> runs;     ///< full first
  std::vector<cv::Mat> outputs;  ///< each run's values converted to out_depth, as apply writes
  std::vector<PairDiff> diffs;   ///< each run after the first against full
  double heat_top = 0;           ///< the colour scale's top: the largest difference shown
};

/// Runs every plan of plans_to_compare on `image`'s colour planes and compares each with full.
PlanComparison compare_plans(const cv::Mat& image, const Kernel& kernel, const Analysis& analysis,
                             const CompareRequest& request);

/// Full's multiplications a pixel over the plan's: the speed-up the operation counts predict.
double predicted_speedup(const Plan& full, const Plan& plan);

/// Full's median time over the run's; 0 when the run took no measurable time.
double measured_speedup(const PlanRun& full, const PlanRun& run);

}  // namespace sepconv
