// `sepconv compare` end to end: sobel_x separated is identical to full at 6 against 9
// multiplications; a float kernel differs by float32 rounding only; the pictures are written.

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

TEST(CompareCli, SobelXIsIdenticalWithSixMultiplicationsInsteadOfNine) {
  const TempDir dir("compare_sobel");
  const CliRun run =
      run_sepconv("compare " + quoted(sample("camera.png")) + " -k sobel_x --json --runs 3" +
                  " --montage " + quoted(dir / "m.png") + " --diff " + quoted(dir / "d.png"));
  ASSERT_EQ(run.status, 0) << run.err;
  const auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 1u);
  const auto& json = lines[0];
  EXPECT_EQ(json["input"], sample("camera.png"));
  EXPECT_EQ(json["kernel"]["name"], "sobel_x");
  EXPECT_EQ(json["kernel"]["rank"], 1);
  ASSERT_EQ(json["plans"].size(), 2u);
  EXPECT_EQ(json["plans"][0]["mode"], "full");
  EXPECT_EQ(json["plans"][0]["ops"]["per_pixel"]["mul"], 9);
  EXPECT_EQ(json["plans"][0]["ops"]["per_pixel"]["add"], 8);
  EXPECT_EQ(json["plans"][0]["ops"]["total"]["mul"], 9 * 512 * 512);
  EXPECT_EQ(json["plans"][1]["mode"], "separable");
  EXPECT_EQ(json["plans"][1]["ops"]["per_pixel"]["mul"], 6);
  EXPECT_EQ(json["plans"][1]["ops"]["per_pixel"]["add"], 4);
  EXPECT_EQ(json["plans"][1]["ops"]["total"]["mul"], 6 * 512 * 512);
  EXPECT_DOUBLE_EQ(json["plans"][1]["speedup_predicted"].get<double>(), 1.5);
  EXPECT_GT(json["plans"][1]["time_ms"].get<double>(), 0);
  EXPECT_EQ(json["plans"][1]["times_ms"].size(), 3u);
  ASSERT_EQ(json["diffs"].size(), 1u);
  const auto& diff = json["diffs"][0];
  EXPECT_EQ(diff["a"], "full");
  EXPECT_EQ(diff["b"], "separable");
  EXPECT_EQ(diff["max_abs"], 0);
  EXPECT_EQ(diff["mean_abs"], 0);
  EXPECT_TRUE(diff["psnr_db"].is_null());  // identical: infinite PSNR
  EXPECT_EQ(diff["identical_fraction"], 1);
  EXPECT_EQ(diff["output"]["max_abs"], 0);

  const cv::Mat montage = cv::imread(dir / "m.png");
  EXPECT_GE(montage.rows, 512);
  EXPECT_GE(montage.cols, 4 * 480);  // four panels of 480 x 480 (plus the colour bar and gaps)
  EXPECT_FALSE(cv::imread(dir / "d.png").empty());
}

// Issue 13, bug 2: with a fractional constant border every plan ran float32 taps that an earlier
// run had scaled in place, so plans of the same kernel differed by up to 194.75. Two correct plans
// differ by float32 rounding only: far below a grey level (the real sums are at most 255 * sum
// |k|).
TEST(CompareCli, PlansAgreeUnderAFractionalConstantBorder) {
  for (const char* image : {"camera.png", "chelsea.png"}) {
    for (const char* kernel : {"gaussian5", "log9", "unsharp5", "box:7"}) {
      SCOPED_TRACE(std::string(image) + " " + kernel);
      const CliRun run = run_sepconv("compare " + quoted(sample(image)) + " -k " + kernel +
                                     " --border constant:0.5 --json --runs 2");
      ASSERT_EQ(run.status, 0) << run.err;
      const auto lines = json_lines(run.out);
      ASSERT_EQ(lines.size(), 1u);
      ASSERT_GE(lines[0]["diffs"].size(), 1u);
      for (const auto& diff : lines[0]["diffs"]) {
        EXPECT_LE(diff["max_abs"].get<double>(), 1e-3) << diff;
        EXPECT_LE(diff["output"]["max_abs"].get<double>(), 1.0) << diff;
      }
    }
  }
}

TEST(CompareCli, TextReportShowsCountsAndInfinitePsnr) {
  const CliRun run = run_sepconv("compare " + quoted(sample("brick.png")) + " -k sobel_y --runs 1");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("full "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2,359,296"), std::string::npos) << run.out;  // 9 x 512 x 512
  EXPECT_NE(run.out.find("1,572,864"), std::string::npos) << run.out;  // 6 x 512 x 512
  EXPECT_NE(run.out.find("PSNR inf dB, identical 100.000% (0 samples differ)"), std::string::npos)
      << run.out;
}

TEST(CompareCli, FloatKernelDiffersByRoundingOnlyAndLowRankJoins) {
  CliRun run =
      run_sepconv("compare " + quoted(sample("coffee.png")) + " -k gaussian:5:1.3 --json --runs 1");
  ASSERT_EQ(run.status, 0) << run.err;
  auto json = json_lines(run.out).at(0);
  const auto& diff = json["diffs"][0];
  EXPECT_GT(diff["max_abs"].get<double>(), 0);     // float32 sums in a different order
  EXPECT_LT(diff["max_abs"].get<double>(), 1e-3);  // ... of values up to 255
  EXPECT_LE(diff["output"]["max_abs"].get<double>(), 1);
  EXPECT_GT(diff["psnr_db"].get<double>(), 100);

  run = run_sepconv("compare " + quoted(sample("camera.png")) + " -k laplacian8 --json --runs 1");
  ASSERT_EQ(run.status, 0) << run.err;
  json = json_lines(run.out).at(0);
  ASSERT_EQ(json["plans"].size(), 2u);  // rank 2: full and lowrank
  EXPECT_EQ(json["plans"][1]["mode"], "lowrank");
  EXPECT_EQ(json["plans"][1]["ops"]["per_pixel"]["mul"], 12);  // 2 x (3 + 3)
  EXPECT_DOUBLE_EQ(json["plans"][1]["speedup_predicted"].get<double>(), 9.0 / 12.0);
  EXPECT_EQ(json["diffs"][0]["max_abs"], 0);  // whole-numbered terms: exact
}

TEST(CompareCli, SeveralInputsNeedANameTemplate) {
  const CliRun run = run_sepconv("compare " + quoted(sample("camera.png")) + " " +
                                 quoted(sample("brick.png")) + " -k sobel_x --montage m.png");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("--montage"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace sepconv::testing
