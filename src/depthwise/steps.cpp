#include "depthwise/steps.hpp"

#include "engine/counted.hpp"
#include "engine/engine.hpp"

namespace sepconv {
namespace {

/// Output n at every pixel: the dot product of row n with the planes' values there. One loop for
/// plain doubles and for Counted<double>, so the counted run is the same arithmetic.
template <typename T>
std::vector<cv::Mat1d> mix_planes(const cv::Mat1d& matrix, const std::vector<cv::Mat1d>& planes) {
  const cv::Size size = planes.front().size();
  std::vector<const double*> rows(planes.size());
  std::vector<cv::Mat1d> outputs;
  for (int n = 0; n < matrix.rows; ++n) outputs.emplace_back(size);
  for (int y = 0; y < size.height; ++y) {
    for (std::size_t j = 0; j < planes.size(); ++j) rows[j] = planes[j][y];
    for (int n = 0; n < matrix.rows; ++n) {
      double* out = outputs[n][y];
      for (int x = 0; x < size.width; ++x) {
        T sum = T(matrix(n, 0)) * T(rows[0][x]);
        for (std::size_t j = 1; j < planes.size(); ++j) {
          sum += T(matrix(n, static_cast<int>(j))) * T(rows[j][x]);
        }
        out[x] = value_of(sum);
      }
    }
  }
  return outputs;
}

}  // namespace

std::vector<cv::Mat1d> depthwise_step(const std::vector<Plan>& plans, int multiplier,
                                      const std::vector<cv::Mat>& channels, const Border& border) {
  std::vector<cv::Mat1d> planes;
  for (std::size_t j = 0; j < plans.size(); ++j) {
    planes.push_back(run_plan(plans[j], channels[j / multiplier], border));
  }
  return planes;
}

std::vector<cv::Mat1d> pointwise_step(const cv::Mat1d& matrix,
                                      const std::vector<cv::Mat1d>& planes) {
  CV_Assert(matrix.cols == static_cast<int>(planes.size()) && !planes.empty());
  return mix_planes<double>(matrix, planes);
}

OpCount count_pointwise_ops(const cv::Mat1d& matrix, const std::vector<cv::Mat1d>& planes) {
  CV_Assert(matrix.cols == static_cast<int>(planes.size()) && !planes.empty());
  counted_ops = {};
  mix_planes<Counted<double>>(matrix, planes);
  return counted_ops;
}

std::vector<cv::Mat1d> standard_step(const std::vector<std::vector<Plan>>& plans,
                                     const std::vector<cv::Mat>& channels, const Border& border) {
  std::vector<cv::Mat1d> outputs;
  for (const std::vector<Plan>& row : plans) {
    cv::Mat1d sum = run_plan(row[0], channels[0], border);
    for (std::size_t c = 1; c < row.size(); ++c) sum += run_plan(row[c], channels[c], border);
    outputs.push_back(sum);
  }
  return outputs;
}

Difference difference(const std::vector<cv::Mat1d>& a, const std::vector<cv::Mat1d>& b) {
  CV_Assert(a.size() == b.size());
  Difference result;
  double sum = 0, count = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    result.max_abs = std::max(result.max_abs, cv::norm(a[i], b[i], cv::NORM_INF));
    sum += cv::norm(a[i], b[i], cv::NORM_L1);
    count += static_cast<double>(a[i].total());
  }
  result.mean_abs = count > 0 ? sum / count : 0;
  return result;
}

}  // namespace sepconv
