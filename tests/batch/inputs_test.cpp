// Batch inputs and the reporter: the output folder inside an input folder, input lists on
// standard input (lines or NUL-separated), the progress bar and -q.

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "build_paths.hpp"
#include "cli/batch_support.hpp"

namespace sepconv::testing {
namespace {

void write_gray(const std::string& path) {
  cv::Mat1b image(16, 24);
  cv::randu(image, 0, 256);
  ASSERT_TRUE(cv::imwrite(path, image)) << path;
}

std::set<std::string> inputs_of(const std::string& out) {
  std::set<std::string> inputs;
  for (const auto& line : json_lines(out)) {
    if (line.contains("input")) inputs.insert(line["input"].get<std::string>());
  }
  return inputs;
}

TEST(BatchInputs, TheOutputFolderInsideAnInputFolderIsSkipped) {
  const TempDir dir("batch_outdir_inside");
  fs::create_directories(dir / "p2/sub");
  write_gray(dir / "p2/a.png");
  write_gray(dir / "p2/sub/b.png");
  const std::string edges =
      "edges " + quoted(dir / "p2") + " -r --out-dir " + quoted(dir / "p2/edges") + " --stats json";
  for (int run_number = 0; run_number < 2; ++run_number) {  // the second run sees the outputs
    const CliRun run = run_sepconv(edges);
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(inputs_of(run.out), (std::set<std::string>{dir / "p2/a.png", dir / "p2/sub/b.png"}));
  }
  EXPECT_FALSE(fs::exists(dir / "p2/edges/edges"));
  // A file inside the output folder named on its own is still an input.
  const CliRun named = run_sepconv("edges " + quoted(dir / "p2/edges/a.png") + " --out-dir " +
                                   quoted(dir / "p2/edges/again") + " --stats json");
  EXPECT_EQ(named.status, 0) << named.err;
  EXPECT_EQ(inputs_of(named.out), std::set<std::string>{dir / "p2/edges/a.png"});
}

TEST(BatchInputs, ListOnStandardInput) {
  const TempDir dir("batch_stdin_list");
  write_gray(dir / "a.png");
  write_gray(dir / "line\nbreak.png");  // only a NUL-separated list can name it
  CliRun run = run_sepconv(
      "apply @- -k box3 --out-dir " + quoted(dir / "o1") + " --stats json",
      "printf '%s\\n\\n%s\\r\\n' " + quoted(dir / "a.png") + " " + quoted(dir / "a.png") + " | ");
  // The same file twice: the second claims the first one's output.
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_EQ(json_lines(run.out).size(), 2u) << run.out;
  run = run_sepconv("apply @- -0 -k box3 --out-dir " + quoted(dir / "o2") + " --stats json",
                    "printf '%s\\0%s\\0' " + quoted(dir / "a.png") + " " +
                        quoted(dir / "line\nbreak.png") + " | ");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(inputs_of(run.out), (std::set<std::string>{dir / "a.png", dir / "line\nbreak.png"}));
  EXPECT_FALSE(cv::imread(dir / "o2/line\nbreak.png").empty());
}

TEST(BatchInputs, ProgressBarOnRequestAndQuiet) {
  const TempDir dir("batch_progress");
  write_gray(dir / "first.png");
  write_gray(dir / "second.png");
  const std::string apply = "apply " + quoted(dir / "first.png") + " " +
                            quoted(dir / "second.png") + " -k box3 --out-dir " +
                            quoted(dir / "out") + " --overwrite";
  // stderr is no terminal here: auto draws nothing, always draws from 0/2 on with the file name.
  EXPECT_EQ(run_sepconv(apply).err, "");
  const CliRun always = run_sepconv(apply + " --progress always");
  EXPECT_EQ(always.status, 0);
  EXPECT_EQ(always.err.rfind("\r\x1b[K[", 0), 0u) << always.err;
  EXPECT_TRUE(contains(always.err, "] 0/2")) << always.err;
  EXPECT_TRUE(contains(always.err, "] 2/2")) << always.err;
  EXPECT_TRUE(contains(always.err, "first.png")) << always.err;
  EXPECT_EQ(run_sepconv(apply + " --progress never").err, "");
  EXPECT_EQ(run_sepconv(apply + " --stats none").err, "");
  // -q: one input prints no report; an error still does.
  const CliRun quiet =
      run_sepconv("apply " + quoted(dir / "first.png") + " -k box3 -q -o " + quoted(dir / "q.png"));
  EXPECT_EQ(quiet.status, 0);
  EXPECT_EQ(quiet.err, "");
  // One -q for the whole program: before the command it quiets the batch just the same.
  const CliRun quiet_first = run_sepconv("-q apply " + quoted(dir / "first.png") + " -k box3 -o " +
                                         quoted(dir / "q2.png"));
  EXPECT_EQ(quiet_first.status, 0);
  EXPECT_EQ(quiet_first.err, "");
  const CliRun loud =
      run_sepconv("apply " + quoted(dir / "first.png") + " -k box3 -o " + quoted(dir / "l.png"));
  EXPECT_NE(loud.err, "");  // the report that -q removed
  const CliRun failed =
      run_sepconv("apply " + quoted(dir / "none.png") + " -k box3 -q -o " + quoted(dir / "n.png"));
  EXPECT_EQ(failed.status, 1);
  EXPECT_TRUE(contains(failed.err, "none.png: no such file")) << failed.err;
}

}  // namespace
}  // namespace sepconv::testing
