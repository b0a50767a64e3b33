// `sepconv apply` end to end: pixels against OpenCV's filter2D, the statistics stream, exit codes,
// a bad input in a batch, no temporary files, and an output that would replace its input.

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

/// OpenCV's correlation under a border, by padding with copyMakeBorder (filter2D has no wrap).
cv::Mat1d opencv_correlate(const cv::Mat& image, const cv::Mat1d& kernel, int border) {
  cv::Mat1d source, padded, filtered;
  image.convertTo(source, CV_64F);
  const int ry = kernel.rows / 2, rx = kernel.cols / 2;
  cv::copyMakeBorder(source, padded, ry, ry, rx, rx, border, cv::Scalar::all(0));
  cv::filter2D(padded, filtered, CV_64F, kernel);
  return filtered(cv::Rect(rx, ry, source.cols, source.rows)).clone();
}

TEST(ApplyCli, MatchesFilter2DForEveryPaddingBorder) {
  const TempDir dir("apply_borders");
  const cv::Mat image = cv::imread(sample("camera.png"), cv::IMREAD_UNCHANGED);
  const cv::Mat1d kernel = (cv::Mat1d(3, 3) << 1, 2, 0, -1, 3, 1, 0, 1, -2);
  const std::pair<const char*, int> borders[] = {{"reflect101", cv::BORDER_REFLECT_101},
                                                 {"reflect", cv::BORDER_REFLECT},
                                                 {"replicate", cv::BORDER_REPLICATE},
                                                 {"constant", cv::BORDER_CONSTANT},
                                                 {"wrap", cv::BORDER_WRAP}};
  for (const auto& [name, cv_border] : borders) {
    const std::string out = dir / (std::string(name) + ".tif");
    const CliRun run =
        run_sepconv("apply " + quoted(sample("camera.png")) + " -k '[1 2 0; -1 3 1; 0 1 -2]'" +
                    " --depth f32 --border " + name + " -o " + quoted(out));
    ASSERT_EQ(run.status, 0) << run.err;
    const cv::Mat written = cv::imread(out, cv::IMREAD_UNCHANGED);
    ASSERT_EQ(written.type(), CV_32FC1) << name;
    cv::Mat1d values;
    written.convertTo(values, CV_64F);
    EXPECT_EQ(cv::norm(values, opencv_correlate(image, kernel, cv_border), cv::NORM_INF), 0)
        << name;
  }
}

TEST(ApplyCli, SobelIntoEightBitIsTheAbsoluteValue) {
  const TempDir dir("apply_u8");
  const CliRun run = run_sepconv("apply " + quoted(sample("camera.png")) + " -k sobel_x -o " +
                                 quoted(dir / "out.png") + " --stats none");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << run.err;  // --stats none: nothing but errors
  const cv::Mat image = cv::imread(sample("camera.png"), cv::IMREAD_UNCHANGED);
  cv::Mat1d expected = cv::abs(opencv_correlate(
      image, (cv::Mat1d(3, 3) << -1, 0, 1, -2, 0, 2, -1, 0, 1), cv::BORDER_REFLECT_101));
  cv::Mat expected8;
  expected.convertTo(expected8, CV_8U);
  EXPECT_EQ(cv::norm(cv::imread(dir / "out.png", cv::IMREAD_UNCHANGED), expected8, cv::NORM_INF),
            0);
}

TEST(ApplyCli, SobelIntoSignedDepthsKeepsTheSign) {
  const TempDir dir("apply_signed");
  const cv::Mat image = cv::imread(sample("camera.png"), cv::IMREAD_UNCHANGED);
  cv::Mat1d expected;
  cv::Sobel(image, expected, CV_64F, 1, 0, 3);  // BORDER_REFLECT_101, as sepconv's default
  for (const char* depth : {"f32", "s16"}) {
    const std::string out = dir / (std::string(depth) + ".tif");
    const CliRun run = run_sepconv("apply " + quoted(sample("camera.png")) + " -k sobel_x -o " +
                                   quoted(out) + " --depth " + depth + " --stats json");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(json_lines(run.out).at(0)["map"], "clamp") << depth;
    cv::Mat1d written;
    cv::imread(out, cv::IMREAD_UNCHANGED).convertTo(written, CV_64F);
    EXPECT_EQ(cv::norm(written, expected, cv::NORM_INF), 0) << depth;
    double lowest = 0;
    cv::minMaxLoc(written, &lowest);
    EXPECT_LT(lowest, -100) << depth;  // dark-to-light edges stay negative
  }
}

