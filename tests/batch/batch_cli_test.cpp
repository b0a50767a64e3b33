// The batch layer end to end: shards, --jobs, --skip-existing, @lists, globs, --recursive,
// standard input and output, clashing outputs, and Ctrl-C.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "build_paths.hpp"
#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

/// `count` small random gray images in `folder`: img00.png, img01.png ...
void make_images(const fs::path& folder, int count, cv::Size size = {48, 32}) {
  fs::create_directories(folder);
  cv::RNG rng(count);
  for (int i = 0; i < count; ++i) {
    cv::Mat1b image(size);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    cv::imwrite((folder / cv::format("img%02d.png", i)).string(), image);
  }
}

std::string read_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

std::set<std::string> inputs_of(const std::string& out) {
  std::set<std::string> inputs;
  for (const auto& line : json_lines(out)) inputs.insert(line["input"].get<std::string>());
  return inputs;
}

TEST(BatchCli, ShardsAreDisjointAndComplete) {
  const TempDir dir("batch_shards");
  make_images(dir / "in", 20);
  std::set<std::string> all;
  size_t total = 0;
  for (int shard = 0; shard < 3; ++shard) {
    const CliRun run =
        run_sepconv("apply " + quoted(dir / "in") + " -k box3 --out-dir " + quoted(dir / "out") +
                    " --stats json --shard " + std::to_string(shard) + "/3");
    ASSERT_EQ(run.status, 0) << run.err;
    const std::set<std::string> mine = inputs_of(run.out);
    total += mine.size();
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(total, 20u);       // no input in two shards
  EXPECT_EQ(all.size(), 20u);  // every input in one
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "out"), fs::directory_iterator()), 20);
}

TEST(BatchCli, TwoJobsWriteWhatOneJobWrites) {
  const TempDir dir("batch_jobs");
  make_images(dir / "in", 12, {64, 40});
  for (const char* jobs : {"1", "2"}) {
    const CliRun run = run_sepconv("edges " + quoted(dir / "in") + " --out-dir " +
                                   quoted(dir / (std::string("out") + jobs)) + " --jobs " + jobs);
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(run.err.empty()) << run.err;  // not a terminal: nothing but errors
  }
  for (int i = 0; i < 12; ++i) {
    const std::string name = cv::format("img%02d.png", i);
    EXPECT_EQ(read_bytes(dir / ("out1/" + name)), read_bytes(dir / ("out2/" + name))) << name;
    EXPECT_FALSE(read_bytes(dir / ("out1/" + name)).empty());
  }
}

TEST(BatchCli, SkipExistingResumes) {
  const TempDir dir("batch_skip");
  make_images(dir / "in", 4);
  fs::create_directories(dir / "out");
  fs::copy_file(dir / "in/img01.png", dir / "out/img01.png");  // as if a stopped batch wrote it
  const CliRun run = run_sepconv("apply " + quoted(dir / "in") + " -k box3 --out-dir " +
                                 quoted(dir / "out") + " --skip-existing --stats json --summary");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 5u);
  int skipped = 0;
  for (size_t i = 0; i < 4; ++i) skipped += lines[i].contains("skipped");
  EXPECT_EQ(skipped, 1);
  EXPECT_EQ(lines[4]["summary"]["skipped"], 1);
  EXPECT_EQ(lines[4]["summary"]["succeeded"], 3);
  EXPECT_EQ(read_bytes(dir / "out/img01.png"), read_bytes(dir / "in/img01.png"));  // untouched
}

TEST(BatchCli, ListsGlobsAndRecursiveFolders) {
  const TempDir dir("batch_inputs");
  make_images(dir / "in", 3);
  make_images(dir / "in/sub", 2);
  std::ofstream(dir / "list.txt") << dir / "in/img00.png"
                                  << "\n\n"
                                  << dir / "in/sub/img01.png"
                                  << "\r\n";
  CliRun run = run_sepconv("apply @" + quoted(dir / "list.txt") + " -k box3 --out-dir " +
                           quoted(dir / "a") + " --stats json");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(inputs_of(run.out),
            (std::set<std::string>{dir / "in/img00.png", dir / "in/sub/img01.png"}));

  run = run_sepconv("apply " + quoted(dir / "in/img0[12].png") + " -k box3 --out-dir " +
                    quoted(dir / "b") + " --stats json");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(inputs_of(run.out),
            (std::set<std::string>{dir / "in/img01.png", dir / "in/img02.png"}));

  run = run_sepconv("apply " + quoted(dir / "in") + " -r -k box3 --out-dir " + quoted(dir / "c") +
                    " --suffix _box --format tif --stats json");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(inputs_of(run.out).size(), 5u);
  EXPECT_TRUE(fs::exists(dir / "c/sub/img01_box.tif"));
  EXPECT_TRUE(fs::exists(dir / "c/img02_box.tif"));

  run = run_sepconv("apply " + quoted(dir / "nothing*.png") + " -k box3 --out-dir " +
                    quoted(dir / "d"));
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("no file matches this pattern"), std::string::npos) << run.err;
}

