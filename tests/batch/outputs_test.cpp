// Batch outputs under attack: names that try to leave --out-dir, the longest legal names, an output
// folder that cannot be made, file names that are not UTF-8, statistics that cannot be written,
// a closed standard output, and fsync before success.

#include "batch/outputs.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "build_paths.hpp"
#include "support/batch_support.hpp"
#include "support/sanitizers.hpp"

namespace sepconv::testing {
namespace {

/// Every regular file below `folder`, relative to it.
std::set<std::string> files_below(const fs::path& folder) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) files.insert(entry.path().lexically_relative(folder).string());
  }
  return files;
}

size_t line_count(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

void write_gray(const std::string& path, cv::Size size = {24, 16}) {
  cv::Mat1b image(size);
  cv::randu(image, 0, 256);
  ASSERT_TRUE(cv::imwrite(path, image)) << path;
}

/// Runs sepconv through sh with its standard output a pipe whose reading end is already closed,
/// as after `| head -1` has exited. Returns the exit status and stderr.
CliRun run_into_closed_pipe(const std::string& args) {
  const std::string err =
      (fs::temp_directory_path() / ("sepconv-closed-pipe-" + std::to_string(getpid()))).string();
  int fds[2];
  CliRun run;
  if (pipe(fds) != 0) return run;
  close(fds[0]);
  const std::string command = std::string("cd '") + SEPCONV_SOURCE_DIR + "' && exec '" +
                              SEPCONV_BINARY + "' " + args + " 2>'" + err + "'";
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    signal(SIGPIPE, SIG_DFL);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  int raw = 0;
  waitpid(pid, &raw, 0);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.err = read_text(err);
  fs::remove(err);
  return run;
}

TEST(BatchOutputs, SuffixAndFormatAreNamesNotPaths) {
  const TempDir dir("batch_escape");
  write_gray(dir / "a.png");
  const std::string out = dir / "x/y/z/out";
  for (const auto& [option, value] :
       std::vector<std::pair<std::string, std::string>>{{"--suffix", "/../../../escaped"},
                                                        {"--suffix", "_..x"},
                                                        {"--suffix", "a/b"},
                                                        {"--format", "/../../escape.png"},
                                                        {"--format", "../png"},
                                                        {"--format", "."}}) {
    const CliRun run = run_sepconv("apply " + quoted(dir / "a.png") + " -k box3 --out-dir " +
                                   quoted(out) + " " + option + " " + quoted(value));
    EXPECT_EQ(run.status, 2) << value << run.err;
    EXPECT_EQ(line_count(run.err), 1u) << run.err;
    EXPECT_EQ(run.err.rfind("sepconv: " + option + ": '" + value + "'", 0), 0u) << run.err;
    EXPECT_EQ(files_below(dir.path()), std::set<std::string>{"a.png"}) << value;
    EXPECT_FALSE(fs::exists(dir / "x")) << value << ": a folder was created";
  }
}

TEST(BatchOutputs, AnInputNamedDotDotCannotLeaveTheOutputFolder) {
  const TempDir dir("batch_dotdot");
  fs::create_directories(dir / "out/deep");
  // "missing/.." is no folder (missing/ does not exist), so it is taken as a file named "..".
  const CliRun run = run_sepconv("apply " + quoted(dir / "missing/..") + " -k box3 --out-dir " +
                                 quoted(dir / "out/deep"));
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_EQ(line_count(run.err), 1u) << run.err;
  EXPECT_TRUE(contains(run.err, "would be outside --out-dir")) << run.err;
  EXPECT_TRUE(files_below(dir.path()).empty());
}

TEST(BatchOutputs, OutputsStayInsideTheOutputFolder) {
  using sepconv::batch::is_inside;
  EXPECT_TRUE(is_inside("out", "out/a.png"));
  EXPECT_TRUE(is_inside("out/", "out/sub/a.png"));
  EXPECT_TRUE(is_inside("out", "out/sub/../a.png"));
  EXPECT_TRUE(is_inside(".", "a.png"));
  EXPECT_TRUE(is_inside("/data/out", "/data/out/x/y.png"));
  EXPECT_TRUE(is_inside("../out", "../out/a.png"));
  EXPECT_FALSE(is_inside("out", "out"));
  EXPECT_FALSE(is_inside("out", "out/.."));
  EXPECT_FALSE(is_inside("out", "out/../a.png"));
  EXPECT_FALSE(is_inside("out", "outer/a.png"));
  EXPECT_FALSE(is_inside("out", "/out/a.png"));
  EXPECT_FALSE(is_inside(".", "../a.png"));
  EXPECT_FALSE(is_inside(".", "/a.png"));
  EXPECT_FALSE(is_inside("/data/out", "/data/out/../../etc/passwd"));
}

TEST(BatchOutputs, FormatWithOrWithoutTheDot) {
  const TempDir dir("batch_format");
  write_gray(dir / "a.png");
  for (const std::string format : {"jpg", ".jpg"}) {
    const CliRun run =
        run_sepconv("apply " + quoted(dir / "a.png") + " -k box3 --stats none " + "--out-dir " +
                    quoted(dir / ("out" + format)) + " --format " + format);
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(files_below(dir / ("out" + format)), std::set<std::string>{"a.jpg"}) << format;
  }
}

TEST(BatchOutputs, OutputNameAndAnotherFormatContradict) {
  const TempDir dir("batch_contradiction");
  write_gray(dir / "a.png");
  const std::string apply = "apply " + quoted(dir / "a.png") + " -k box3 --stats none -o ";
  const CliRun run = run_sepconv(apply + quoted(dir / "x.png") + " --format jpg");
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(line_count(run.err), 1u) << run.err;
  EXPECT_EQ(run.err.rfind("sepconv: --format: -o " + dir / "x.png", 0), 0u) << run.err;
  EXPECT_FALSE(fs::exists(dir / "x.png"));
  // The same format twice is no contradiction.
  EXPECT_EQ(run_sepconv(apply + quoted(dir / "y.PNG") + " --format .png").status, 0);
  EXPECT_FALSE(cv::imread(dir / "y.PNG").empty());
}

TEST(BatchOutputs, LongestLegalNamesAreWritten) {
  const TempDir dir("batch_long");
  for (const size_t length : {239, 247, 255}) {
    const std::string name = std::string(length - 4, 'n') + ".png";
    write_gray(dir / "in.png");
    const CliRun run = run_sepconv("apply " + quoted(dir / "in.png") + " -k box3 --stats none -o " +
                                   quoted(dir / name));
    EXPECT_EQ(run.status, 0) << length << ": " << run.err;
    EXPECT_FALSE(cv::imread(dir / name).empty()) << length;
    EXPECT_TRUE(hidden_files(dir.path()).empty());
  }
}

TEST(BatchOutputs, AnUnwritableSubfolderFailsOnlyItsInputs) {
  const TempDir dir("batch_subfolder");
  fs::create_directories(dir / "in/blocked");
  fs::create_directories(dir / "in/fine");
  write_gray(dir / "in/a.png");
  write_gray(dir / "in/blocked/b.png");
  write_gray(dir / "in/fine/c.png");
  fs::create_directories(dir / "out");
  std::ofstream(dir / "out/blocked") << "a file where the folder should be";
  const CliRun run = run_sepconv("apply " + quoted(dir / "in") + " -r -k box3 --out-dir " +
                                 quoted(dir / "out") + " --stats json --summary --jobs 2");
  EXPECT_EQ(run.status, 1);
  const auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 4u) << run.out;
  size_t errors = 0;
  for (size_t i = 0; i < 3; ++i) {
    if (lines[i].contains("error")) {
      ++errors;
      EXPECT_EQ(lines[i]["input"], dir / "in/blocked/b.png");
    }
  }
  EXPECT_EQ(errors, 1u);
  EXPECT_EQ(lines[3]["summary"]["succeeded"], 2);
  EXPECT_EQ(lines[3]["summary"]["failed"], 1);
  EXPECT_FALSE(cv::imread(dir / "out/a.png").empty());
  EXPECT_FALSE(cv::imread(dir / "out/fine/c.png").empty());
  // The failure, then the batch's list of failed inputs.
  EXPECT_EQ(line_count(run.err), 2u) << run.err;
  EXPECT_TRUE(contains(run.err, "sepconv: " + dir / "in/blocked/b.png" +
                                    ": cannot create the output folder " + dir / "out/blocked"))
      << run.err;
  EXPECT_EQ(read_text(dir / "out/blocked"), "a file where the folder should be");
}

