#include "bench/cases.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <functional>
#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "engine/engine.hpp"
#include "engine/passes_fixed.hpp"
#include "kernel/parse.hpp"

namespace sepconv::bench {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(const std::function<void()>& work) {
  const auto start = Clock::now();
  work();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

double median_ms(int runs, const std::function<void()>& work) {
  work();  // warm-up: caches, page faults, thread pool start
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) times.push_back(elapsed_ms(work));
  return median(times);
}

/// Times `ours` and `theirs` in alternation, so a change in the machine's load (other processes
/// on shared cores) falls on both alike. Fills the medians and the median of the per-run ratios.
void time_pair(int runs, const std::function<void()>& ours, const std::function<void()>& theirs,
               Result& result) {
  ours();  // warm-up: caches, page faults, thread pool start
  theirs();
  std::vector<double> our_times, their_times, ratios;
  for (int i = 0; i < runs; ++i) {
    our_times.push_back(elapsed_ms(ours));
    their_times.push_back(elapsed_ms(theirs));
    ratios.push_back(our_times.back() / their_times.back());
  }
  result.sepconv_ms = median(our_times);
  result.opencv_ms = median(their_times);
  result.ratio = median(ratios);
}

cv::Mat synthetic_image(cv::Size size, int depth) {
  cv::Mat image(size, CV_8U);
  cv::RNG rng(4);
  rng.fill(image, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(image, image, {5, 5}, 1.0);  // photographs are smoother than noise
  image.convertTo(image, depth);
  return image;
}

/// OpenCV's best call for the kernel: Sobel for the 3x3 Sobel into 16 bits, sepFilter2D for
/// separable kernels, filter2D for the rest. Returns its name.
std::string opencv_filter(const Kernel& kernel, const Analysis& analysis, const Case& which,
                          const cv::Mat& source, cv::Mat& out) {
  if (which.kernel == "sobel_x" && which.out_depth == CV_16S) {
    cv::Sobel(source, out, CV_16S, 1, 0, 3);
    return "Sobel";
  }
  if (analysis.separable && !which.force_filter2d) {
    cv::Mat column(analysis.factors->column, true), row(analysis.factors->row, true);
    column *= analysis.factors->scale;
    cv::sepFilter2D(source, out, which.out_depth, row, column);
    return "sepFilter2D";
  }
  cv::filter2D(source, out, which.out_depth, kernel.values);
  return "filter2D";
}

/// Integer outputs may differ by `levels` where OpenCV rounds a float sum (one) or sepconv runs in
/// fixed point (its bound, plus one for OpenCV's own 8-bit fixed point); float outputs by a
/// relative 1e-5.
bool outputs_match(const cv::Mat& ours, const cv::Mat& theirs, bool exact, int levels,
                   double& difference) {
  if (ours.depth() == CV_32F) {
    difference =
        cv::norm(ours, theirs, cv::NORM_INF) / std::max(1.0, cv::norm(theirs, cv::NORM_INF));
    return difference < 1e-5;
  }
  difference = cv::norm(ours, theirs, cv::NORM_INF);
  return exact ? difference == 0 : difference <= levels;
}

double memcpy_floor_ms(size_t bytes, int runs) {
  std::vector<unsigned char> from(bytes, 1), to(bytes);
  return median_ms(runs, [&] { std::memcpy(to.data(), from.data(), bytes); });
}

}  // namespace

std::vector<Case> standard_cases() {
  return {
      {"sobel_x 3x3 u8->s16", "sobel_x", CV_8U, CV_16S},
      {"sobel_x 3x3 u8->f32", "sobel_x", CV_8U, CV_32F},
      {"gaussian 7x7 u8->u8", "gaussian:7:1.5", CV_8U, CV_8U},
      {"gaussian 7x7 f32->f32", "gaussian:7:1.5", CV_32F, CV_32F},
      {"gaussian 15x15 f32->f32", "gaussian:15:3", CV_32F, CV_32F},
      {"random 5x5 f32 (rank 5)",
       "[0.3 -0.2 0.5 0.1 -0.4; 0.2 0.7 -0.1 0.3 0.2; -0.5 0.1 0.9 -0.3 0.1;"
       " 0.4 -0.6 0.2 0.8 -0.2; 0.1 0.3 -0.4 0.2 0.6]",
       CV_32F, CV_32F},
      {"log9 9x9 f32 (rank 2)", "log9", CV_32F, CV_32F},
      {"random 25x25 f32", "random25", CV_32F, CV_32F},
  };
}

/// "randomN" is a dense random N x N kernel (rank N); anything else is a KERNEL argument.
Kernel bench_kernel(const std::string& spec) {
  if (spec.rfind("random", 0) != 0 || spec.size() == 6 || !std::isdigit(spec[6])) {
    return parse_kernel(spec);
  }
  const int size = std::stoi(spec.substr(6));
  cv::Mat1d values(size, size);
  cv::RNG rng(size);
  rng.fill(values, cv::RNG::UNIFORM, -1.0, 1.0);
  return make_kernel(values, spec);
}

namespace {

/// The plans worth timing alone for a kernel of this rank: full and FFT always, separable for
/// rank 1, low-rank with every term above.
std::vector<std::string> applicable_plans(const Analysis& analysis) {
  if (analysis.separable) return {"full", "separable", "fft"};
  return {"full", "lowrank", "fft"};
}

void time_each_plan(const Kernel& kernel, const Analysis& analysis, const cv::Mat& source,
                    int out_depth, int runs, Result& result) {
  cv::Mat out;
  for (const std::string& mode : applicable_plans(analysis)) {
    const Plan plan = make_plan(kernel, analysis, parse_mode(mode), source.depth());
    result.plan_ms.emplace_back(mode, median_ms(runs, [&] {
                                  filter_plane(plan, source, Border{}, out_depth, ValueMap::clamp,
                                               out);
                                }));
  }
}

/// One sweep point: auto against filter2D in alternation, then each plan alone.
Result sweep_point(const std::string& family, const std::string& spec, int side, cv::Size size,
                   int threads, int runs) {
  Case which{fmt::format("{} {}x{} f32", family, side, side), spec, CV_32F, CV_32F};
  which.force_filter2d = true;
  Result result = run_case(which, size, threads, runs);
  const Kernel kernel = bench_kernel(spec);
  const Analysis analysis = analyze_kernel(kernel);
  result.family = family;
  result.kernel_side = side;
  result.rank = analysis.rank;
  time_each_plan(kernel, analysis, synthetic_image(size, CV_32F), CV_32F, runs, result);
  return result;
}

}  // namespace

std::vector<Result> run_sweep(cv::Size size, int threads, int runs) {
  std::vector<Result> results;
  for (int k = 3; k <= 31; k += 2) {
    results.push_back(sweep_point("random", "random" + std::to_string(k), k, size, threads, runs));
    results.push_back(
        sweep_point("gaussian", fmt::format("gaussian:{}", k), k, size, threads, runs));
    results.push_back(sweep_point("log", fmt::format("log:{}", k), k, size, threads, runs));
  }
  return results;
}

std::vector<cv::Size> sweep_image_sizes() {
  return {{256, 256}, {512, 512}, {1024, 1024}, {1920, 1080}, {3840, 2160}, {7680, 4320}};
}

std::vector<Result> run_size_sweep(const std::string& kernel, const std::vector<cv::Size>& sizes,
                                   int threads, int runs) {
  std::vector<Result> results;
  const Kernel parsed = bench_kernel(kernel);
  for (const cv::Size size : sizes) {
    Result result = sweep_point(kernel, kernel, parsed.values.rows, size, threads, runs);
    result.which.name = fmt::format("{} f32 {}x{}", kernel, size.width, size.height);
    results.push_back(result);
  }
  return results;
}

double ms_per_megapixel(double ms, cv::Size size) {
  return ms / (static_cast<double>(size.width) * size.height / 1e6);
}

Result run_case(const Case& which, cv::Size size, int threads, int runs, Precision precision) {
  const Kernel kernel = bench_kernel(which.kernel);
  const Analysis analysis = analyze_kernel(kernel);
  const cv::Mat source = synthetic_image(size, which.in_depth);
  Plan plan = make_plan(kernel, analysis, parse_mode("auto"), which.in_depth);
  plan.precision = precision;
  const FixedPointForm fixed =
      fixed_point_form(plan, which.in_depth, which.out_depth, ValueMap::clamp, Border{});
  cv::setNumThreads(threads);
  set_engine_threads(threads);

  Result result;
  result.which = which;
  result.threads = threads;
  result.size = size;
  result.plan = plan.name() + (fixed.applies ? " fixed" : "");
  cv::Mat ours, theirs;
  time_pair(
      runs, [&] { filter_plane(plan, source, Border{}, which.out_depth, ValueMap::clamp, ours); },
      [&] { result.opencv_call = opencv_filter(kernel, analysis, which, source, theirs); }, result);
  result.matches_opencv =
      outputs_match(ours, theirs, plan.arithmetic == Arithmetic::integer && !fixed.applies,
                    fixed.applies ? fixed.level_bound() + 1 : 1, result.max_difference);
  const size_t bytes = source.total() * source.elemSize() + ours.total() * ours.elemSize();
  result.floor_ms = memcpy_floor_ms(bytes, runs);
  return result;
}

}  // namespace sepconv::bench
