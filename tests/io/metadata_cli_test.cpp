// End to end through the binary (issue 9, "Metadata"): EXIF, the ICC profile and XMP carried from
// input to output for PNG, JPEG, TIFF and WebP; EXIF Orientation applied on read and written as 1;
// --no-autorotate and --strip. Inputs are tagged, and outputs read, by exiftool, a reader
// independent of sepconv and its codec libraries; pixels are checked against OpenCV.

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/run_binary.hpp"

namespace sepconv {
namespace {
using testing::contains;
using testing::read_text;
using testing::run_sepconv;
using testing::TempDir;

const std::string kChelsea = std::string(SEPCONV_SOURCE_DIR) + "/samples/chelsea.png";

bool have_exiftool() {
  return std::system("exiftool -ver >/dev/null 2>&1") == 0;
}

/// Runs a shell command, returning its standard output.
std::string shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

/// One tag as exiftool prints its value (-n: numbers as stored), "" when absent.
std::string tag(const std::string& file, const std::string& name) {
  return shell("exiftool -n -s3 -" + name + " '" + file + "'");
}

/// A 60x40 colour image whose every pixel differs from its neighbours, so a turn is visible.
cv::Mat pattern() {
  cv::Mat image(40, 60, CV_8UC3);
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      image.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(4 * x), static_cast<uchar>(6 * y),
                                            static_cast<uchar>((x * y) % 251));
    }
  }
  return image;
}

/// The sRGB profile chelsea.png carries, as a file for exiftool.
std::string icc_file(const TempDir& dir) {
  const std::string path = dir / "profile.icc";
  shell("exiftool -b -ICC_Profile '" + kChelsea + "' > '" + path + "'");
  return path;
}

/// Writes pattern() as `name` and tags it with exiftool: ICC profile, EXIF Artist and
/// Orientation, XMP title.
std::string tagged_input(const TempDir& dir, const std::string& name, int orientation) {
  const std::string path = dir / name;
  EXPECT_TRUE(cv::imwrite(path, pattern()));
  shell("exiftool -q -overwrite_original '-ICC_Profile<=" + icc_file(dir) +
        "' -Artist=Ann -XMP-dc:Title=hello -Orientation#=" + std::to_string(orientation) +
        " -XMP-tiff:Orientation#=" + std::to_string(orientation) + " '" + path + "'");
  return path;
}

const std::vector<std::string> kFormats = {"png", "jpg", "tif", "webp"};

TEST(MetadataCli, InputsAreTaggedAsTheTestsExpect) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  for (const std::string& format : kFormats) {
    const std::string input = tagged_input(dir, "in." + format, 6);
    EXPECT_EQ(tag(input, "Artist"), "Ann") << format;
    EXPECT_EQ(tag(input, "Title"), "hello") << format;
    EXPECT_EQ(tag(input, "EXIF:Orientation"), "6") << format;  // a TIFF's own tag, for TIFF
    EXPECT_EQ(tag(input, "XMP:Orientation"), "6") << format;
    EXPECT_EQ(tag(input, "ProfileDescription"), "sRGB IEC61966-2.1") << format;
  }
}

TEST(MetadataCli, ApplyCarriesExifIccAndXmpInEachFormat) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  for (const std::string& in_format : kFormats) {
    const std::string input = tagged_input(dir, "in." + in_format, 1);
    for (const std::string& out_format : kFormats) {
      const std::string output = dir / ("out_" + in_format + "." + out_format);
      const testing::Run run =
          run_sepconv("apply '" + input + "' -k sobel_x --stats none -o '" + output + "'");
      ASSERT_EQ(run.status, 0) << run.err;
      const std::string pair = in_format + " -> " + out_format;
      EXPECT_EQ(tag(output, "Artist"), "Ann") << pair;
      EXPECT_EQ(tag(output, "Title"), "hello") << pair;
      EXPECT_EQ(tag(output, "ProfileDescription"), "sRGB IEC61966-2.1") << pair;
      EXPECT_EQ(shell("exiftool -b -ICC_Profile '" + output + "' | cmp - '" + icc_file(dir) +
                      "' && echo same"),
                "same")
          << pair;
    }
  }
}