TEST(BatchOutputs, FileNamesThatAreNotUtf8) {
  const TempDir dir("batch_utf8");
  fs::create_directories(dir / "in");
  const std::string bad = "bad\xff\xfe name.png";  // Latin-1 bytes, as from an old archive
  write_gray(dir / ("in/" + bad));
  write_gray(dir / "in/good.png");
  for (const char* jobs : {"1", "2"}) {
    const std::string out = dir / (std::string("out") + jobs);
    const CliRun run =
        run_sepconv("apply " + quoted(dir / "in") + " -k box3 --stats json --summary" + " --jobs " +
                    jobs + " --out-dir " + quoted(out));
    EXPECT_EQ(run.status, 0) << jobs << ": " << run.err;
    EXPECT_EQ(run.err, "");
    const auto lines = json_lines(run.out);  // every line parses
    ASSERT_EQ(lines.size(), 3u) << run.out;
    std::set<std::string> inputs;
    for (size_t i = 0; i < 2; ++i) inputs.insert(lines[i]["input"].get<std::string>());
    // Invalid bytes become U+FFFD (EF BF BD in UTF-8), one each.
    EXPECT_EQ(inputs, (std::set<std::string>{dir / "in/bad\xef\xbf\xbd\xef\xbf\xbd name.png",
                                             dir / "in/good.png"}));
    EXPECT_EQ(lines[2]["summary"]["succeeded"], 2);
    EXPECT_FALSE(cv::imread(out + "/" + bad).empty()) << jobs;  // the file keeps its own bytes
  }
  // One input alone: written and reported as written.
  const CliRun one = run_sepconv("apply " + quoted(dir / ("in/" + bad)) +
                                 " -k box3 --stats json -o " + quoted(dir / ("single " + bad)));
  EXPECT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(json_lines(one.out).size(), 1u);
  EXPECT_FALSE(json_lines(one.out)[0].contains("error"));
}

