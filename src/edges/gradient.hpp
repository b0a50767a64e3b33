#pragma once
// Gradient magnitude for `sepconv edges`: two derivative kernels run by the separable engine, their
// magnitude, and the strongest possible response (the scale of `edges --scale strongest`).

#include <opencv2/core.hpp>
#include <string>

#include "analysis/analysis.hpp"
#include "analysis/ops.hpp"
#include "analysis/plan.hpp"
#include "engine/border.hpp"
#include "kernel/kernel.hpp"

namespace sepconv {

enum class MagnitudeNorm { l2, l1 };

/// The horizontal (x) and vertical (y) derivative kernels of an operator, with their analyses.
struct EdgeKernels {
  Kernel x, y;
  Analysis x_analysis, y_analysis;
};

/// sobel (ksize 3, 5 or 7: the generator sobel:K:1:0 and sobel:K:0:1, OpenCV's getDerivKernels),
/// scharr (3: scharr_x, scharr_y) or prewitt (3: prewitt_x, prewitt_y). Throws a usage Error
/// naming --operator or --ksize otherwise.
EdgeKernels edge_kernels(const std::string& op, int ksize);

/// The largest magnitude a pair of kernels can give on an image with samples in [0, 1]: the
/// largest L2 (or L1) norm of (sum of x taps, sum of y taps) over every subset of the tap
/// positions, i.e. the farthest vertex of the zonotope the tap pairs span. Sobel 3x3: sqrt(20) for
/// L2, 6 for L1.
double strongest_response(const Kernel& x, const Kernel& y, MagnitudeNorm norm);

/// The image an edge detector sees: gray as is; gray+alpha: the gray; BGR(A): luma by
/// cv::cvtColor (0.299 R + 0.587 G + 0.114 B), alpha dropped.
cv::Mat luma(const cv::Mat& image);

/// Both derivatives of `gray` through the separable engine, and their magnitude.
struct Gradient {
  cv::Mat1f magnitude;  ///< float32: exact derivatives, magnitude to float precision
  Plan x_plan, y_plan;
  OpCount total;  ///< both passes of both derivatives, as planned_ops counts them
};
Gradient gradient_magnitude(const cv::Mat& gray, const EdgeKernels& kernels, const Border& border,
                            MagnitudeNorm norm);

}  // namespace sepconv
