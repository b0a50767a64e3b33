// Channel order, multi-page TIFF output, and reading -k lists and --pointwise matrices.

#include "depthwise/channels.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"
#include "depthwise/pointwise.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {

/// A 1-row matrix, without the comma initializer that macros split.
cv::Mat1d row_of(std::vector<double> values) {
  return cv::Mat1d(values, true).reshape(1, 1);
}

TEST(DepthwiseChannels, PlanesAreInFileOrderAndAlphaIsDropped) {
  const cv::Mat bgra(2, 2, CV_8UC4, cv::Scalar(1, 2, 3, 4));  // B=1, G=2, R=3, A=4
  const std::vector<cv::Mat> planes = colour_planes(bgra);
  ASSERT_EQ(planes.size(), 3u);
  EXPECT_EQ(planes[0].at<uchar>(0, 0), 3);  // R
  EXPECT_EQ(planes[1].at<uchar>(0, 0), 2);  // G
  EXPECT_EQ(planes[2].at<uchar>(0, 0), 1);  // B
  EXPECT_EQ(colour_planes(cv::Mat(2, 2, CV_16UC2)).size(), 1u);
  EXPECT_EQ(colour_planes(cv::Mat(2, 2, CV_8UC1)).size(), 1u);
}

TEST(DepthwiseChannels, MergedPlanesGoBackToBgr) {
  std::vector<cv::Mat> planes;
  for (int v : {3, 2, 1}) planes.push_back(cv::Mat(2, 2, CV_8UC1, cv::Scalar(v)));  // R, G, B
  const cv::Mat image = merge_planes(planes);
  EXPECT_EQ(image.at<cv::Vec3b>(0, 0), cv::Vec3b(1, 2, 3));
  planes.push_back(cv::Mat(2, 2, CV_8UC1, cv::Scalar(9)));
  EXPECT_EQ(merge_planes(planes).at<cv::Vec4b>(1, 1), cv::Vec4b(1, 2, 3, 9));
}

TEST(DepthwiseChannels, PagesReadBackExactly) {
  const testing::TempDir dir;
  std::vector<cv::Mat> pages;
  for (int n = 0; n < 5; ++n) pages.push_back(cv::Mat(3, 4, CV_32FC1, cv::Scalar(n - 1.25)));
  write_pages_atomically(dir / "out.tif", pages);
  std::vector<cv::Mat> read;
  ASSERT_TRUE(cv::imreadmulti(dir / "out.tif", read, cv::IMREAD_UNCHANGED));
  ASSERT_EQ(read.size(), 5u);
  for (int n = 0; n < 5; ++n) {
    EXPECT_EQ(read[n].type(), CV_32FC1);
    EXPECT_EQ(cv::norm(read[n], pages[n], cv::NORM_INF), 0) << "page " << n;
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);  // no temp left
}

TEST(DepthwiseChannels, PagesNeedATiffName) {
  const testing::TempDir dir;
  const std::vector<cv::Mat> pages(2, cv::Mat(2, 2, CV_8UC1, cv::Scalar(0)));
  EXPECT_THROW(write_pages_atomically(dir / "out.png", pages), Error);
  EXPECT_THROW(write_pages_atomically(dir / "missing/out.tif", pages), Error);
  EXPECT_TRUE(is_tiff_path("a.TIFF"));
  EXPECT_FALSE(is_tiff_path("a.png"));
}

TEST(DepthwiseKernelList, CommasSplitOnlyWhenTheWholeIsNotOneKernel) {
  EXPECT_EQ(parse_kernel_list({"sobel_x,sobel_y,gaussian3"}).size(), 3u);
  EXPECT_EQ(parse_kernel_list({"sobel_x", "sobel_y"}).size(), 2u);
  EXPECT_EQ(parse_kernel_list({"[1,2,1]"}).size(), 1u);
  EXPECT_EQ(parse_kernel_list({"3x1: 1,2,1"}).size(), 1u);
  EXPECT_EQ(parse_kernel_list({"3: 1,2,1,2,4,2,1,2,1"}).size(), 1u);
  EXPECT_EQ(parse_kernel_list({"[1,2,1]", "box:3,gaussian:3:1"}).size(), 3u);
  const std::vector<Kernel> kernels = parse_kernel_list({"sobel_x,box3"});
  EXPECT_EQ(kernels[0].name, "sobel_x");
  EXPECT_EQ(kernels[1].name, "box3");
  try {
    parse_kernel_list({"sobel_x,no_such_kernel"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), "no_such_kernel");
  }
  try {
    parse_kernel_list({"3: 1,2,1"});  // not a list: an ImageMagick string with too few values
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), "3: 1,2,1");
  }
}

TEST(DepthwisePointwise, BundledMatricesAreFoundByName) {
  const Kernel luma = parse_pointwise("rgb_to_luma");
  EXPECT_EQ(luma.name, "rgb_to_luma");
  EXPECT_EQ(cv::norm(luma.values, row_of({0.299, 0.587, 0.114}), cv::NORM_INF), 0);
  const Kernel ycbcr = parse_pointwise("rgb_to_ycbcr");
  EXPECT_EQ(ycbcr.values.size(), cv::Size(3, 3));
  for (int n = 1; n < 3; ++n)
    EXPECT_NEAR(cv::sum(ycbcr.values.row(n))[0], 0, 1e-12);  // Cb, Cr of gray = 0
  EXPECT_EQ(cv::norm(parse_pointwise("identity3").values, cv::Mat1d::eye(3, 3), cv::NORM_INF), 0);
  EXPECT_EQ(bundled_pointwise_names(),
            (std::vector<std::string>{"identity3", "rgb_to_luma", "rgb_to_ycbcr"}));
  EXPECT_EQ(parse_pointwise("[1 0 0; 0 0 1]").values.size(), cv::Size(3, 2));
}

TEST(DepthwisePointwise, UnknownNameListsTheBundledOnes) {
  try {
    parse_pointwise("rgb_to_lab");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "rgb_to_lab: unknown pointwise matrix: not a bundled one (identity3, rgb_to_luma, "
                 "rgb_to_ycbcr), a file or an inline matrix such as \"[0.5 0.5 0]\"");
  }
}

}  // namespace
}  // namespace sepconv
