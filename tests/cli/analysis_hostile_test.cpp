// Hostile kernels for the analysis and the engines, end to end (issue 10 items 3, 5, 11 and 19;
// issue 13 item 5): each runs the binary, checks the status, the statistics and, where there are
// pixels, the pixels against OpenCV.

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

/// A kernel file of `rows` x `cols` ones, with `special` at the centre.
std::string ones_kernel_file(const TempDir& dir, int rows, int cols, const std::string& special) {
  const std::string path = dir / "ones.txt";
  std::ofstream file(path);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      file << (r == rows / 2 && c == cols / 2 ? special : "1") << (c + 1 < cols ? " " : "\n");
    }
  }
  return path;
}

// Issue 10 #3: the integer-form search is bounded (this took over 120 s).
TEST(AnalysisHostile, BinomialAtTheSizeLimitIsAnalyzed) {
  const CliRun run = run_sepconv("analyze binomial:1025 --json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["kernel"]["rank"], 1);
  EXPECT_EQ(json["kernel"]["rows"], 1025);
}

// Issue 10 #3: a million ones and one irrational entry has no integer form (over 60 s before).
TEST(AnalysisHostile, OnesWithOneIrrationalEntryHaveNoIntegerForm) {
  const TempDir dir("irrational");
  const std::string kernel = ones_kernel_file(dir, 1025, 1025, "1.4142135623730951");
  const CliRun run = run_sepconv("analyze " + quoted(kernel) + " --json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_TRUE(json["integer_form"].is_null());
  EXPECT_EQ(json["kernel"]["rank"], 2);  // ones plus one spike
  // Worked by hand: K = J + d e e^T (J all ones, n = 1025, d = sqrt(2) - 1) maps span{1, e} to
  // itself by [[n, 1], [d, d]], whose eigenvalues, the roots of x^2 - (n + d) x + d (n - 1), are
  // K's two nonzero singular values (K is symmetric and positive semi-definite).
  const double n = 1025, d = std::sqrt(2.0) - 1;
  const double root = std::sqrt((n + d) * (n + d) - 4 * d * (n - 1));
  const auto& values = json["kernel"]["singular_values"];
  ASSERT_GE(values.size(), 2u);
  EXPECT_NEAR(values[0].get<double>(), (n + d + root) / 2, 1e-9);
  EXPECT_NEAR(values[1].get<double>(), (n + d - root) / 2, 1e-9);
}

// Issue 10 #3: the text report of a kernel too big to draw says so instead of printing 26 MB.
TEST(AnalysisHostile, LargeKernelsAreSummarisedInText) {
  const CliRun run = run_sepconv("analyze binomial:1025");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_LT(run.out.size(), 20000u);
  EXPECT_TRUE(contains(run.out, "rank 1: separable")) << run.out;
  EXPECT_TRUE(contains(run.out, "1025x1025 coefficients")) << run.out;
  EXPECT_TRUE(contains(run.out, "and 1024 more, each at most")) << run.out;
}

// Issue 10 #11: coefficients below 1e-10 are coefficients, not zeros.
TEST(AnalysisHostile, TinyCoefficientsAreNotZero) {
  const CliRun text = run_sepconv("analyze '[-1e-11 0 1e-11]'");
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_TRUE(contains(text.out, "1e-11")) << text.out;
  const CliRun json = run_sepconv("analyze '[-1e-11 0 1e-11]' --json");
  ASSERT_EQ(json.status, 0) << json.err;
  const auto analysis = nlohmann::json::parse(json.out);
  EXPECT_EQ(analysis["kernel"]["rank"], 1);
  EXPECT_TRUE(analysis["integer_form"].is_null());
  EXPECT_NEAR(analysis["kernel"]["singular_values"][0].get<double>(), std::sqrt(2.0) * 1e-11,
              1e-24);

  // The filtered image is the derivative times 1e-11, not black: against OpenCV's filter2D.
  const TempDir dir("tiny");
  const CliRun apply =
      run_sepconv("apply " + quoted(sample("camera.png")) +
                  " -k '[-1e-11 0 1e-11]' --depth f32 --map clamp -o " + quoted(dir / "d.tif"));
  ASSERT_EQ(apply.status, 0) << apply.err;
  const cv::Mat ours = cv::imread(dir / "d.tif", cv::IMREAD_UNCHANGED);
  ASSERT_EQ(ours.type(), CV_32F);
  cv::Mat camera = cv::imread(sample("camera.png"), cv::IMREAD_GRAYSCALE), expected;
  camera.convertTo(camera, CV_64F);
  cv::filter2D(camera, expected, CV_64F, cv::Mat1d({1, 3}, {-1e-11, 0, 1e-11}), {-1, -1}, 0,
               cv::BORDER_REFLECT_101);
  cv::Mat ours64;
  ours.convertTo(ours64, CV_64F);
  EXPECT_GT(cv::norm(expected, cv::NORM_INF), 1e-9);
  EXPECT_LT(cv::norm(ours64, expected, cv::NORM_INF), 1e-6 * cv::norm(expected, cv::NORM_INF));
}

// Issue 10 #19 and issue 13 #6: magnitudes at the ends of a double's range keep their rank.
TEST(AnalysisHostile, ExtremeMagnitudesKeepTheirRank) {
  const CliRun huge = run_sepconv("analyze '[1e308 1e308; 1e308 1e308]' --json");
  ASSERT_EQ(huge.status, 0) << huge.err;
  EXPECT_EQ(nlohmann::json::parse(huge.out)["kernel"]["rank"], 1);
  for (const char* scale : {"e77", "e160", "e-170"}) {
    const std::string k = std::string("'[1") + scale + " 2" + scale + " 0; 0 1" + scale + " 3" +
                          scale + "; 2" + scale + " 0 1" + scale + "]'";
    const CliRun run = run_sepconv("analyze " + k + " --json");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(nlohmann::json::parse(run.out)["kernel"]["rank"], 3) << scale;
  }
}

// Issue 13 #5 and issue 10 #19: the statistics name the arithmetic that ran.
TEST(AnalysisHostile, StatisticsNameTheArithmetic) {
  const TempDir dir("arithmetic");
  const auto arithmetic = [&](const std::string& options) {
    const CliRun run = run_sepconv("apply " + quoted(sample("camera.png")) + " -k gaussian5 " +
                                   options + " --stats json -o " + quoted(dir / "g.png"));
    EXPECT_EQ(run.status, 0) << run.err;
    return json_lines(run.out).at(0)["arithmetic"].get<std::string>();
  };
  EXPECT_EQ(arithmetic("--mode full"), "integer");
  EXPECT_EQ(arithmetic("--mode full --border constant:0.5"), "float32");
  EXPECT_EQ(arithmetic("--border constant:0.5"), "float32");
  EXPECT_EQ(arithmetic("--mode fft"), "float64");
  EXPECT_EQ(arithmetic("--mode fft --border constant:0.5"), "float32");
  const CliRun text =
      run_sepconv("apply " + quoted(sample("camera.png")) +
                  " -k gaussian5 --border constant:0.5 -v -o " + quoted(dir / "t.png"));
  EXPECT_EQ(text.status, 0) << text.err;
  EXPECT_FALSE(contains(text.err + text.out, "exact integer")) << text.err;
}

// Issue 13 #1 end to end: a uniform colour image keeps its colour under a fractional constant.
TEST(AnalysisHostile, FractionalConstantBorderKeepsColours) {
  const TempDir dir("colour");
  cv::imwrite(dir / "grey.png", cv::Mat(20, 30, CV_8UC3, cv::Scalar(100, 100, 100)));
  for (const char* mode : {"full", "fft", "auto"}) {
    const CliRun run = run_sepconv(
        "apply " + quoted(dir / "grey.png") +
        " -k '[1/20 2/20 1/20; 2/20 9/20 3/20; 1/20 3/20 2/20]' --border constant:0.5 --mode " +
        mode + " -o " + quoted(dir / "out.png") + " --overwrite");
    ASSERT_EQ(run.status, 0) << run.err;
    const cv::Mat out = cv::imread(dir / "out.png", cv::IMREAD_UNCHANGED);
    EXPECT_EQ(out.at<cv::Vec3b>(10, 15), cv::Vec3b(120, 120, 120)) << mode;
  }
}

// Issue 10 #5: a thin image under a huge kernel runs each border row once: executed products stay
// near one horizontal and one vertical pass (2.1e10 against 4.1e7 before).
TEST(AnalysisHostile, ThinImageUnderAHugeKernel) {
  const TempDir dir("thin");
  cv::Mat thin(1, 2000, CV_8U);
  cv::randu(thin, 0, 256);
  cv::imwrite(dir / "thin.png", thin);
  const CliRun run =
      run_sepconv("apply " + quoted(dir / "thin.png") +
                  " -k box:1025 --threads 1 --stats json -o " + quoted(dir / "o.png"));
  ASSERT_EQ(run.status, 0) << run.err;
  const auto line = json_lines(run.out).at(0);
  EXPECT_EQ(line["mode"], "separable");
  // A box's 1025 taps mirror each other: each pass multiplies 513 times (512 pairs, the centre).
  EXPECT_EQ(line["ops"]["executed"]["mul"], 2000 * 513 * 2);
  // Every output pixel averages the whole reflected row: reflect101 of one row is that row
  // repeated, so the vertical pass is the identity and the horizontal one OpenCV's.
  cv::Mat expected;
  cv::Mat1d source;
  thin.convertTo(source, CV_64F);
  cv::Mat1d padded;
  cv::copyMakeBorder(source, padded, 0, 0, 512, 512, cv::BORDER_REFLECT_101);
  cv::filter2D(padded, expected, CV_64F, cv::Mat1d(1, 1025, 1.0 / 1025), {-1, -1}, 0,
               cv::BORDER_CONSTANT);
  cv::Mat expected8;
  expected(cv::Rect(512, 0, 2000, 1)).convertTo(expected8, CV_8U);
  const cv::Mat out = cv::imread(dir / "o.png", cv::IMREAD_UNCHANGED);
  cv::Mat diff;
  cv::absdiff(out, expected8, diff);
  EXPECT_LE(cv::norm(diff, cv::NORM_INF), 1);
}

}  // namespace
}  // namespace sepconv::testing
