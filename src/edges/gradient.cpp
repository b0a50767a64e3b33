#include "edges/gradient.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/depth.hpp"
#include "core/error.hpp"
#include "engine/engine.hpp"
#include "kernel/parse.hpp"

namespace sepconv {

EdgeKernels edge_kernels(const std::string& op, int ksize) {
  std::string x_spec, y_spec;
  if (op == "sobel") {
    if (ksize != 3 && ksize != 5 && ksize != 7) {
      throw usage_error("--ksize", fmt::format("sobel takes 3, 5 or 7, not {}", ksize));
    }
    x_spec = fmt::format("sobel:{}:1:0", ksize);
    y_spec = fmt::format("sobel:{}:0:1", ksize);
  } else if (op == "scharr" || op == "prewitt") {
    if (ksize != 3) throw usage_error("--ksize", fmt::format("{} is 3x3 only, not {}", op, ksize));
    x_spec = op + "_x";
    y_spec = op + "_y";
  } else {
    throw usage_error("--operator", fmt::format("unknown operator '{}'; expected sobel, scharr or "
                                                "prewitt",
                                                op));
  }
  EdgeKernels kernels{parse_kernel(x_spec), parse_kernel(y_spec), {}, {}};
  kernels.x_analysis = analyze_kernel(kernels.x);
  kernels.y_analysis = analyze_kernel(kernels.y);
  return kernels;
}

double strongest_response(const Kernel& x, const Kernel& y, MagnitudeNorm norm) {
  CV_Assert(x.values.size() == y.values.size());
  // The response at a pixel is sum_i v_i * (x_i, y_i) with samples v_i in [0, 1]: a point of the
  // zonotope spanned by the tap pairs g_i = (x_i, y_i). A convex norm is largest at a vertex, and
  // every vertex is "all g_i with a positive projection on some direction u". Those subsets change
  // only where u crosses a line perpendicular to some g_i, so one direction inside each arc between
  // those crossings finds every vertex.
  std::vector<double> angles;
  for (int i = 0; i < static_cast<int>(x.values.total()); ++i) {
    const double gx = x.values(i), gy = y.values(i);
    if (gx == 0 && gy == 0) continue;
    const double perpendicular = std::atan2(gy, gx) + M_PI / 2;
    angles.push_back(std::remainder(perpendicular, 2 * M_PI));
    angles.push_back(std::remainder(perpendicular + M_PI, 2 * M_PI));
  }
  if (angles.empty()) return 0;
  std::sort(angles.begin(), angles.end());
  angles.push_back(angles.front() + 2 * M_PI);
  double best = 0;
  for (size_t k = 0; k + 1 < angles.size(); ++k) {
    const double theta = (angles[k] + angles[k + 1]) / 2;
    const double ux = std::cos(theta), uy = std::sin(theta);
    double sx = 0, sy = 0;
    for (int i = 0; i < static_cast<int>(x.values.total()); ++i) {
      if (x.values(i) * ux + y.values(i) * uy > 0) {
        sx += x.values(i);
        sy += y.values(i);
      }
    }
    best = std::max(best,
                    norm == MagnitudeNorm::l2 ? std::hypot(sx, sy) : std::abs(sx) + std::abs(sy));
  }
  return best;
}

cv::Mat luma(const cv::Mat& image) {
  switch (image.channels()) {
    case 1:
      return image;
    case 2: {
      cv::Mat gray;
      cv::extractChannel(image, gray, 0);
      return gray;
    }
    default: {
      cv::Mat gray;
      cv::cvtColor(image, gray, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
      return gray;
    }
  }
}

Gradient gradient_magnitude(const cv::Mat& gray, const EdgeKernels& kernels, const Border& border,
                            MagnitudeNorm norm) {
  Gradient result;
  const PlanRequest separable = parse_mode("separable");
  result.x_plan = make_plan(kernels.x, kernels.x_analysis, separable, gray.depth());
  result.y_plan = make_plan(kernels.y, kernels.y_analysis, separable, gray.depth());
  // Float planes, and the magnitude written over gx: two planes of 4 bytes a pixel in all, where
  // doubles took three of 8. Integer derivatives of 8- and 16-bit images stay exact in float.
  cv::Mat gx, gy;
  filter_plane(result.x_plan, gray, border, CV_32F, ValueMap::clamp, gx);
  filter_plane(result.y_plan, gray, border, CV_32F, ValueMap::clamp, gy);
  if (norm == MagnitudeNorm::l2) {
    cv::magnitude(gx, gy, gx);
  } else {
    gx = cv::abs(gx) + cv::abs(gy);
  }
  result.magnitude = gx;
  result.total = planned_ops(result.x_plan, gray.size(), border) +
                 planned_ops(result.y_plan, gray.size(), border);
  return result;
}

}  // namespace sepconv