TEST(MetadataCli, OrientationIsAppliedAndWrittenAsOne) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  for (const std::string& format : kFormats) {
    const std::string input = tagged_input(dir, "in." + format, 6);
    const std::string output = dir / ("out." + format);
    const testing::Run run =
        run_sepconv("apply '" + input + "' -k sobel_x --stats none -o '" + output + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(tag(output, "ImageWidth"), "40") << format;
    EXPECT_EQ(tag(output, "ImageHeight"), "60") << format;
    // Both copies of the orientation say 1 (a TIFF's own tag is left out: 1 by default).
    EXPECT_EQ(tag(output, "EXIF:Orientation"), format == "tif" ? "" : "1") << format;
    EXPECT_EQ(tag(output, "XMP:Orientation"), "1") << format;
    EXPECT_EQ(tag(output, "Artist"), "Ann") << format;
  }
}

TEST(MetadataCli, TurnedPixelsAreTheInputRotatedByOpenCvThenFiltered) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  const std::string input = tagged_input(dir, "in.png", 6);
  const std::string output = dir / "out.png";
  const testing::Run run =
      run_sepconv("apply '" + input + "' -k sobel_x --map abs --stats none -o '" + output + "'");
  ASSERT_EQ(run.status, 0) << run.err;
  cv::Mat rotated, gradient, expected;
  cv::rotate(pattern(), rotated, cv::ROTATE_90_CLOCKWISE);
  cv::Sobel(rotated, gradient, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REFLECT_101);
  cv::convertScaleAbs(gradient, expected);
  const cv::Mat written = cv::imread(output, cv::IMREAD_UNCHANGED);
  ASSERT_EQ(written.size(), expected.size());
  EXPECT_EQ(cv::norm(written, expected, cv::NORM_INF), 0);
}

TEST(MetadataCli, EveryOrientationMatchesOpenCvsOwnReader) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  for (int orientation = 1; orientation <= 8; ++orientation) {
    const std::string input = tagged_input(dir, "in.jpg", orientation);
    const std::string output = dir / "out.png";
    const testing::Run run =
        run_sepconv("apply '" + input + "' -k '[1]' --stats none -o '" + output + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    // cv::imread turns a JPEG by its EXIF Orientation itself (IMREAD_COLOR).
    const cv::Mat expected = cv::imread(input, cv::IMREAD_COLOR);
    const cv::Mat written = cv::imread(output, cv::IMREAD_UNCHANGED);
    ASSERT_EQ(written.size(), expected.size()) << orientation;
    EXPECT_EQ(cv::norm(written, expected, cv::NORM_INF), 0) << orientation;
  }
}

TEST(MetadataCli, NoAutorotateFiltersTheStoredPixelsAndKeepsTheTag) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  for (const std::string& format : kFormats) {
    const std::string input = tagged_input(dir, "in." + format, 6);
    const std::string output = dir / ("out." + format);
    const testing::Run run = run_sepconv("apply '" + input + "' -k sobel_x --no-autorotate " +
                                         "--stats none -o '" + output + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(tag(output, "ImageWidth"), "60") << format;
    EXPECT_EQ(tag(output, "ImageHeight"), "40") << format;
    EXPECT_EQ(tag(output, "Orientation"), "6") << format;
  }
  // The stored pixels, filtered as they are.
  const std::string output = dir / "out.png";
  cv::Mat gradient, expected;
  cv::Sobel(pattern(), gradient, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REFLECT_101);
  cv::convertScaleAbs(gradient, expected);
  EXPECT_EQ(cv::norm(cv::imread(output, cv::IMREAD_UNCHANGED), expected, cv::NORM_INF), 0);
}

/// The band_rows statistic of one run of `apply INPUT -k sobel_x OPTIONS --stats json -o OUTPUT`.
nlohmann::json band_rows(const std::string& input, const std::string& output,
                         const std::string& options, const std::string& environment = "") {
  const testing::Run run = run_sepconv(
      "apply '" + input + "' -k sobel_x " + options + " --stats json -o '" + output + "'",
      environment);
  EXPECT_EQ(run.status, 0) << run.err;
  const nlohmann::json stats = nlohmann::json::parse(run.out, nullptr, false);
  return stats.is_object() && stats.contains("band_rows") ? stats["band_rows"] : "missing";
}

