// `sepconv edges` end to end against OpenCV (cv::Sobel / cv::Scharr / filter2D, cv::magnitude,
// then convertScaleAbs or the same scale): within one grey level on 8-bit output. And a folder
// with a corrupt file.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

/// OpenCV's 8-bit gradient magnitude: derivatives as doubles, L2 or L1, times 255 / full_scale.
cv::Mat opencv_edges(const cv::Mat1d& gx, const cv::Mat1d& gy, bool l2, double full_scale) {
  cv::Mat1d magnitude;
  if (l2) {
    cv::magnitude(gx, gy, magnitude);
  } else {
    magnitude = cv::abs(gx) + cv::abs(gy);
  }
  if (full_scale == 0) cv::minMaxLoc(magnitude, nullptr, &full_scale);  // --normalize
  cv::Mat out;
  magnitude.convertTo(out, CV_8U, 255.0 / full_scale);
  return out;
}

cv::Mat gray_of(const std::string& path) {
  const cv::Mat image = cv::imread(path, cv::IMREAD_UNCHANGED);
  if (image.channels() == 1) return image;
  cv::Mat gray;
  cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

double max_difference(const cv::Mat& a, const cv::Mat& b) {
  return cv::norm(a, b, cv::NORM_INF);
}

CliRun edges(const std::string& input, const std::string& output, const std::string& extra) {
  return run_sepconv("edges " + quoted(input) + " -o " + quoted(output) + " " + extra);
}

/// What OpenCV users write: cv::convertScaleAbs(cv::magnitude(Sobel x, Sobel y)).
cv::Mat opencv_clamped_sobel(const cv::Mat& gray) {
  cv::Mat gx, gy, magnitude, out;
  cv::Sobel(gray, gx, CV_32F, 1, 0, 3);
  cv::Sobel(gray, gy, CV_32F, 0, 1, 3);
  cv::magnitude(gx, gy, magnitude);
  cv::convertScaleAbs(magnitude, out);
  return out;
}

TEST(EdgesCli, DefaultIsConvertScaleAbsOfTheMagnitude) {
  const TempDir dir("edges_default");
  const CliRun run = edges(sample("chelsea.png"), dir / "e.png", "--stats json");
  ASSERT_EQ(run.status, 0) << run.err;
  const cv::Mat written = cv::imread(dir / "e.png", cv::IMREAD_UNCHANGED);
  const cv::Mat expected = opencv_clamped_sobel(gray_of(sample("chelsea.png")));
  EXPECT_EQ(max_difference(written, expected), 0);
  EXPECT_GT(cv::mean(written)[0], 40);  // a picture, not a nearly black one
  const auto json = json_lines(run.out).at(0);
  EXPECT_EQ(json["scale"], "clamp");
  EXPECT_EQ(json["full_scale"], 255);

  // A 16-bit image holding the same 0-255 values gives the same picture.
  cv::Mat wide;
  gray_of(sample("chelsea.png")).convertTo(wide, CV_16U);
  cv::imwrite(dir / "wide.png", wide);
  ASSERT_EQ(edges(dir / "wide.png", dir / "w.png", "").status, 0);
  EXPECT_EQ(max_difference(cv::imread(dir / "w.png", cv::IMREAD_UNCHANGED), expected), 0);
  // And into 16 bits, clamped into 0..65535: the magnitude itself, rounded.
  ASSERT_EQ(edges(dir / "wide.png", dir / "w16.png", "--depth u16").status, 0);
  const cv::Mat w16 = cv::imread(dir / "w16.png", cv::IMREAD_UNCHANGED);
  ASSERT_EQ(w16.type(), CV_16UC1);
  cv::Mat gx, gy, magnitude, expected16;
  cv::Sobel(wide, gx, CV_32F, 1, 0, 3);
  cv::Sobel(wide, gy, CV_32F, 0, 1, 3);
  cv::magnitude(gx, gy, magnitude);
  magnitude.convertTo(expected16, CV_16U);
  EXPECT_EQ(max_difference(w16, expected16), 0);
}

TEST(EdgesCli, StrongestScaleMatchesOpenCV) {
  const TempDir dir("edges_sobel");
  const CliRun run = edges(sample("camera.png"), dir / "e.png", "--scale strongest --stats json");
  ASSERT_EQ(run.status, 0) << run.err;
  const cv::Mat gray = gray_of(sample("camera.png"));
  cv::Mat1d gx, gy;
  cv::Sobel(gray, gx, CV_64F, 1, 0, 3);
  cv::Sobel(gray, gy, CV_64F, 0, 1, 3);
  // Strongest possible Sobel L2 response on 8-bit input: 255 * sqrt(20) (worked in
  // tests/compare/gradient_test.cpp).
  const double full_scale = 255 * std::sqrt(20.0);
  EXPECT_LE(max_difference(cv::imread(dir / "e.png", cv::IMREAD_UNCHANGED),
                           opencv_edges(gx, gy, true, full_scale)),
            1);
  const auto json = json_lines(run.out).at(0);
  EXPECT_NEAR(json["full_scale"].get<double>(), full_scale, 1e-9);
  EXPECT_EQ(json["ops"]["per_pixel"]["mul"], 12);       // two separable 3x3: 2 x (3 + 3)
  EXPECT_EQ(json["ops"]["full_per_pixel"]["mul"], 18);  // two full 3x3
  EXPECT_EQ(json["ops"]["total"]["mul"], 12 * 512 * 512);
}

TEST(EdgesCli, ColourScharrL1UsesLumaAndMatchesOpenCV) {
  const TempDir dir("edges_scharr");
  const CliRun run = edges(sample("coffee.png"), dir / "e.png",
                           "--operator scharr --magnitude l1 --scale strongest");
  ASSERT_EQ(run.status, 0) << run.err;
  const cv::Mat gray = gray_of(sample("coffee.png"));
  cv::Mat1d gx, gy;
  cv::Scharr(gray, gx, CV_64F, 1, 0);
  cv::Scharr(gray, gy, CV_64F, 0, 1);
  const cv::Mat written = cv::imread(dir / "e.png", cv::IMREAD_UNCHANGED);
  ASSERT_EQ(written.channels(), 1);
  EXPECT_LE(max_difference(written, opencv_edges(gx, gy, false, 255 * 26.0)), 1);
}

TEST(EdgesCli, RandomImagePrewittAndNormalizedSobel7) {
  const TempDir dir("edges_random");
  cv::Mat1b image(61, 97);
  cv::RNG rng(7);
  rng.fill(image, cv::RNG::UNIFORM, 0, 256);
  cv::imwrite(dir / "r.png", image);

  CliRun run = edges(dir / "r.png", dir / "p.png", "--operator prewitt --scale strongest");
  ASSERT_EQ(run.status, 0) << run.err;
  const cv::Mat1d px = (cv::Mat1d(3, 3) << -1, 0, 1, -1, 0, 1, -1, 0, 1);
  cv::Mat1d gx, gy;
  cv::filter2D(image, gx, CV_64F, px);  // BORDER_REFLECT_101, as sepconv's default
  cv::filter2D(image, gy, CV_64F, cv::Mat1d(px.t()));
  EXPECT_LE(max_difference(cv::imread(dir / "p.png", cv::IMREAD_UNCHANGED),
                           opencv_edges(gx, gy, true, 255 * std::sqrt(10.0))),
            1);

  run = edges(dir / "r.png", dir / "s.png", "--ksize 7 --normalize");
  ASSERT_EQ(run.status, 0) << run.err;
  cv::Sobel(image, gx, CV_64F, 1, 0, 7);
  cv::Sobel(image, gy, CV_64F, 0, 1, 7);
  EXPECT_LE(max_difference(cv::imread(dir / "s.png", cv::IMREAD_UNCHANGED),
                           opencv_edges(gx, gy, true, 0)),
            1);

  run = edges(dir / "r.png", dir / "f.tif", "--ksize 5 --depth f32");
  ASSERT_EQ(run.status, 0) << run.err;
  cv::Sobel(image, gx, CV_64F, 1, 0, 5);
  cv::Sobel(image, gy, CV_64F, 0, 1, 5);
  cv::Mat1d exact, written;
  cv::magnitude(gx, gy, exact);
  cv::imread(dir / "f.tif", cv::IMREAD_UNCHANGED).convertTo(written, CV_64F);
  EXPECT_LT(cv::norm(written, exact, cv::NORM_INF), 1e-3);
}

TEST(EdgesCli, OtsuThresholdMatchesOpenCV) {
  const TempDir dir("edges_otsu");
  const CliRun run = edges(sample("camera.png"), dir / "t.png", "--threshold otsu --stats json");
  // Otsu's level on the default (clamped) picture.
  ASSERT_EQ(run.status, 0) << run.err;
  const cv::Mat gray = gray_of(sample("camera.png"));
  cv::Mat1d gx, gy;
  cv::Sobel(gray, gx, CV_64F, 1, 0, 3);
  cv::Sobel(gray, gy, CV_64F, 0, 1, 3);
  cv::Mat expected;
  const double level = cv::threshold(opencv_edges(gx, gy, true, 255), expected, 0, 255,
                                     cv::THRESH_BINARY | cv::THRESH_OTSU);
  const auto json = json_lines(run.out).at(0);
  EXPECT_EQ(json["threshold"]["kind"], "otsu");
  EXPECT_NEAR(json["threshold"]["level"].get<double>(), level, 1);
  const cv::Mat written = cv::imread(dir / "t.png", cv::IMREAD_UNCHANGED);
  cv::Mat differ;
  cv::compare(written, expected, differ, cv::CMP_NE);
  EXPECT_LT(cv::countNonZero(differ), written.total() / 1000);
  EXPECT_EQ(cv::countNonZero((written != 0) & (written != 255)), 0);  // binary
}

TEST(EdgesCli, FolderWithACorruptFile) {
  const TempDir dir("edges_folder");
  fs::create_directories(dir / "in");
  for (const char* name : {"camera.png", "brick.png", "coffee.png", "chelsea.png"}) {
    fs::copy_file(sample(name), dir / (std::string("in/") + name));
  }
  std::ofstream(dir / "in/corrupt.png") << "\x89PNG\r\n\x1a\n truncated";
  const CliRun run = run_sepconv("edges " + quoted(dir / "in") + " --out-dir " +
                                 quoted(dir / "out") + " --suffix _edges --stats json");
  EXPECT_EQ(run.status, 1);
  for (const char* name : {"camera", "brick", "coffee", "chelsea"}) {
    EXPECT_FALSE(cv::imread(dir / (std::string("out/") + name + "_edges.png")).empty()) << name;
  }
  EXPECT_FALSE(fs::exists(dir / "out/corrupt_edges.png"));
  EXPECT_TRUE(hidden_files(dir.path()).empty());
  EXPECT_NE(run.err.find("1 of 5 inputs failed: " + (dir / "in/corrupt.png")), std::string::npos)
      << run.err;
  const auto lines = json_lines(run.out);  // every line parses on its own
  ASSERT_EQ(lines.size(), 5u);
  int errors = 0;
  for (const auto& line : lines) {
    EXPECT_TRUE(line.contains("input"));
    if (line.contains("error")) {
      ++errors;
      EXPECT_EQ(line["input"], dir / "in/corrupt.png");
    }
  }
  EXPECT_EQ(errors, 1);
}

TEST(EdgesCli, UsageErrors) {
  EXPECT_EQ(
      run_sepconv("edges " + quoted(sample("camera.png")) + " -o x.png --operator canny").status,
      2);
  EXPECT_EQ(
      run_sepconv("edges " + quoted(sample("camera.png")) + " -o x.png --operator scharr --ksize 5")
          .status,
      2);
  EXPECT_EQ(run_sepconv("edges " + quoted(sample("camera.png")) +
                        " -o x.tif --depth f32 --threshold otsu")
                .status,
            2);
  EXPECT_EQ(
      run_sepconv("edges " + quoted(sample("camera.png")) + " -o x.png --threshold 300").status, 2);
  EXPECT_EQ(run_sepconv("edges " + quoted(sample("camera.png")) +
                        " -o x.tif --depth f32 --scale strongest")
                .status,
            2);
  EXPECT_EQ(
      run_sepconv("edges " + quoted(sample("camera.png")) + " -o x.png --depth u16 --threshold 40")
          .status,
      2);
}

}  // namespace
}  // namespace sepconv::testing