TEST(BatchOutputs, StatisticsThatCannotBeWrittenAreAnError) {
  const TempDir dir("batch_full");
  write_gray(dir / "a.png");
  write_gray(dir / "b.png");
  const CliRun run =
      run_sepconv("apply " + quoted(dir / "a.png") + " " + quoted(dir / "b.png") +
                  " -k box3 --stats json --out-dir " + quoted(dir / "out") + " >/dev/full");
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.err,
            "sepconv: standard output: cannot write the statistics: No space left on device\n");
  EXPECT_EQ(files_below(dir / "out"), (std::set<std::string>{"a.png", "b.png"}));
}

TEST(BatchOutputs, ClosedStandardOutputStopsCleanly) {
  const TempDir dir("batch_pipe");
  for (int i = 0; i < 3; ++i) write_gray(dir / ("in" + std::to_string(i) + ".png"));
  const CliRun run = run_into_closed_pipe(
      "apply " + quoted(dir / "in0.png") + " " + quoted(dir / "in1.png") + " " +
      quoted(dir / "in2.png") + " -k box3 --stats json --jobs 1 --out-dir " + quoted(dir / "out"));
  EXPECT_EQ(run.status, 141);  // documented: 128 + SIGPIPE, as a shell reports it
  EXPECT_EQ(run.err,
            "sepconv: standard output was closed (broken pipe): 2 of 3 inputs not started\n");
  EXPECT_EQ(files_below(dir / "out"), std::set<std::string>{"in0.png"});  // complete, no temporary
  EXPECT_FALSE(cv::imread(dir / "out/in0.png").empty());

  const CliRun image =
      run_into_closed_pipe("apply " + quoted(dir / "in0.png") + " -k box3 -o - --format png");
  EXPECT_EQ(image.status, 141);
  EXPECT_EQ(image.err, "sepconv: -o -: cannot write to standard output: Broken pipe\n");
}

/// The system calls a run makes, from strace; empty when strace is missing or not allowed.
std::string traced_calls(const TempDir& dir, const std::string& args) {
  if (std::system("strace -o /dev/null true >/dev/null 2>&1") != 0) return "";
  const std::string log = dir / "strace.log";
  const CliRun run = run_sepconv(
      args,
      // LeakSanitizer cannot run under ptrace; the sanitized build checks leaks everywhere else.
      std::string(kAddressSanitizer ? "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" " : "") +
          "strace -f -e trace=fsync,rename,renameat,renameat2 -o " + quoted(log) + " ");
  EXPECT_EQ(run.status, 0) << run.err;
  const std::string calls = read_text(log);
  fs::remove(log);
  return calls;
}

TEST(BatchOutputs, OutputsAreSyncedBeforeTheyAreRenamedUnlessNoSync) {
  const TempDir dir("batch_sync");
  write_gray(dir / "a.png");
  const std::string apply = "apply " + quoted(dir / "a.png") + " -k box3 --stats none -o ";
  const std::string synced = traced_calls(dir, apply + quoted(dir / "s.png"));
  if (synced.empty()) GTEST_SKIP() << "strace is not available";
  const size_t rename = synced.find("rename");
  ASSERT_NE(rename, std::string::npos) << synced;
  const size_t first_sync = synced.find("fsync(");
  EXPECT_LT(first_sync, rename) << synced;                                // the file
  EXPECT_NE(synced.find("fsync(", rename), std::string::npos) << synced;  // the folder
  const std::string unsynced = traced_calls(dir, apply + quoted(dir / "u.png") + " --no-sync");
  EXPECT_NE(unsynced.find("rename"), std::string::npos) << unsynced;
  EXPECT_EQ(unsynced.find("fsync("), std::string::npos) << unsynced;
  EXPECT_EQ(read_text(dir / "s.png"), read_text(dir / "u.png"));
}

}  // namespace
}  // namespace sepconv::testing
