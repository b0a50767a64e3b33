#pragma once
// How far apart two filtered images are: the numbers `sepconv compare` reports for each plan
// against the full one.

#include <opencv2/core.hpp>
#include <vector>

namespace sepconv {

/// Differences between two images of one size and channel count, over every sample.
struct DiffMetrics {
  double max_abs = 0;             ///< largest |a - b|
  double mean_abs = 0;            ///< mean |a - b|
  double mse = 0;                 ///< mean (a - b)^2
  double peak = 1;                ///< the PSNR's peak signal value
  double psnr_db = 0;             ///< 10 log10(peak^2 / mse); +infinity when mse is 0
  double identical_fraction = 1;  ///< samples with a == b, over all samples
  std::int64_t differing = 0;     ///< samples with a != b
};

/// PSNR in dB of a mean squared error against a peak value: 10 log10(peak^2 / mse), +infinity
/// when mse is 0. A peak of 0 (an all-zero reference) counts as 1 so the value stays finite.
double psnr_db(double mse, double peak);

/// The metrics of a against b (any depths, compared as doubles) with the given PSNR peak.
DiffMetrics diff_metrics(const cv::Mat& a, const cv::Mat& b, double peak);

/// Planes (one per channel) merged into one multi-channel double image.
cv::Mat merged(const std::vector<cv::Mat1d>& planes);

/// The largest |a - b| over the channels at each pixel: the picture a heat map shows.
cv::Mat1d abs_difference_map(const std::vector<cv::Mat1d>& a, const std::vector<cv::Mat1d>& b);

/// The largest |value| over all planes: the PSNR peak for float output.
double max_abs_value(const std::vector<cv::Mat1d>& planes);

}  // namespace sepconv
