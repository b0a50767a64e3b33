#include "compare/metrics.hpp"

#include <cmath>
#include <limits>

namespace sepconv {

double psnr_db(double mse, double peak) {
  if (mse == 0) return std::numeric_limits<double>::infinity();
  const double top = peak == 0 ? 1.0 : peak;
  return 10.0 * std::log10(top * top / mse);
}

DiffMetrics diff_metrics(const cv::Mat& a, const cv::Mat& b, double peak) {
  CV_Assert(a.size() == b.size() && a.channels() == b.channels());
  cv::Mat da, db, diff;
  a.convertTo(da, CV_64F);
  b.convertTo(db, CV_64F);
  cv::absdiff(da.reshape(1), db.reshape(1), diff);
  const double samples = static_cast<double>(diff.total());
  DiffMetrics metrics;
  metrics.peak = peak;
  if (samples == 0) return metrics;
  cv::minMaxLoc(diff, nullptr, &metrics.max_abs);
  metrics.mean_abs = cv::sum(diff)[0] / samples;
  metrics.mse = cv::norm(diff, cv::NORM_L2SQR) / samples;
  metrics.psnr_db = psnr_db(metrics.mse, peak);
  metrics.differing = cv::countNonZero(diff);
  metrics.identical_fraction = (samples - metrics.differing) / samples;
  return metrics;
}

cv::Mat merged(const std::vector<cv::Mat1d>& planes) {
  std::vector<cv::Mat> mats(planes.begin(), planes.end());
  cv::Mat out;
  cv::merge(mats, out);
  return out;
}

cv::Mat1d abs_difference_map(const std::vector<cv::Mat1d>& a, const std::vector<cv::Mat1d>& b) {
  CV_Assert(a.size() == b.size() && !a.empty());
  cv::Mat1d result = cv::Mat1d::zeros(a.front().size());
  for (size_t c = 0; c < a.size(); ++c) {
    cv::Mat1d diff;
    cv::absdiff(a[c], b[c], diff);
    result = cv::max(result, diff);
  }
  return result;
}

double max_abs_value(const std::vector<cv::Mat1d>& planes) {
  double peak = 0;
  for (const cv::Mat1d& plane : planes) peak = std::max(peak, cv::norm(plane, cv::NORM_INF));
  return peak;
}

}  // namespace sepconv
