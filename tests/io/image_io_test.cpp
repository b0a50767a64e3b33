// Reading and atomic writing: clear errors naming the file, and nothing half-written.

#include "io/image_io.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "core/error.hpp"
#include "support/error_of.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;

using testing::error_of;
using testing::write_bytes;

size_t files_in(const fs::path& folder) {
  return std::distance(fs::directory_iterator(folder), fs::directory_iterator());
}

TEST(ImageIo, ReadErrorsNameTheFileAndTheReason) {
  TempDir dir;
  write_bytes(dir / "empty.png", "");
  write_bytes(dir / "text.png", "this is not a PNG\n");
  EXPECT_EQ(error_of([&] { read_image(dir / "missing.png"); }),
            dir / "missing.png" + ": no such file");
  EXPECT_EQ(error_of([&] { read_image(dir / "empty.png"); }), dir / "empty.png" + ": is empty");
  EXPECT_NE(error_of([&] { read_image(dir / "text.png"); }).find("is not an image"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_image(dir.path().string()); }).find("is a directory"),
            std::string::npos);
}

TEST(ImageIo, TruncatedPngIsRefused) {
  TempDir dir;
  std::vector<uchar> png;
  cv::imencode(".png", cv::Mat(64, 64, CV_8U, cv::Scalar(7)), png);
  write_bytes(dir / "cut.png", std::string(png.begin(), png.begin() + png.size() / 2));
  EXPECT_NE(error_of([&] { read_image(dir / "cut.png"); }).find("cut.png"), std::string::npos);
}

TEST(ImageIo, WritesAtomicallyAndReadsBack) {
  TempDir dir;
  const cv::Mat image(5, 7, CV_16U, cv::Scalar(1234));
  write_image_atomically(dir / "out.png", image);
  const cv::Mat back = read_image(dir / "out.png");
  EXPECT_EQ(back.depth(), CV_16U);
  EXPECT_EQ(cv::norm(back, image, cv::NORM_INF), 0);
  EXPECT_EQ(files_in(dir.path()), 1u);  // no temporary left beside it
}

std::vector<std::uint8_t> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Images of kRowWritePixelBytes and more are written by the row encoders: the bytes must be those
// the in-memory encoder gives, metadata included.
TEST(ImageIo, LargeImagesWrittenByRowsHaveTheEncodersBytes) {
  TempDir dir;
  const int side = 8192;  // 64 MiB of 8-bit gray: at the threshold
  ASSERT_GE(size_t{side} * side, kRowWritePixelBytes);
  cv::Mat image(side, side, CV_8U);
  cv::randu(image, 0, 40);  // little entropy: the PNG and TIFF encoders stay quick
  Metadata metadata;
  metadata.xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>";
  for (const char* name : {"big.pgm", "big.png", "big.tif"}) {
    SCOPED_TRACE(name);
    const std::string path = dir / name;
    const std::string ext = fs::path(name).extension().string();
    write_image_atomically(path, image, metadata);
    EXPECT_TRUE(file_bytes(path) == encode_image(ext, image, metadata));
    EXPECT_EQ(cv::norm(read_image(path), image, cv::NORM_INF), 0);
  }
  EXPECT_EQ(files_in(dir.path()), 3u);  // no temporary left beside them
}

TEST(ImageIo, FailedWritesLeaveNothingAndKeepTheOldFile) {
  TempDir dir;
  write_bytes(dir / "keep.png", "old contents");
  // A float image cannot go into a PNG: refused before anything is written.
  EXPECT_NE(error_of([&] {
              write_image_atomically(dir / "keep.png", cv::Mat(3, 3, CV_32F));
            }).find("cannot hold 32-bit float"),
            std::string::npos);
  EXPECT_EQ(testing::read_text(dir / "keep.png"), "old contents");
  EXPECT_NE(error_of([&] {
              write_image_atomically(dir / "no/such/dir/x.png", cv::Mat(3, 3, CV_8U));
            }).find("does not exist"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              write_image_atomically(dir / "x.unknownext", cv::Mat(3, 3, CV_8U));
            }).find("cannot write"),
            std::string::npos);
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(ImageIo, FullDiskIsAnErrorWithoutTemporaries) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  // /dev/full's folder is /dev: the temporary goes there and must be gone after the failure.
  const auto temporaries = [] {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator("/dev")) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(".sepconv-", 0) == 0) names.insert(name);
    }
    return names;
  };
  const std::set<std::string> before = temporaries();
  EXPECT_FALSE(
      error_of([&] { write_image_atomically("/dev/full", cv::Mat(3, 3, CV_8U)); }).empty());
  EXPECT_EQ(temporaries(), before);
}

TEST(ImageIo, SameFileSeesThroughDotDot) {
  TempDir dir;
  write_bytes(dir / "a.png", "x");
  fs::create_directories(dir.path() / "sub");
  EXPECT_TRUE(same_file(dir / "a.png", dir / "sub/../a.png"));
  EXPECT_FALSE(same_file(dir / "a.png", dir / "b.png"));
}

}  // namespace
}  // namespace sepconv
