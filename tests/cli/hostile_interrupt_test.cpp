// Interrupting a batch: SIGINT or SIGTERM after the first output appears leaves no temporary file,
// and every output present is a complete image.

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "build_paths.hpp"
#include "support/run_binary.hpp"

extern char** environ;

namespace sepconv {
namespace {
namespace fs = std::filesystem;

size_t count_outputs(const fs::path& folder) {
  std::error_code error;
  size_t n = 0;
  for (auto it = fs::directory_iterator(folder, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    if (it->path().filename().string()[0] != '.') ++n;
  }
  return n;
}

/// Runs a 40-input batch with --jobs 1, sends `signal` once an output exists, and returns the
/// exit status (-1 if killed by a signal).
int interrupted_batch(const testing::TempDir& dir, int signal) {
  cv::Mat image(384, 384, CV_8U);
  cv::randu(image, 0, 255);
  std::vector<std::string> args = {SEPCONV_BINARY, "apply",     "-k",      "gaussian:25",
                                   "--mode",       "full",      "--jobs",  "1",
                                   "--out-dir",    dir / "out", "--stats", "none"};
  for (int i = 0; i < 40; ++i) {
    const std::string input = dir / ("in" + std::to_string(i) + ".png");
    cv::imwrite(input, image);
    args.push_back(input);
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, SEPCONV_BINARY, nullptr, nullptr, argv.data(), environ) != 0) return -2;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (count_outputs(dir.path() / "out") == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, signal);
  int raw = 0;
  waitpid(pid, &raw, 0);
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

void expect_clean_outputs(const fs::path& folder) {
  size_t complete = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find(".sepconv-"), std::string::npos) << "temporary left: " << name;
    const cv::Mat out = cv::imread(entry.path().string(), cv::IMREAD_UNCHANGED);
    EXPECT_EQ(out.size(), cv::Size(384, 384)) << name << " is not a complete image";
    ++complete;
  }
  EXPECT_GE(complete, 1u);
  EXPECT_LT(complete, 40u) << "the batch was not interrupted";
}

TEST(HostileInterrupt, SigintLeavesOnlyCompleteOutputs) {
  testing::TempDir dir;
  EXPECT_EQ(interrupted_batch(dir, SIGINT), 130);
  expect_clean_outputs(dir.path() / "out");
}

TEST(HostileInterrupt, SigtermLeavesOnlyCompleteOutputs) {
  testing::TempDir dir;
  EXPECT_EQ(interrupted_batch(dir, SIGTERM), 143);
  expect_clean_outputs(dir.path() / "out");
}

}  // namespace
}  // namespace sepconv
