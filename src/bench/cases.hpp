#pragma once
// What `sepconv bench` measures: sepconv's engines against OpenCV's best applicable call on the
// same synthetic image, kernel and depths, in one process, plus a memory floor.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "analysis/plan.hpp"

namespace sepconv::bench {

struct Case {
  std::string name;    ///< "sobel_x 3x3 u8->s16"
  std::string kernel;  ///< a KERNEL argument
  int in_depth = CV_8U;
  int out_depth = CV_8U;
  bool force_filter2d = false;  ///< compare with filter2D even when sepFilter2D would apply
};

struct Result {
  Case which;
  int threads = 1;
  std::string plan;         ///< the plan auto chose
  std::string opencv_call;  ///< Sobel, sepFilter2D or filter2D
  double sepconv_ms = 0, opencv_ms = 0, floor_ms = 0;
  /// The median of the per-run ratios sepconv / OpenCV, the two timed in alternation: steadier on a
  /// loaded machine than the ratio of the medians.
  double ratio = 0;
  bool matches_opencv = false;
  double max_difference = 0;  ///< absolute for integer outputs, relative for float
  cv::Size size;              ///< the image
  // Sweeps only:
  std::string family;  ///< "random", "gaussian" or "log"
  int kernel_side = 0;
  int rank = 0;
  /// Each plan that applies to the kernel ("full", "separable", "lowrank", "fft"), forced with
  /// --mode and timed alone: its median in milliseconds.
  std::vector<std::pair<std::string, double>> plan_ms;
};

/// The cases of issue #4's table, on `size`.
std::vector<Case> standard_cases();

/// The kernel of a case: "randomN" is a dense random N x N kernel (rank N, the same every run);
/// anything else is a KERNEL argument.
Kernel bench_kernel(const std::string& spec);

/// Times one case: `runs` timed runs after a warm-up, medians in milliseconds.
/// `precision` fixed runs 8-bit cases in fixed point where it applies (the plan says "fixed").
Result run_case(const Case& which, cv::Size size, int threads, int runs,
                Precision precision = Precision::exact);

/// The sweep over kernel sizes: for every odd size from 3 to 31, a random dense float kernel, a
/// Gaussian (rank 1) and a Laplacian of Gaussian (low rank), auto's plan against filter2D on
/// float32, and every plan that applies timed alone (plan_ms).
std::vector<Result> run_sweep(cv::Size size, int threads, int runs);

/// The image sizes --sizes sweeps, 256x256 to 7680x4320.
std::vector<cv::Size> sweep_image_sizes();

/// The sweep over image sizes: `kernel` (a KERNEL argument) on float32 images of every size in
/// `sizes`, auto against filter2D and every plan that applies timed alone.
std::vector<Result> run_size_sweep(const std::string& kernel, const std::vector<cv::Size>& sizes,
                                   int threads, int runs);

/// Time per megapixel of `ms` on an image of `size`.
double ms_per_megapixel(double ms, cv::Size size);

}  // namespace sepconv::bench
