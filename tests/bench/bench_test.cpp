// `sepconv bench`: the SIMD target it is told to use is the one the passes run on and the one its
// JSON reports, and every case it times still matches OpenCV on that target.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/passes.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

TEST(SimdTarget, EveryAvailableNameSelectsThatTarget) {
  const std::vector<std::string> names = available_simd_targets();
  ASSERT_GE(names.size(), 2u) << "expected the best target and the portable one";
  EXPECT_EQ(names.back(), "scalar");
  for (const std::string& name : names) {
    ASSERT_TRUE(use_simd_target(name)) << name;
    const std::string running = lower(simd_target_name());
    if (name == "scalar") {
      EXPECT_TRUE(running == "emu128" || running == "scalar") << running;
    } else {
      EXPECT_EQ(running, name);
    }
  }
  force_simd_target(0);
}

TEST(SimdTarget, AnUnknownOrMissingTargetChangesNothing) {
  force_simd_target(0);
  const std::string best = simd_target_name();
  EXPECT_FALSE(use_simd_target("neon"));
  EXPECT_EQ(simd_target_name(), best);
}

TEST(BenchCommand, JsonNamesTheTargetItRanOnAndEveryCaseMatches) {
  const std::vector<std::string> names = available_simd_targets();
  const std::string target = names.size() > 1 ? names[1] : names[0];  // not the default one
  const testing::Run run =
      testing::run_sepconv("bench --size 97x61 --runs 1 --threads 1 --json --simd " + target);
  ASSERT_EQ(run.status, 0) << run.err;
  std::istringstream lines(run.out);
  std::string line;
  int cases = 0;
  while (std::getline(lines, line)) {
    const nlohmann::json result = nlohmann::json::parse(line);
    const std::string running = lower(result.at("simd_target").get<std::string>());
    EXPECT_TRUE(running == target || (target == "scalar" && running == "emu128")) << line;
    EXPECT_FALSE(result.at("processor").get<std::string>().empty());
    EXPECT_TRUE(result.at("matches_opencv").get<bool>()) << line;
    ++cases;
  }
  EXPECT_EQ(cases, 8);
}

TEST(BenchCommand, AnUnknownTargetIsAUsageError) {
  const testing::Run run = testing::run_sepconv("bench --size 32x32 --runs 1 --simd mmx");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("--simd"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace sepconv