TEST(ApplyCli, StatsJsonLinesHoldTheDocumentedKeys) {
  const TempDir dir("apply_stats");
  const CliRun run =
      run_sepconv("apply " + quoted(sample("camera.png")) + " " + quoted(sample("coffee.png")) +
                  " -k sobel_x --out-dir " + quoted(dir.path()) + " --stats json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    for (const char* key : {"input", "output", "width", "height", "channels", "out_width",
                            "out_height", "kernel", "mode", "border", "ops", "time_ms"}) {
      EXPECT_TRUE(line.contains(key)) << key;
    }
    for (const char* key : {"per_pixel", "full_per_pixel", "separable_per_pixel", "total"}) {
      EXPECT_TRUE(line["ops"].contains(key)) << key;
    }
    for (const char* key : {"read", "filter", "write"}) EXPECT_TRUE(line["time_ms"].contains(key));
    EXPECT_EQ(line["kernel"]["rank"], 1);
    EXPECT_EQ(line["mode"], "separable");
    EXPECT_EQ(line["ops"]["full_per_pixel"]["mul"], 9);
    EXPECT_EQ(line["ops"]["per_pixel"]["mul"], 6);
    // Separable passes over every pixel: 3 + 3 multiplications, times pixels, times channels.
    const std::int64_t pixels =
        line["width"].get<std::int64_t>() * line["height"].get<std::int64_t>();
    EXPECT_EQ(line["ops"]["total"]["mul"], 6 * pixels * line["channels"].get<std::int64_t>());
  }
  // JSON lines come in completion order (docs/batches.md): two jobs may finish either way round.
  const bool camera_first = lines[0]["input"] == sample("camera.png");
  const auto& camera = lines[camera_first ? 0 : 1];
  const auto& coffee = lines[camera_first ? 1 : 0];
  EXPECT_EQ(camera["input"], sample("camera.png"));
  EXPECT_EQ(camera["width"], 512);
  EXPECT_EQ(coffee["input"], sample("coffee.png"));
  EXPECT_EQ(coffee["channels"], 3);  // 600x400 RGB
  EXPECT_EQ(coffee["ops"]["total"]["mul"], 6 * 600 * 400 * 3);
}

TEST(ApplyCli, ExecutedCountsSkipZeroTapsOnOneThread) {
  // camera.png is 512x512. sobel_x separated on one thread: each of the 512 source rows is filtered
  // horizontally once with [-1 0 1] as two taps (2 mul, 1 add a pixel), plus 2 scratch rows for the
  // top and for the bottom window (reflect101 reads rows 1, 0, 1: two distinct rows); every output
  // row is one vertical pass of [1 2 1] (3 mul, 2 add).
  const TempDir dir("apply_executed");
  const CliRun run =
      run_sepconv("apply " + quoted(sample("camera.png")) +
                  " -k sobel_x --threads 1 --stats json -o " + quoted(dir / "x.png"));
  ASSERT_EQ(run.status, 0) << run.err;
  const auto line = json_lines(run.out).at(0);
  const std::int64_t width = 512, rows = 512, horizontal_rows = 512 + 4;
  EXPECT_EQ(line["ops"]["executed"]["mul"], width * (2 * horizontal_rows + 3 * rows));
  EXPECT_EQ(line["ops"]["executed"]["add"], width * (1 * horizontal_rows + 2 * rows));
  EXPECT_EQ(line["ops"]["total"]["mul"], 6 * width * rows);  // the primer's dense count
}

