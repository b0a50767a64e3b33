// --quality, --compression and the libvips suffix form (out.jpg[Q=90]): each reaches its encoder,
// checked against OpenCV's encoder at the same setting and against exiftool's reading of the tags.

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "support/run_binary.hpp"

namespace sepconv::testing {
namespace {
namespace fs = std::filesystem;

const std::string kCoffee = std::string(SEPCONV_SOURCE_DIR) + "/samples/coffee.png";

/// `apply` with the identity kernel, so the output is the input re-encoded.
testing::Run reencode(const std::string& output, const std::string& options = "") {
  return run_sepconv("apply '" + kCoffee + "' -k '[1]' --stats none " + options + " -o '" + output +
                     "'");
}

std::string exiftool(const std::string& tag, const std::string& path) {
  return run_sepconv("", "exiftool -s3 -" + tag + " '" + path + "' #").out;
}

TEST(EncoderOptions, JpegQualityMatchesOpenCVsEncoderAtThatQuality) {
  TempDir dir;
  const cv::Mat input = cv::imread(kCoffee, cv::IMREAD_UNCHANGED);
  std::vector<uchar> bytes;
  for (const int quality : {30, 95}) {
    const std::string name = dir / ("q" + std::to_string(quality) + ".jpg");
    const testing::Run run = quality == 95 ? reencode(name)  // the default
                                           : reencode(name + "[Q=30]");
    ASSERT_EQ(run.status, 0) << run.err;
    ASSERT_TRUE(cv::imencode(".jpg", input, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}));
    EXPECT_EQ(cv::norm(cv::imread(name, cv::IMREAD_UNCHANGED),
                       cv::imdecode(bytes, cv::IMREAD_UNCHANGED), cv::NORM_INF),
              0)
        << quality;
  }
  EXPECT_FALSE(fs::exists(dir / "q30.jpg[Q=30]"));
  ASSERT_EQ(reencode(dir / "g.jpg", "--quality 30").status, 0);
  EXPECT_EQ(testing::read_text(dir / "g.jpg"), testing::read_text(dir / "q30.jpg"));
}

TEST(EncoderOptions, PngLevelIsLosslessAndSmallerAtNine) {
  TempDir dir;
  ASSERT_EQ(reencode(dir / "fast.png").status, 0);
  ASSERT_EQ(reencode(dir / "small.png[compression=9]").status, 0);
  ASSERT_EQ(reencode(dir / "zero.png", "--compression 0").status, 0);
  const cv::Mat input = cv::imread(kCoffee, cv::IMREAD_UNCHANGED);
  for (const char* name : {"fast.png", "small.png", "zero.png"}) {
    EXPECT_EQ(cv::norm(cv::imread(dir / name, cv::IMREAD_UNCHANGED), input, cv::NORM_INF), 0);
  }
  EXPECT_LT(fs::file_size(dir / "small.png"), fs::file_size(dir / "fast.png"));
  EXPECT_GT(fs::file_size(dir / "zero.png"), input.total() * 3);  // stored, not compressed
}

TEST(EncoderOptions, TiffCompressionNames) {
  TempDir dir;
  ASSERT_EQ(reencode(dir / "lzw.tif").status, 0);
  ASSERT_EQ(reencode(dir / "deflate.tif[compression=deflate]").status, 0);
  ASSERT_EQ(reencode(dir / "none.tif", "--compression none").status, 0);
  EXPECT_EQ(exiftool("Compression", dir / "lzw.tif"), "LZW\n");
  EXPECT_EQ(exiftool("Compression", dir / "deflate.tif"), "Adobe Deflate\n");
  EXPECT_EQ(exiftool("Compression", dir / "none.tif"), "Uncompressed\n");
  const cv::Mat input = cv::imread(kCoffee, cv::IMREAD_UNCHANGED);
  for (const char* name : {"lzw.tif", "deflate.tif", "none.tif"}) {
    EXPECT_EQ(cv::norm(cv::imread(dir / name, cv::IMREAD_UNCHANGED), input, cv::NORM_INF), 0);
  }
}

TEST(EncoderOptions, WebPQualityMakesItLossy) {
  TempDir dir;
  ASSERT_EQ(reencode(dir / "lossless.webp").status, 0);
  ASSERT_EQ(reencode(dir / "lossy.webp[Q=50]").status, 0);
  const cv::Mat input = cv::imread(kCoffee, cv::IMREAD_UNCHANGED);
  EXPECT_EQ(cv::norm(cv::imread(dir / "lossless.webp", cv::IMREAD_UNCHANGED), input, cv::NORM_INF),
            0);
  const cv::Mat lossy = cv::imread(dir / "lossy.webp", cv::IMREAD_UNCHANGED);
  EXPECT_GT(cv::norm(lossy, input, cv::NORM_INF), 0);
  EXPECT_GT(cv::PSNR(lossy, input), 25);
  EXPECT_LT(fs::file_size(dir / "lossy.webp"), fs::file_size(dir / "lossless.webp"));
}

TEST(EncoderOptions, BadValuesAreUsageErrors) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--quality 0", "o.jpg"},
      {"--quality 101", "o.jpg"},
      {"--compression 10", "o.png"},
      {"--compression zip", "o.png"},
      {"", "o.jpg[Q=0]"},
      {"", "o.jpg[X=1]"},
      {"", "o.png[compression=deflate]"},
      {"", "o.tif[compression=9]"},
  };
  for (const auto& [options, output] : cases) {
    const testing::Run run = reencode(dir / output, options);
    // An option is a usage error; a bad suffix fails that output, before anything is computed.
    EXPECT_EQ(run.status, options.empty() ? 1 : 2) << options << " " << output << ": " << run.err;
    const std::string subject =
        options.empty() ? output.substr(0, output.find('[')) : options.substr(0, options.find(' '));
    EXPECT_TRUE(contains(run.err, subject)) << run.err;
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace
}  // namespace sepconv::testing
