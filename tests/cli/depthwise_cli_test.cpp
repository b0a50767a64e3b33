// `sepconv depthwise` end to end: runs the built binary on a sample and checks the image it writes,
// the statistics it prints and its errors.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "build_paths.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {
using testing::contains;
using testing::run_sepconv;
using testing::TempDir;

const std::string kCoffee = std::string(SEPCONV_SOURCE_DIR) + "/samples/coffee.png";

nlohmann::json ops(std::int64_t mul, std::int64_t add) {
  return {{"mul", mul}, {"add", add}};
}

TEST(DepthwiseCli, CoffeeToLumaAgreesWithTheStandardConvolution) {
  const TempDir dir;
  const auto run =
      run_sepconv("depthwise samples/coffee.png -k gaussian3 --pointwise rgb_to_luma -o " +
                  dir / "luma.png" + " --compare-full --stats json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["width"], 600);
  EXPECT_EQ(json["height"], 400);
  EXPECT_EQ(json["channels"], 3);
  EXPECT_EQ(json["out_channels"], 1);
  EXPECT_EQ(json["border"], "reflect101");
  EXPECT_EQ(json["kernels"].size(), 3u);
  EXPECT_EQ(json["kernels"][0]["plan"], "separable");
  EXPECT_EQ(json["pointwise"]["name"], "rgb_to_luma");
  EXPECT_LT(json["compare_full"]["max_abs"].get<double>(), 1e-9);
  EXPECT_LT(json["compare_full"]["mean_abs"].get<double>(), 1e-10);
  // 240,000 pixels. gaussian3 separated: 3 channels x (3 + 3 mul, 2 + 2 add); pointwise 3 mul,
  // 2 add; standard 3 x 9 mul and 27 - 1 add.
  EXPECT_EQ(json["ops"]["depthwise"]["per_pixel"], ops(18, 12));
  EXPECT_EQ(json["ops"]["depthwise"]["total"], ops(4320000, 2880000));
  EXPECT_EQ(json["ops"]["pointwise"]["per_pixel"], ops(3, 2));
  EXPECT_EQ(json["ops"]["pointwise"]["total"], ops(720000, 480000));
  EXPECT_EQ(json["ops"]["separable"]["total"], ops(5040000, 3360000));
  EXPECT_EQ(json["ops"]["standard"]["per_pixel"], ops(27, 26));
  EXPECT_EQ(json["ops"]["standard"]["total"], ops(6480000, 6240000));

  // The image against OpenCV alone: blur the BGR image, then its own gray conversion of the
  // blurred floats; both round to 8 bits, so they may differ by one level.
  const cv::Mat written = cv::imread(dir / "luma.png", cv::IMREAD_UNCHANGED);
  ASSERT_EQ(written.type(), CV_8UC1);
  cv::Mat blurred, gray;
  const cv::Mat1f gaussian =
      cv::Mat1f(cv::getGaussianKernel(3, 0, CV_32F) * cv::getGaussianKernel(3, 0, CV_32F).t());
  cv::filter2D(cv::imread(kCoffee), blurred, CV_32F, gaussian, {-1, -1}, 0, cv::BORDER_REFLECT_101);
  cv::cvtColor(blurred, gray, cv::COLOR_BGR2GRAY);
  gray.convertTo(gray, CV_8U);
  EXPECT_LE(cv::norm(written, gray, cv::NORM_INF), 1);
}

TEST(DepthwiseCli, TextStatisticsShowTheComparison) {
  const TempDir dir;
  const auto run = run_sepconv(
      "depthwise samples/coffee.png -k sobel_x,sobel_y,laplacian4 "
      "--pointwise identity3 -o " +
      dir / "edges.png" + " --compare-full");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "3 channels x multiplier 1 -> pointwise identity3 -> 3 channels"))
      << run.err;
  EXPECT_TRUE(contains(run.err,
                       "kernels     3x3: R sobel_x (separable), G sobel_y (separable), "
                       "B laplacian4 (full)"))
      << run.err;
  // identity3 makes 3 x 3 standard kernels, six of them all zero, which a standard layer still
  // runs.
  EXPECT_TRUE(contains(run.err,
                       "standard    81 mul + 78 add per pixel, 19,440,000 mul + 18,720,000 "
                       "add in total (3x3 kernels of 3x3: 2.70x the multiplications)"))
      << run.err;
  // Integer kernels and an integer matrix: both forms are exact.
  EXPECT_TRUE(contains(run.err, "compare     standard convolution differs by at most 0 (mean 0)"))
      << run.err;
}