TEST(BatchCli, StandardInputToStandardOutput) {
  const TempDir dir("batch_stdin");
  CliRun run = run_sepconv("apply " + quoted(sample("camera.png")) + " -k sobel_x -o " +
                           quoted(dir / "file.png"));
  ASSERT_EQ(run.status, 0) << run.err;
  run = run_sepconv("apply - -k sobel_x -o - --format png",
                    "cat " + quoted(sample("camera.png")) + " | ");
  ASSERT_EQ(run.status, 0) << run.err;
  const std::vector<uchar> bytes(run.out.begin(), run.out.end());
  const cv::Mat piped = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(piped.empty());
  EXPECT_EQ(cv::norm(piped, cv::imread(dir / "file.png", cv::IMREAD_UNCHANGED), cv::NORM_INF), 0);
  EXPECT_EQ(run_sepconv("apply - -k sobel_x -o -", "true | ").status, 2);  // no --format
  EXPECT_EQ(run_sepconv("apply - -k sobel_x -o x.png", "echo nonsense | ").status, 1);
}

TEST(BatchCli, TwoInputsForOneOutputFailTheSecond) {
  const TempDir dir("batch_clash");
  make_images(dir / "x", 1);
  make_images(dir / "y", 1);  // the same name, img00.png
  const CliRun run =
      run_sepconv("apply " + quoted(dir / "x/img00.png") + " " + quoted(dir / "y/img00.png") +
                  " -k box3 --out-dir " + quoted(dir / "out") + " --jobs 2");
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find(dir / "y/img00.png" + ": its output"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("is also " + dir / "x/img00.png" + "'s output"), std::string::npos)
      << run.err;
}

TEST(BatchCli, TwoJobsListFailuresInInputOrder) {
  const TempDir dir("batch_failure_order");
  const std::string slow = dir / "slow.png";
  ASSERT_EQ(mkfifo(slow.c_str(), 0600), 0);
  // The first input is a FIFO that gets its (bad) bytes a second later; the second input is
  // missing and fails at once. The second job's failure comes first; the list must not.
  const std::string writer =
      "(sleep 1; timeout 10 sh -c 'printf notanimage > " + quoted(slow) + "') >/dev/null 2>&1 & ";
  const CliRun run = run_sepconv("apply " + quoted(slow) + " " + quoted(dir / "missing.png") +
                                     " -k box3 --jobs 2 --out-dir " + quoted(dir / "out"),
                                 writer);
  EXPECT_EQ(run.status, 1) << run.err;
  const size_t missing_line = run.err.find("missing.png: no such file");
  const size_t slow_line = run.err.find("slow.png:");
  ASSERT_NE(missing_line, std::string::npos) << run.err;
  ASSERT_NE(slow_line, std::string::npos) << run.err;
  EXPECT_LT(missing_line, slow_line) << "the missing file should fail first: " << run.err;
  EXPECT_NE(run.err.find("2 of 2 inputs failed: " + slow + ", " + std::string(dir / "missing.png")),
            std::string::npos)
      << run.err;
}

TEST(BatchCli, InterruptStopsCleanly) {
  const TempDir dir("batch_interrupt");
  // One large image under 100 names (links): seconds of work for a full 41x41 kernel on one job,
  // so the batch is still running when SIGINT arrives after the first output.
  make_images(dir / "src", 1, {1500, 1000});
  fs::create_directories(dir / "in");
  for (int i = 0; i < 100; ++i) {
    fs::create_symlink(dir / "src/img00.png", dir / cv::format("in/link%03d.png", i));
  }
  const std::string command =
      "'" + std::string(SEPCONV_BINARY) + "' apply " + quoted(dir / "in") +
      " -k log:41:6 --mode full --jobs 1 --out-dir " + quoted(dir / "out") +
      " 2>/dev/null & pid=$!; "
      // SIGINT once the first output is in place (not after a fixed sleep, which a loaded machine
      // outran); `ls` lists no hidden temporaries. At most 60 s.
      "i=0; while [ -z \"$(ls " +
      quoted(dir / "out") +
      " 2>/dev/null)\" ] && [ $i -lt 1200 ]; do "
      "sleep 0.05; i=$((i+1)); done; kill -INT $pid; wait $pid; echo $?";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[64] = {};
  const size_t n = fread(buffer, 1, sizeof buffer - 1, pipe);
  pclose(pipe);
  EXPECT_EQ(std::string(buffer, n), "130\n");
  EXPECT_TRUE(hidden_files(dir.path()).empty());
  size_t written = 0;
  if (fs::exists(dir / "out")) {
    for (const auto& entry : fs::directory_iterator(dir / "out")) {
      ++written;
      EXPECT_FALSE(cv::imread(entry.path().string()).empty()) << entry.path();  // complete
    }
  }
  EXPECT_LT(written, 100u);
}

}  // namespace
}  // namespace sepconv::testing
