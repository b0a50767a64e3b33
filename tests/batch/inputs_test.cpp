// Batch inputs and the reporter: the output folder inside an input folder, input lists on
// standard input (lines or NUL-separated), the progress bar and -q.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "build_paths.hpp"
#include "support/batch_support.hpp"

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

/// The lines of `text`, in order.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

constexpr const char* kPipeProblem =
    "/pipe.png: is a named pipe (FIFO), not a file (folders and patterns take regular files only)";

/// A folder with two good images and every kind of entry a listing cannot take: a loop of
/// symbolic links, a link to nothing and a named pipe, all named like images, and a loop through
/// a link to a folder (sub/up -> ..) and a link to a folder named like an image, neither followed.
void make_hostile_folder(const TempDir& dir) {
  fs::create_directories(dir / "in/sub");
  write_gray(dir / "in/a.png");
  write_gray(dir / "in/sub/b.png");
  fs::create_symlink("loop.png", dir / "in/loop.png");
  fs::create_symlink("missing.png", dir / "in/dangling.png");
  ASSERT_EQ(mkfifo((dir / "in/pipe.png").c_str(), 0644), 0);
  fs::create_directory_symlink("..", dir / "in/sub/up");
  fs::create_directory_symlink("sub", dir / "in/folder.png");
}

TEST(BatchInputs, EntriesAFolderCannotGiveFailAloneAndTheRestIsWritten) {
  const TempDir dir("batch_hostile_folder");
  make_hostile_folder(dir);
  const std::string in = dir / "in";
  // `timeout`: a walk that followed sub/up would never end.
  const CliRun run = run_sepconv("apply " + quoted(in) + " -r -k box3 --out-dir " +
                                     quoted(dir / "out") + " --summary --stats json",
                                 "timeout 60 ");
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_EQ(lines_of(run.err),
            (std::vector<std::string>{
                "sepconv: " + in + "/dangling.png: is a symbolic link to a missing file",
                "sepconv: " + in + "/loop.png: is a loop of symbolic links",
                "sepconv: " + in + kPipeProblem,
                "sepconv: 3 of 5 inputs failed: " + in + "/dangling.png, " + in + "/loop.png, " +
                    in + "/pipe.png"}))
      << run.err;
  const std::vector<nlohmann::json> lines = json_lines(run.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["summary"]["succeeded"], 2) << run.out;
  EXPECT_EQ(lines.back()["summary"]["failed"], 3) << run.out;
  EXPECT_EQ(inputs_of(run.out),
            (std::set<std::string>{in + "/a.png", in + "/sub/b.png", in + "/dangling.png",
                                   in + "/loop.png", in + "/pipe.png"}));
  EXPECT_FALSE(cv::imread(dir / "out/a.png").empty());
  EXPECT_FALSE(cv::imread(dir / "out/sub/b.png").empty());
  EXPECT_FALSE(fs::exists(dir / "out/sub/up"));
  EXPECT_FALSE(fs::exists(dir / "out/folder.png"));
}

TEST(BatchInputs, ANamedPipeMatchedByAPatternFailsAlone) {
  const TempDir dir("batch_pattern_pipe");
  make_hostile_folder(dir);
  const std::string in = dir / "in";
  const CliRun run = run_sepconv("apply " + quoted(in + "/p*.png") + " " + quoted(in + "/a.png") +
                                     " -k box3 --out-dir " + quoted(dir / "out"),
                                 "timeout 60 ");
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_EQ(lines_of(run.err),
            (std::vector<std::string>{"sepconv: " + in + kPipeProblem,
                                      "sepconv: 1 of 2 inputs failed: " + in + "/pipe.png"}));
  EXPECT_FALSE(cv::imread(dir / "out/a.png").empty());
}

TEST(BatchInputs, AFolderThatCannotBeListedFailsAloneInARecursiveWalk) {
  // Root reads any folder: the run drops to the unprivileged user "nobody" (65534) then.
  const bool as_root = geteuid() == 0;
  if (as_root && std::system("setpriv --version >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "running as root without setpriv: a closed folder cannot be made";
  }
  const TempDir dir("batch_closed_folder");
  fs::create_directories(dir / "in/closed");
  fs::create_directories(dir / "out");
  write_gray(dir / "in/a.png");
  write_gray(dir / "in/closed/b.png");
  fs::permissions(dir.path(), fs::perms::all);
  fs::permissions(dir / "out", fs::perms::all);
  fs::permissions(dir / "in/closed", fs::perms::none);
  const CliRun run =
      run_sepconv("apply " + quoted(dir / "in") + " -r -k box3 --out-dir " + quoted(dir / "out"),
                  as_root ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "");
  fs::permissions(dir / "in/closed", fs::perms::owner_all);  // so that TempDir can remove it
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_TRUE(contains(
      run.err, "sepconv: " + (dir / "in/closed") + ": cannot list the folder: Permission denied\n"))
      << run.err;
  EXPECT_FALSE(cv::imread(dir / "out/a.png").empty());
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
