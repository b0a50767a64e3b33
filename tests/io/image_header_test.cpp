// Sizes from image headers, the pixel limit before decoding, and the structural checks of PNG and
// JPEG, against files OpenCV wrote and files crafted byte by byte.

#include "io/image_header.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"
#include "io/hostile_files.hpp"
#include "io/image_io.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {

/// The process's peak resident size so far, in KiB (getrusage).
long peak_resident_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}
using testing::TempDir;

ImageHeader inspect_bytes(const std::string& bytes) {
  return inspect_image(
      BufferSource(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
}

std::string encoded(const std::string& ext, const cv::Mat& image) {
  std::vector<uchar> bytes;
  EXPECT_TRUE(cv::imencode(ext, image, bytes)) << ext;
  return std::string(bytes.begin(), bytes.end());
}

std::string decode_error(const std::string& bytes) {
  try {
    decode_image(std::vector<uchar>(bytes.begin(), bytes.end()), "input");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

/// Restores the default limit when a test that changes it ends.
struct MaxPixelsGuard {
  ~MaxPixelsGuard() { set_max_pixels(kDefaultMaxPixels); }
};

TEST(ImageHeader, Crc32MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32(0, "123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32(0, ""), 0u);
}

TEST(ImageHeader, SizesOfFilesOpenCvWrote) {
  const cv::Mat image(37, 53, CV_8UC3, cv::Scalar(1, 2, 3));
  for (const std::string ext : {".png", ".jpg", ".tif", ".bmp", ".ppm", ".webp", ".ras"}) {
    const ImageHeader header = inspect_bytes(encoded(ext, image));
    EXPECT_EQ(header.width, 53u) << ext;
    EXPECT_EQ(header.height, 37u) << ext;
    EXPECT_EQ(header.problem, "") << ext;
  }
  const cv::Mat lossless = image.clone();
  std::vector<uchar> webp;
  cv::imencode(".webp", lossless, webp, {cv::IMWRITE_WEBP_QUALITY, 101});  // VP8L
  const ImageHeader header = inspect_bytes(std::string(webp.begin(), webp.end()));
  EXPECT_EQ(header.width, 53u);
  EXPECT_EQ(header.height, 37u);
  const ImageHeader pfm = inspect_bytes(encoded(".pfm", cv::Mat(37, 53, CV_32F)));
  EXPECT_EQ(pfm.format, "PNM");
  EXPECT_EQ(pfm.width, 53u);
}

TEST(ImageHeader, SizesOfCraftedFiles) {
  EXPECT_EQ(inspect_bytes("P5\n# a comment\n 640 # more\n480\n255\n").width, 640u);
  EXPECT_EQ(inspect_bytes("P5\n# a comment\n 640 # more\n480\n255\n").height, 480u);
  EXPECT_EQ(inspect_bytes("P7\nWIDTH 12\nHEIGHT 34\nDEPTH 1\nENDHDR\n").height, 34u);
  for (bool big : {false, true}) {
    const ImageHeader tiff = inspect_bytes(testing::tiff16(big, 3, 2, {1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(tiff.format, "TIFF");
    EXPECT_EQ(tiff.width, 3u);
    EXPECT_EQ(tiff.height, 2u);
  }
  // A top-down BMP has a negative height.
  std::string bmp = "BM" + std::string(12, '\0');
  testing::put_little_endian(bmp, 40, 4);
  testing::put_little_endian(bmp, 7, 4);
  testing::put_little_endian(bmp, static_cast<std::uint32_t>(-9), 4);
  EXPECT_EQ(inspect_bytes(bmp).height, 9u);
  EXPECT_EQ(inspect_bytes("not an image at all").format, "");
}

TEST(ImageHeader, PngDamageIsFound) {
  const std::string png = encoded(".png", cv::Mat(16, 16, CV_8U, cv::Scalar(9)));
  EXPECT_EQ(inspect_bytes(png).problem, "");
  EXPECT_EQ(inspect_bytes(png.substr(0, png.size() - 12)).problem,
            "is truncated: the PNG ends before its IEND chunk");
  EXPECT_EQ(inspect_bytes(png.substr(0, png.size() / 2)).problem,
            "is truncated: PNG chunk IDAT runs past the end of the file");
  std::string flipped = png;
  flipped[png.size() - 20] ^= 0x10;  // inside IDAT's data
  EXPECT_EQ(inspect_bytes(flipped).problem, "is corrupt: PNG chunk IDAT fails its checksum (CRC)");
}

TEST(ImageHeader, JpegWithoutItsEndIsTruncated) {
  const std::string jpeg = encoded(".jpg", cv::Mat(64, 64, CV_8U, cv::Scalar(90)));
  EXPECT_EQ(inspect_bytes(jpeg).problem, "");
  for (const std::size_t keep : {jpeg.size() - 2, jpeg.size() / 2, std::size_t{20}}) {
    EXPECT_EQ(inspect_bytes(jpeg.substr(0, keep)).problem,
              "is truncated: the JPEG ends before its end-of-image marker")
        << keep;
  }
}

TEST(ImageHeader, HugeClaimIsRefusedAtOnce) {
  const std::string png = testing::lying_png(100000, 100000);
  ASSERT_LT(png.size(), 200u);
  // Refused from the header, before any pixel buffer: the peak resident size does not grow by the
  // 10 GB a decode would need (nor by 64 MB).
  const long peak_before_kb = peak_resident_kb();
  EXPECT_EQ(decode_error(png),
            "input: is 100000x100000 = 10000000000 pixels, more than the limit of 1073741824 "
            "(--max-pixels)");
  EXPECT_LT(peak_resident_kb() - peak_before_kb, 64 * 1024);
}

TEST(ImageHeader, MaxPixelsIsInclusive) {
  const MaxPixelsGuard guard;
  const std::string png = encoded(".png", cv::Mat(10, 20, CV_8U, cv::Scalar(1)));
  set_max_pixels(200);
  EXPECT_EQ(decode_error(png), "");
  set_max_pixels(199);
  EXPECT_EQ(decode_error(png),
            "input: is 20x10 = 200 pixels, more than the limit of 199 (--max-pixels)");
  EXPECT_THROW(set_max_pixels(0), Error);
}

TEST(ImageHeader, FormatsWithoutAHeaderReaderAreCheckedAfterDecoding) {
  const MaxPixelsGuard guard;
  set_max_pixels(10);
  // Radiance HDR: sepconv does not read its header, so the decoded size is checked.
  const std::string hdr = encoded(".hdr", cv::Mat(4, 4, CV_32FC3, cv::Scalar(1, 1, 1)));
  EXPECT_EQ(inspect_bytes(hdr).format, "");
  EXPECT_EQ(decode_error(hdr),
            "input: is 4x4 = 16 pixels, more than the limit of 10 (--max-pixels)");
}

TEST(ImageHeader, ReadImageUsesTheSameChecks) {
  TempDir dir;
  std::ofstream(dir / "lie.png", std::ios::binary) << testing::lying_png(70000, 70000);
  try {
    read_image(dir / "lie.png");
    ADD_FAILURE() << "a 70000x70000 claim was decoded";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), dir / "lie.png");
    EXPECT_NE(std::string(e.what()).find("70000x70000"), std::string::npos);
  }
}

TEST(ImageHeader, BothTiffByteOrdersDecodeToTheSameSamples) {
  const std::vector<std::uint16_t> samples = {0, 1, 258, 65535, 4660, 43981};
  for (bool big : {false, true}) {
    const std::string tiff = testing::tiff16(big, 3, 2, samples);
    const cv::Mat image = decode_image(std::vector<uchar>(tiff.begin(), tiff.end()), "t");
    ASSERT_EQ(image.type(), CV_16UC1) << big;
    EXPECT_EQ(std::vector<std::uint16_t>(image.begin<ushort>(), image.end<ushort>()), samples)
        << (big ? "big-endian" : "little-endian");
  }
}

}  // namespace
}  // namespace sepconv
