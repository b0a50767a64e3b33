// End to end through the binary: the output formats hold what the engines computed (issue 13 #3
// and #7: colour float TIFF exact with negative values, s16 colour TIFF written as signed) and
// gray+alpha stays 2 channels (issue 10 #19).

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/run_binary.hpp"

namespace sepconv {
namespace {
using testing::contains;
using testing::run_sepconv;
using testing::TempDir;

const std::string kCoffee = std::string(SEPCONV_SOURCE_DIR) + "/samples/coffee.png";

TEST(FormatsCli, ColourFloatTiffIsExactWithNegativeValues) {
  TempDir dir;
  const cv::Mat input = cv::imread(kCoffee, cv::IMREAD_UNCHANGED);
  ASSERT_EQ(input.channels(), 3);
  // The identity kernel and its negation: the float output is the input, exactly, and minus it.
  for (const std::string kernel : {"[1]", "[-1]"}) {
    const testing::Run run =
        run_sepconv("apply '" + kCoffee + "' -k '" + kernel +
                    "' --depth f32 --map clamp --stats none -o '" + dir / "f.tif" + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    const cv::Mat written = cv::imread(dir / "f.tif", cv::IMREAD_UNCHANGED);
    ASSERT_EQ(written.type(), CV_32FC3);
    cv::Mat expected;
    input.convertTo(expected, CV_32F, kernel == "[1]" ? 1.0 : -1.0);
    EXPECT_EQ(cv::norm(written, expected, cv::NORM_INF), 0) << kernel;
  }
}

TEST(FormatsCli, SignedSixteenBitColourTiffIsWrittenAsSigned) {
  TempDir dir;
  const cv::Mat input = cv::imread(kCoffee, cv::IMREAD_UNCHANGED);
  const testing::Run run =
      run_sepconv("apply '" + kCoffee + "' -k sobel_x --depth s16 --map clamp --stats none -o '" +
                  dir / "s.tif" + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  const cv::Mat written = cv::imread(dir / "s.tif", cv::IMREAD_UNCHANGED);
  ASSERT_EQ(written.type(), CV_16SC3);
  cv::Mat expected;
  cv::Sobel(input, expected, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REFLECT_101);
  EXPECT_EQ(cv::norm(written, expected, cv::NORM_INF), 0);
  double low = 0;
  cv::minMaxLoc(written.reshape(1), &low);
  EXPECT_LT(low, 0);  // negative gradients kept
}

TEST(FormatsCli, GrayAlphaPngStaysTwoChannels) {
  TempDir dir;
  cv::Mat bgra(6, 7, CV_8UC4, cv::Scalar(90, 90, 90, 200));
  bgra.at<cv::Vec4b>(2, 3) = cv::Vec4b(30, 30, 30, 10);
  // OpenCV writes 4 channels; ImageMagick's PNG writer makes gray+alpha of a gray image.
  cv::imwrite(dir / "rgba.png", bgra);
  if (std::system(("/usr/bin/convert '" + dir / "rgba.png" + "' -define png:color-type=4 '" +
                   dir / "ga.png" + "'")
                      .c_str()) != 0) {
    GTEST_SKIP() << "no ImageMagick";
  }
  ASSERT_EQ(testing::read_text(dir / "ga.png")[25], 4);  // IHDR colour type: gray + alpha
  const testing::Run run =
      run_sepconv("apply '" + dir / "ga.png" + "' -k box3 -o '" + dir / "out.png" + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "1 channel")) << run.err;
  EXPECT_EQ(testing::read_text(dir / "out.png")[25], 4);                  // written as gray + alpha
  const cv::Mat out = cv::imread(dir / "out.png", cv::IMREAD_UNCHANGED);  // OpenCV: BGRA
  ASSERT_EQ(out.channels(), 4);
  EXPECT_EQ(out.at<cv::Vec4b>(2, 3)[3], 10);  // alpha carried, not filtered
}

}  // namespace
}  // namespace sepconv