// With --no-autorotate the stored rows are the output's rows, so an image tagged as turned streams
// from decoder to encoder like any other (it was read whole), into the same bytes; turning it
// (the default) still needs the whole image.
TEST(MetadataCli, NoAutorotateStreamsATurnedImage) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  for (const std::string format : {"png", "jpg", "tif"}) {
    const std::string input = tagged_input(dir, "in." + format, 6);
    const std::string streamed = dir / ("streamed." + format);
    const std::string whole = dir / ("whole." + format);
    const nlohmann::json rows = band_rows(input, streamed, "--no-autorotate");
    EXPECT_TRUE(rows.is_number_integer()) << format << ": " << rows;
    EXPECT_TRUE(band_rows(input, whole, "--no-autorotate", "SEPCONV_BAND_ROWS=0 ").is_null());
    EXPECT_EQ(read_text(streamed), read_text(whole)) << format;
    EXPECT_FALSE(read_text(streamed).empty()) << format;
    EXPECT_EQ(tag(streamed, "Orientation"), "6") << format;
    EXPECT_TRUE(band_rows(input, dir / ("turned." + format), "").is_null()) << format;
  }
}

TEST(MetadataCli, StripLeavesNoExifIccOrXmp) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  for (const std::string& format : kFormats) {
    const std::string input = tagged_input(dir, "in." + format, 6);
    const std::string output = dir / ("out." + format);
    const testing::Run run =
        run_sepconv("apply '" + input + "' -k sobel_x --strip --stats none -o '" + output + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    // A TIFF's EXIF group also lists its own structure (ImageWidth...): the carried tags only.
    const std::string groups = format == "tif" ? "" : "-EXIF:all ";
    EXPECT_EQ(shell("exiftool -s -s " + groups +
                    "-Artist -Orientation -ICC_Profile:all -XMP:all '" + output + "'"),
              "")
        << format;
    EXPECT_EQ(tag(output, "ImageWidth"), "40") << format;  // still turned as displayed
  }
}

TEST(MetadataCli, EdgesCarriesMetadataButNoColourProfileIntoGray) {
  if (!have_exiftool()) GTEST_SKIP() << "exiftool is not installed (scripts/install-deps.sh)";
  TempDir dir;
  for (const std::string& format : {"png", "jpg", "tif"}) {
    const std::string input = tagged_input(dir, std::string("in.") + format, 1);
    const std::string output = dir / (std::string("edges.") + format);
    const testing::Run run = run_sepconv("edges '" + input + "' --stats none -o '" + output + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(tag(output, "Artist"), "Ann") << format;
    EXPECT_EQ(tag(output, "Title"), "hello") << format;
    // An RGB profile on a gray image is invalid (libpng refuses it): left out.
    EXPECT_EQ(tag(output, "ProfileDescription"), "") << format;
  }
}

TEST(MetadataCli, VerboseShowsHarmlessCodecWarnings) {
  TempDir dir;
  const std::string output = dir / "out.png";
  // chelsea.png carries the HP sRGB profile libpng knows to be slightly wrong.
  const testing::Run quiet =
      run_sepconv("apply '" + kChelsea + "' -k sobel_x --stats none -o '" + output + "'");
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  const testing::Run verbose =
      run_sepconv("apply '" + kChelsea + "' -k sobel_x -v --stats none -o '" + output + "'");
  ASSERT_EQ(verbose.status, 0) << verbose.err;
  EXPECT_TRUE(contains(verbose.err,
                       "chelsea.png: libpng warning: iCCP: known incorrect sRGB "
                       "profile"))
      << verbose.err;
}

TEST(MetadataCli, SymbolicLinkProblemsAreNamed) {
  TempDir dir;
  const std::string a = dir / "a.png", b = dir / "b.png", dangling = dir / "dangling.png";
  ASSERT_EQ(symlink(b.c_str(), a.c_str()), 0);
  ASSERT_EQ(symlink(a.c_str(), b.c_str()), 0);
  ASSERT_EQ(symlink((dir / "missing.png").c_str(), dangling.c_str()), 0);
  const std::string output = dir / "out.png";
  const testing::Run loop = run_sepconv("apply '" + a + "' -k sobel_x -o '" + output + "'");
  EXPECT_EQ(loop.status, 1);
  EXPECT_EQ(loop.err, "sepconv: " + a + ": is a loop of symbolic links\n");
  const testing::Run missing =
      run_sepconv("apply '" + dangling + "' -k sobel_x -o '" + output + "'");
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err, "sepconv: " + dangling + ": is a symbolic link to a missing file\n");
}

}  // namespace
}  // namespace sepconv
