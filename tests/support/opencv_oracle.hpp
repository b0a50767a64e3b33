#pragma once
// Independent answers from OpenCV for the tests: filter2D on a plane padded by copyMakeBorder, so
// every border mode (wrap and non-zero constants included) has an oracle sepconv did not write.

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "engine/border.hpp"
#include "kernel/kernel.hpp"

namespace sepconv::testing {

/// OpenCV's correlation of `plane` with `kernel` under `border`, as doubles.
inline cv::Mat1d opencv_filter(const cv::Mat& plane, const Kernel& kernel, const Border& border) {
  cv::Mat1d source;
  plane.convertTo(source, CV_64F);
  if (border.kind == BorderKind::valid) {
    cv::Mat1d full;
    cv::filter2D(source, full, CV_64F, kernel.values, cv::Point(0, 0), 0, cv::BORDER_CONSTANT);
    return full(cv::Rect(0, 0, source.cols - kernel.cols() + 1, source.rows - kernel.rows() + 1))
        .clone();
  }
  const int top = kernel.anchor.y, left = kernel.anchor.x;
  const int bottom = kernel.rows() - 1 - top, right = kernel.cols() - 1 - left;
  cv::Mat1d padded;
  cv::copyMakeBorder(source, padded, top, bottom, left, right, to_cv_border(border.kind),
                     cv::Scalar::all(border.value));
  cv::Mat1d filtered;
  cv::filter2D(padded, filtered, CV_64F, kernel.values, kernel.anchor, 0, cv::BORDER_CONSTANT);
  return filtered(cv::Rect(left, top, source.cols, source.rows)).clone();
}

/// "[a b; c d]" as a matrix, for tests that write kernels inline.
inline cv::Mat1d parse_matrix(const std::string& text) {
  std::vector<std::vector<double>> rows(1);
  std::string number;
  auto flush = [&] {
    if (!number.empty()) rows.back().push_back(std::stod(number));
    number.clear();
  };
  for (char c : text) {
    if (c == ';') {
      flush();
      rows.emplace_back();
    } else if (c == ' ' || c == '[' || c == ']') {
      flush();
    } else {
      number += c;
    }
  }
  flush();
  cv::Mat1d m(static_cast<int>(rows.size()), static_cast<int>(rows[0].size()));
  for (int r = 0; r < m.rows; ++r)
    for (int c = 0; c < m.cols; ++c) m(r, c) = rows[r][c];
  return m;
}

/// A random plane of the given depth, filling the depth's range (0..1000 for float).
inline cv::Mat random_plane(cv::Size size, int depth, cv::RNG& rng) {
  cv::Mat plane(size, CV_MAKETYPE(depth, 1));
  switch (depth) {
    case CV_8U:
      rng.fill(plane, cv::RNG::UNIFORM, 0, 256);
      break;
    case CV_16U:
      rng.fill(plane, cv::RNG::UNIFORM, 0, 65536);
      break;
    case CV_16S:
      rng.fill(plane, cv::RNG::UNIFORM, -32768, 32768);
      break;
    default:
      rng.fill(plane, cv::RNG::UNIFORM, -1000.0, 1000.0);
      break;
  }
  return plane;
}

}  // namespace sepconv::testing
