#pragma once
// Running a depthwise separable layer on the planes of one image, and the equivalent standard
// convolution it is compared with. Every spatial filter goes through a Plan and run_plan, so the
// engines (full, separable, low-rank) do the pixel work; this file only routes planes and mixes
// them.

#include <opencv2/core.hpp>
#include <vector>

#include "analysis/plan.hpp"
#include "depthwise/layer.hpp"
#include "engine/border.hpp"

namespace sepconv {

/// The depthwise step: plane j = run_plan(plans[j], channels[j / multiplier]). Values are doubles.
std::vector<cv::Mat1d> depthwise_step(const std::vector<Plan>& plans, int multiplier,
                                      const std::vector<cv::Mat>& channels, const Border& border);

/// The pointwise step: output n = sum over j of matrix(n, j) * planes[j], pixel by pixel.
std::vector<cv::Mat1d> pointwise_step(const cv::Mat1d& matrix,
                                      const std::vector<cv::Mat1d>& planes);

/// The pointwise step with each multiplication and addition counted (engine/counted.hpp), for the
/// tests that check pointwise_ops_per_pixel against what really ran. Returns the counts.
OpCount count_pointwise_ops(const cv::Mat1d& matrix, const std::vector<cv::Mat1d>& planes);

/// The standard convolution: output n = sum over c of run_plan(plans[n][c], channels[c]).
std::vector<cv::Mat1d> standard_step(const std::vector<std::vector<Plan>>& plans,
                                     const std::vector<cv::Mat>& channels, const Border& border);

/// How far two sets of planes are apart, over every pixel of every plane.
struct Difference {
  double max_abs = 0;
  double mean_abs = 0;
};

Difference difference(const std::vector<cv::Mat1d>& a, const std::vector<cv::Mat1d>& b);

}  // namespace sepconv