TEST(DepthwiseCli, OtherChannelCountsAreTiffPages) {
  const TempDir dir;
  const auto run = run_sepconv(
      "depthwise samples/coffee.png -k box3 --multiplier 2 --pointwise "
      "'[1 0 0 0 0 0; 0 0 1 0 0 0; 0.5 0 0 0 0.5 0; 0 0 0 0 0 -1; 1 1 1 1 1 1]' "
      "-o " +
      dir / "pages.tif" + " --depth f32 --stats json");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["pages"], 5);
  std::vector<cv::Mat> pages;
  ASSERT_TRUE(cv::imreadmulti(dir / "pages.tif", pages, cv::IMREAD_UNCHANGED));
  ASSERT_EQ(pages.size(), 5u);
  for (const cv::Mat& page : pages) EXPECT_EQ(page.type(), CV_32FC1);
  // Page 3 is minus the box-filtered blue channel (plane 5 = B, second kernel), negative and exact
  // in f32.
  cv::Mat box;
  cv::blur(cv::imread(kCoffee), box, {3, 3}, {-1, -1}, cv::BORDER_REFLECT_101);
  std::vector<cv::Mat> bgr;
  cv::split(box, bgr);
  cv::Mat negative_blue;
  bgr[0].convertTo(negative_blue, CV_32F, -1);
  EXPECT_LE(cv::norm(pages[3], negative_blue, cv::NORM_INF), 0.5 + 1e-4);
}

TEST(DepthwiseCli, Errors) {
  const TempDir dir;
  const std::string out = " -o " + dir / "out.png";
  auto run = run_sepconv("depthwise samples/coffee.png -k box3 --pointwise '[1 0; 0 1]'" + out);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err,
            "sepconv: --pointwise: [1 0; 0 1] is 2x2: it needs 3 columns, one per depthwise plane "
            "(3 channels x multiplier 1 = 3)\n");

  run = run_sepconv("depthwise samples/coffee.png -k sobel_x,sobel_y --pointwise identity3" + out);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.err,
            "sepconv: -k: 2 kernels given; the image needs 1 or 3 (3 channels x multiplier 1 = 3, "
            "channel-major)\n");

  run = run_sepconv("depthwise samples/coffee.png -k box3 --pointwise '[1 0 0; 0 1 0]'" + out);
  EXPECT_EQ(run.status, 2);
  EXPECT_TRUE(contains(run.err, "2 output channels are written as a multi-page TIFF")) << run.err;

  run = run_sepconv("depthwise samples/no_such.png -k box3 --pointwise identity3" + out);
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "sepconv: samples/no_such.png: no such file\n");

  run = run_sepconv("depthwise samples/coffee.png -k box3 --pointwise /no/such/matrix.txt" + out);
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "sepconv: /no/such/matrix.txt: no such file\n");

  run = run_sepconv("depthwise samples/coffee.png -k /no/such/kernel.txt --pointwise identity3" +
                    out);
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err, "sepconv: /no/such/kernel.txt: no such file\n");

  run = run_sepconv("depthwise samples/coffee.png --pointwise identity3" + out);
  EXPECT_EQ(run.status, 2);
  EXPECT_TRUE(contains(run.err, "--kernel is required")) << run.err;

  run = run_sepconv("depthwise samples/coffee.png -k box3 --pointwise identity3 --multiplier 0" +
                    out);
  EXPECT_EQ(run.status, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "out.png"));
}

}  // namespace
}  // namespace sepconv
