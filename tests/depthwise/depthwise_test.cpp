// The depthwise separable layer against computations sepconv did not write: OpenCV's filter2D per
// channel, then a matrix product (cv::gemm) or cv::transform for the pointwise step; the equivalent
// standard convolution against the separated form; and the operation counts against hand-worked
// numbers, an instrumented run and the cost model.

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "build_paths.hpp"
#include "core/error.hpp"
#include "depthwise/channels.hpp"
#include "depthwise/layer.hpp"
#include "depthwise/steps.hpp"
#include "engine/engine.hpp"
#include "io/image_io.hpp"
#include "kernel/parse.hpp"
#include "netcost/layer.hpp"
#include "support/opencv_oracle.hpp"

namespace sepconv {
namespace {

/// A 1-row matrix, without the comma initializer that macros split.
cv::Mat1d row_of(std::vector<double> values) {
  return cv::Mat1d(values, true).reshape(1, 1);
}

using testing::opencv_filter;
using testing::random_plane;

Kernel random_kernel(cv::RNG& rng, cv::Size size, cv::Point anchor, bool integer, int i) {
  cv::Mat1d values(size);
  for (double& v : values) v = integer ? rng.uniform(-3, 4) : rng.uniform(-1.0, 1.0);
  values(0, 0) = 1;  // never all zero
  return make_kernel(values, "k" + std::to_string(i), "", anchor);
}

cv::Mat1d random_matrix(cv::RNG& rng, int rows, int cols, bool integer) {
  cv::Mat1d matrix(rows, cols);
  for (double& v : matrix) v = integer ? rng.uniform(-2, 3) : rng.uniform(-1.0, 1.0);
  return matrix;
}

/// The pointwise step as a matrix product: the planes as the rows of a (C*M) x pixels matrix.
std::vector<cv::Mat1d> gemm_pointwise(const cv::Mat1d& matrix,
                                      const std::vector<cv::Mat1d>& planes) {
  cv::Mat1d stacked;
  for (const cv::Mat1d& plane : planes) stacked.push_back(plane.reshape(1, 1));
  cv::Mat1d mixed;
  cv::gemm(matrix, stacked, 1.0, cv::noArray(), 0.0, mixed);
  std::vector<cv::Mat1d> outputs;
  for (int n = 0; n < mixed.rows; ++n)
    outputs.push_back(mixed.row(n).clone().reshape(1, planes[0].rows));
  return outputs;
}

/// The layer computed by OpenCV alone: filter2D on channel j / M, then the matrix product.
std::vector<cv::Mat1d> opencv_layer(const DepthwiseLayer& layer,
                                    const std::vector<cv::Mat>& channels, const Border& border) {
  std::vector<cv::Mat1d> planes;
  for (int j = 0; j < layer.depthwise_planes(); ++j) {
    planes.push_back(opencv_filter(channels[j / layer.multiplier], layer.kernels[j], border));
  }
  return gemm_pointwise(layer.pointwise, planes);
}

std::vector<cv::Mat1d> run_layer(const DepthwiseLayer& layer, const std::vector<cv::Mat>& channels,
                                 int depth, const Border& border) {
  const auto planes =
      depthwise_step(depthwise_plans(layer, depth), layer.multiplier, channels, border);
  return pointwise_step(layer.pointwise, planes);
}

double relative_max(const std::vector<cv::Mat1d>& a, const std::vector<cv::Mat1d>& b) {
  double scale = 1;
  for (const cv::Mat1d& plane : b) scale = std::max(scale, cv::norm(plane, cv::NORM_INF));
  return difference(a, b).max_abs / scale;
}

ExitCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::ok;
}

TEST(Depthwise, MatchesFilter2DThenMatrixProductOnRandomImages) {
  cv::RNG rng(11);
  for (const char* border_name : {"reflect101", "replicate", "constant:3", "wrap", "valid"}) {
    for (int trial = 0; trial < 8; ++trial) {
      const Border border = parse_border(border_name);
      const int channels = 1 + trial % 4, multiplier = 1 + trial % 3;
      const bool integer = trial % 2 == 0;
      const int depth = trial % 3 == 0 ? CV_32F : CV_8U;
      const cv::Size size(rng.uniform(1, 6), rng.uniform(1, 6));
      const cv::Point anchor(rng.uniform(0, size.width), rng.uniform(0, size.height));
      std::vector<Kernel> kernels;
      for (int j = 0; j < channels * multiplier; ++j) {
        kernels.push_back(random_kernel(rng, size, anchor, integer, j));
      }
      const DepthwiseLayer layer = make_depthwise_layer(
          kernels, channels, multiplier,
          random_matrix(rng, rng.uniform(1, 6), channels * multiplier, integer), "P");
      std::vector<cv::Mat> planes;
      for (int c = 0; c < channels; ++c) planes.push_back(random_plane({23, 17}, depth, rng));
      EXPECT_LE(relative_max(run_layer(layer, planes, depth, border),
                             opencv_layer(layer, planes, border)),
                2e-5)
          << border_name << " trial " << trial;
    }
  }
}

TEST(Depthwise, ColourSampleInRgbOrderMatchesOpenCVOnBgr) {
  const cv::Mat image = read_image(std::string(SEPCONV_SOURCE_DIR) + "/samples/coffee.png");
  ASSERT_EQ(image.channels(), 3);
  const Kernel gaussian = parse_kernel("gaussian5");
  const Kernel ycbcr =
      parse_kernel(std::string(SEPCONV_SOURCE_DIR) + "/filters/pointwise/rgb_to_ycbcr.txt");
  const DepthwiseLayer layer = make_depthwise_layer({gaussian}, 3, 1, ycbcr.values, "rgb_to_ycbcr");
  const Border border = parse_border("reflect101");
  const auto got = run_layer(layer, colour_planes(image), image.depth(), border);

  // OpenCV's own way, on the BGR image: filter2D over all channels, then cv::transform with the
  // matrix's columns reversed into B, G, R order.
  cv::Mat filtered;
  cv::filter2D(image, filtered, CV_64F, gaussian.values, {-1, -1}, 0, cv::BORDER_REFLECT_101);
  cv::Mat1d bgr_matrix;
  cv::flip(ycbcr.values, bgr_matrix, 1);
  cv::Mat mixed;
  cv::transform(filtered, mixed, bgr_matrix);
  std::vector<cv::Mat> expected_planes;
  cv::split(mixed, expected_planes);
  ASSERT_EQ(got.size(), 3u);
  for (int n = 0; n < 3; ++n) {
    EXPECT_LE(cv::norm(got[n], expected_planes[n], cv::NORM_INF), 1e-9) << "output " << n;
  }
}

TEST(Depthwise, LumaMatrixAgreesWithCvtColorGray) {
  const cv::Mat image = read_image(std::string(SEPCONV_SOURCE_DIR) + "/samples/coffee.png");
  const DepthwiseLayer layer =
      make_depthwise_layer({parse_kernel("[1]")}, 3, 1, row_of({0.299, 0.587, 0.114}), "luma");
  const auto got = run_layer(layer, colour_planes(image), image.depth(), Border{});
  cv::Mat gray;
  // OpenCV rounds to 8 bits, with 14-bit fixed-point weights: half a level, and a little more.
  cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  EXPECT_LE(cv::norm(got[0], cv::Mat1d(gray), cv::NORM_INF), 0.51);
}

TEST(Depthwise, EquivalentKernelsSumOverTheMultiplier) {
  const Kernel a = parse_kernel("[1 2 3]"), b = parse_kernel("[0 1 0]");
  const Kernel c = parse_kernel("[-1 0 1]"), d = parse_kernel("[4 4 4]");
  const DepthwiseLayer layer =
      make_depthwise_layer({a, b, c, d}, 2, 2, row_of({1, 10, 2, -1}), "P");
  const auto kernels = equivalent_kernels(layer);
  ASSERT_EQ(kernels.size(), 1u);
  ASSERT_EQ(kernels[0].size(), 2u);
  // K[0][0] = 1*[1 2 3] + 10*[0 1 0]; K[0][1] = 2*[-1 0 1] - 1*[4 4 4].
  EXPECT_EQ(cv::norm(kernels[0][0].values, row_of({1, 12, 3}), cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(kernels[0][1].values, row_of({-6, -4, -2}), cv::NORM_INF), 0);
}

TEST(Depthwise, StandardConvolutionAgreesToFloatPrecision) {
  cv::RNG rng(12);
  std::vector<Kernel> kernels;
  for (int j = 0; j < 6; ++j) kernels.push_back(random_kernel(rng, {5, 3}, {2, 1}, false, j));
  const DepthwiseLayer layer =
      make_depthwise_layer(kernels, 3, 2, random_matrix(rng, 4, 6, false), "P");
  std::vector<cv::Mat> planes;
  for (int c = 0; c < 3; ++c) planes.push_back(random_plane({40, 30}, CV_8U, rng));
  const Border border = parse_border("reflect");
  const auto separated = run_layer(layer, planes, CV_8U, border);
  const auto standard =
      standard_step(standard_plans(equivalent_kernels(layer), CV_8U), planes, border);
  EXPECT_LE(relative_max(separated, standard), 2e-5);
}

TEST(Depthwise, StandardConvolutionIsExactForIntegerKernelsAndMatrix) {
  cv::RNG rng(13);
  for (const char* border_name : {"reflect101", "constant:2", "valid"}) {
    std::vector<Kernel> kernels;
    for (int j = 0; j < 3; ++j) kernels.push_back(random_kernel(rng, {3, 3}, {1, 1}, true, j));
    kernels[0] = parse_kernel("sobel_x");  // separable: runs as two passes, still exact
    const DepthwiseLayer layer =
        make_depthwise_layer(kernels, 3, 1, random_matrix(rng, 2, 3, true), "P");
    std::vector<cv::Mat> planes;
    for (int c = 0; c < 3; ++c) planes.push_back(random_plane({20, 20}, CV_16U, rng));
    const Border border = parse_border(border_name);
    const auto separated = run_layer(layer, planes, CV_16U, border);
    const auto standard =
        standard_step(standard_plans(equivalent_kernels(layer), CV_16U), planes, border);
    const Difference diff = difference(separated, standard);
    EXPECT_EQ(diff.max_abs, 0) << border_name;
    EXPECT_EQ(diff.mean_abs, 0) << border_name;
  }
}

/// A 3-channel 10x10 image, 3x3 kernels, N = 2 outputs: the hand-worked example.
DepthwiseLayer hand_worked_layer(const std::string& kernel) {
  return make_depthwise_layer({parse_kernel(kernel)}, 3, 1, cv::Mat1d::ones(2, 3), "ones");
}

TEST(DepthwiseOps, HandWorkedCountsForAFullKernel) {
  // laplacian8 has rank 2: two separable terms would cost 12 multiplications, more than 9, so it
  // runs full. Per pixel: depthwise 3 x (9 mul, 8 add); pointwise 2 x (3 mul, 2 add); standard
  // 2 x (27 mul, 26 add). 100 pixels.
  const DepthwiseLayer layer = hand_worked_layer("laplacian8");
  const auto plans = depthwise_plans(layer, CV_8U);
  const auto standard = standard_plans(equivalent_kernels(layer), CV_8U);
  const LayerOps ops = layer_ops(layer, plans, standard, {10, 10}, Border{});
  EXPECT_EQ(ops.depthwise.per_pixel, (OpCount{27, 24}));
  EXPECT_EQ(ops.depthwise.total, (OpCount{2700, 2400}));
  EXPECT_EQ(ops.pointwise.per_pixel, (OpCount{6, 4}));
  EXPECT_EQ(ops.pointwise.total, (OpCount{600, 400}));
  EXPECT_EQ(ops.separable.per_pixel, (OpCount{33, 28}));
  EXPECT_EQ(ops.separable.total, (OpCount{3300, 2800}));
  EXPECT_EQ(ops.standard.per_pixel, (OpCount{54, 52}));
  EXPECT_EQ(ops.standard.total, (OpCount{5400, 5200}));
}

TEST(DepthwiseOps, HandWorkedCountsForASeparableKernelAndValidBorder) {
  // gaussian3 runs as [1 2 1] down then across. The vertical pass fills every input column of each
  // output row: 10 x 10 x (3 mul, 2 add), then 100 x (3 mul, 2 add) across; three channels.
  const DepthwiseLayer layer = hand_worked_layer("gaussian3");
  const auto plans = depthwise_plans(layer, CV_8U);
  const auto standard = standard_plans(equivalent_kernels(layer), CV_8U);
  const LayerOps same = layer_ops(layer, plans, standard, {10, 10}, Border{});
  EXPECT_EQ(same.depthwise.per_pixel, (OpCount{18, 12}));
  EXPECT_EQ(same.depthwise.total, (OpCount{1800, 1200}));
  EXPECT_EQ(same.standard.total, (OpCount{5400, 5200}));  // the standard form is always full

  // valid: an 8x8 output; the vertical pass covers 8 rows x 10 columns.
  const LayerOps valid = layer_ops(layer, plans, standard, {10, 10}, parse_border("valid"));
  EXPECT_EQ(valid.depthwise.total, (OpCount{3 * (8 * 10 * 3 + 64 * 3), 3 * (8 * 10 * 2 + 64 * 2)}));
  EXPECT_EQ(valid.pointwise.total, (OpCount{384, 256}));
  EXPECT_EQ(valid.standard.total, (OpCount{3456, 3328}));
}

TEST(DepthwiseOps, PointwiseCountIsWhatTheStepExecutes) {
  cv::RNG rng(14);
  std::vector<cv::Mat1d> planes;
  for (int j = 0; j < 6; ++j) planes.push_back(cv::Mat1d(random_plane({10, 10}, CV_32F, rng)));
  const cv::Mat1d matrix = random_matrix(rng, 2, 6, false);
  EXPECT_EQ(count_pointwise_ops(matrix, planes), (OpCount{1200, 1000}));
  EXPECT_EQ(count_pointwise_ops(matrix, planes), pointwise_ops_per_pixel(2, 6) * 100);
}

TEST(DepthwiseOps, StandardCountIsWhatTheEnginesExecute) {
  const DepthwiseLayer layer = hand_worked_layer("sharpen");
  const auto standard = standard_plans(equivalent_kernels(layer), CV_8U);
  const Border border = parse_border("valid");
  OpCount executed;
  for (const auto& row : standard) {
    for (const Plan& plan : row) executed += count_executed_ops(plan, {10, 10}, border);
    executed += OpCount{0, 2 * 64};  // summing the three channels: two additions a pixel
  }
  const LayerOps ops = layer_ops(layer, depthwise_plans(layer, CV_8U), standard, {10, 10}, border);
  EXPECT_EQ(ops.standard.total, executed);
}

TEST(DepthwiseOps, AgreesWithTheCostModelWhenKernelsRunFull) {
  const DepthwiseLayer layer =
      make_depthwise_layer({parse_kernel("laplacian8")}, 3, 2, cv::Mat1d::ones(5, 6), "ones");
  const auto standard = standard_plans(equivalent_kernels(layer), CV_8U);
  const LayerOps ops = layer_ops(layer, depthwise_plans(layer, CV_8U), standard, {12, 9}, Border{});
  netcost::LayerSpec spec;
  spec.input = {9, 12, 3};
  spec.kernel = {3, 3};
  spec.out_channels = 5;
  spec.padding = netcost::Padding::same;
  spec.multiplier = 2;
  const netcost::LayerCost model = netcost::layer_cost(spec);
  EXPECT_EQ(ops.depthwise.total.mul, model.depthwise.mults);
  EXPECT_EQ(ops.pointwise.total.mul, model.pointwise.mults);
  EXPECT_EQ(ops.separable.total.mul, model.separable.mults);
  EXPECT_EQ(ops.standard.total.mul, model.standard.mults);
}

TEST(DepthwiseLayer, OneKernelServesEveryPlane) {
  const DepthwiseLayer layer =
      make_depthwise_layer({parse_kernel("box3")}, 3, 2, cv::Mat1d::ones(1, 6), "P");
  EXPECT_EQ(layer.kernels.size(), 6u);
  EXPECT_EQ(layer.depthwise_planes(), 6);
  EXPECT_EQ(layer.out_channels(), 1);
}

TEST(DepthwiseLayer, MismatchesAreUsageErrors) {
  const Kernel k3 = parse_kernel("box3"), k5 = parse_kernel("box5");
  EXPECT_EQ(code_of([&] {
              make_depthwise_layer({k3, k3}, 3, 1, cv::Mat1d::ones(1, 3), "P");
            }),
            ExitCode::usage);
  EXPECT_EQ(code_of([&] { make_depthwise_layer({k3}, 3, 2, cv::Mat1d::ones(1, 3), "P"); }),
            ExitCode::usage);
  EXPECT_EQ(code_of([&] {
              make_depthwise_layer({k3, k5, k3}, 3, 1, cv::Mat1d::ones(1, 3), "P");
            }),
            ExitCode::usage);
  EXPECT_EQ(code_of([&] { make_depthwise_layer({k3}, 3, 0, cv::Mat1d::ones(1, 3), "P"); }),
            ExitCode::usage);
  try {
    make_depthwise_layer({k3, k3}, 3, 1, cv::Mat1d::ones(1, 3), "P");
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "-k: 2 kernels given; the image needs 1 or 3 (3 channels x multiplier 1 = 3, "
                 "channel-major)");
  }
  try {
    make_depthwise_layer({k3}, 1, 1, cv::Mat1d::ones(1, 3), "rgb_to_luma");
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "--pointwise: rgb_to_luma is 1x3: it needs 1 column, one per depthwise plane "
                 "(1 channel x multiplier 1 = 1)");
  }
}

}  // namespace
}  // namespace sepconv
