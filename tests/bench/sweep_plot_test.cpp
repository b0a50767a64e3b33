// `sepconv bench --sweep|--sizes --plot`: the SVG is well-formed XML and its points are the
// numbers the same run printed as JSON, placed where its own axes put them. The check is a small
// Python program with its own XML parser and arithmetic (tests/bench/check_sweep_plot.py).

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "support/run_binary.hpp"

namespace sepconv {
namespace {

using testing::contains;
using testing::run_sepconv;
using testing::TempDir;

/// Runs the bench with `args` --json --plot, then the checker over the two outputs; returns what
/// the checker said (nothing when they agree) and its exit status.
std::string plot_problems(const std::string& args, const std::string& kind) {
  const TempDir dir("plot");
  const testing::Run bench =
      run_sepconv(args + " --runs 1 --threads 1 --json --plot '" + (dir / "sweep.svg") + "'");
  EXPECT_EQ(bench.status, 0) << bench.err;
  std::ofstream(dir / "sweep.jsonl") << bench.out;
  const std::string command = std::string("python3 '") + SEPCONV_SOURCE_DIR +
                              "/tests/bench/check_sweep_plot.py' '" + (dir / "sweep.svg") + "' '" +
                              (dir / "sweep.jsonl") + "' " + kind + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "cannot run python3";
  std::string said;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) said.append(buffer, n);
  const int status = pclose(pipe);
  return said + (status == 0 ? "" : "exit status " + std::to_string(status));
}

TEST(BenchPlot, KernelSizeSweepDrawsEveryNumberItReports) {
  EXPECT_EQ(plot_problems("bench --sweep --size 40x24", "sweep"), "");
}

TEST(BenchPlot, ImageSizeSweepDrawsEveryNumberItReports) {
  EXPECT_EQ(plot_problems("bench --sizes 16x16,64x32,128x96 --sizes-kernel gaussian:5", "sizes"),
            "");
}

TEST(BenchPlot, PlotWithoutASweepIsAUsageError) {
  const testing::Run run = run_sepconv("bench --size 16x16 --runs 1 --plot never.svg");
  EXPECT_EQ(run.status, 2);
  EXPECT_TRUE(contains(run.err, "--plot")) << run.err;
}

TEST(BenchPlot, AnUnwritablePlotIsOneErrorLine) {
  const testing::Run run =
      run_sepconv("bench --sizes 16x16 --runs 1 --plot /nonexistent-folder/sweep.svg");
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(contains(run.err, "sepconv: ")) << run.err;
  EXPECT_TRUE(contains(run.err, "/nonexistent-folder/sweep.svg")) << run.err;
}

}  // namespace
}  // namespace sepconv