TEST(ApplyCli, ExitCodes) {
  const TempDir dir("apply_exit");
  EXPECT_EQ(
      run_sepconv("apply " + quoted(sample("camera.png")) + " -k box3 -o " + quoted(dir / "a.png"))
          .status,
      0);
  const CliRun missing = run_sepconv("apply /no/such.png -k box3 -o " + quoted(dir / "b.png"));
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("/no/such.png: no such file"), std::string::npos) << missing.err;
  EXPECT_EQ(
      run_sepconv("apply " + quoted(sample("camera.png")) + " -k box3 --bogus -o x.png").status, 2);
  EXPECT_EQ(run_sepconv("apply " + quoted(sample("camera.png")) + " -k box3 --border nope -o x.png")
                .status,
            2);
  EXPECT_EQ(run_sepconv("apply " + quoted(sample("camera.png")) + " -k box3").status,
            2);  // no output
  EXPECT_EQ(run_sepconv("apply " + quoted(sample("camera.png")) + " -k no_such_kernel -o " +
                        quoted(dir / "c.png"))
                .status,
            1);
  EXPECT_FALSE(fs::exists(dir / "b.png"));
  EXPECT_FALSE(fs::exists(dir / "c.png"));
}

TEST(ApplyCli, BadInputDoesNotStopTheBatch) {
  const TempDir dir("apply_batch");
  fs::create_directories(dir / "in");
  fs::copy_file(sample("camera.png"), dir / "in/a.png");
  fs::copy_file(sample("brick.png"), dir / "in/c.png");
  std::ofstream(dir / "in/b.png") << "not a png";
  // Truncated: the first 2000 bytes of a real PNG.
  std::ifstream whole(sample("coffee.png"), std::ios::binary);
  std::string bytes(2000, '\0');
  whole.read(bytes.data(), 2000);
  std::ofstream(dir / "in/d.png", std::ios::binary) << bytes;

  const CliRun run = run_sepconv("apply " + quoted(dir / "in") + " -k sobel_y --out-dir " +
                                 quoted(dir / "out") + " --stats json --summary --jobs 2");
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(fs::exists(dir / "out/a.png"));
  EXPECT_TRUE(fs::exists(dir / "out/c.png"));
  EXPECT_FALSE(fs::exists(dir / "out/b.png"));
  EXPECT_FALSE(fs::exists(dir / "out/d.png"));
  EXPECT_TRUE(hidden_files(dir.path()).empty());
  // With --jobs 2 the failures are listed in the order they finished.
  const std::string b = dir / "in/b.png", d = dir / "in/d.png";
  EXPECT_TRUE(run.err.find("2 of 4 inputs failed: " + b + ", " + d) != std::string::npos ||
              run.err.find("2 of 4 inputs failed: " + d + ", " + b) != std::string::npos)
      << run.err;
  const auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 5u);  // four inputs and the summary, in completion order
  int errors = 0;
  for (size_t i = 0; i < 4; ++i) errors += lines[i].contains("error");
  EXPECT_EQ(errors, 2);
  const auto& summary = lines[4]["summary"];
  EXPECT_EQ(summary["inputs"], 4);
  EXPECT_EQ(summary["succeeded"], 2);
  EXPECT_EQ(summary["failed"], 2);
  EXPECT_EQ(summary["ops"]["mul"], 2 * 6 * 512 * 512);  // two 512x512 gray images, 6 mul a pixel
}

TEST(ApplyCli, RefusesToReplaceAnInput) {
  const TempDir dir("apply_self");
  fs::copy_file(sample("camera.png"), dir / "a.png");
  const auto before = fs::file_size(dir / "a.png");
  CliRun run =
      run_sepconv("apply " + quoted(dir / "a.png") + " -k box3 -o " + quoted(dir / "a.png"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("is an input file; pass --overwrite"), std::string::npos) << run.err;
  EXPECT_EQ(fs::file_size(dir / "a.png"), before);
  // --out-dir onto the input's own folder names the same file.
  run = run_sepconv("apply " + quoted(dir / "a.png") + " -k box3 --out-dir " + quoted(dir.path()));
  EXPECT_EQ(run.status, 1);
  run = run_sepconv("apply " + quoted(dir / "a.png") + " -k box3 -o " + quoted(dir / "a.png") +
                    " --overwrite");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(fs::file_size(dir / "a.png"), before);
  EXPECT_TRUE(hidden_files(dir.path()).empty());
}

}  // namespace
}  // namespace sepconv::testing
