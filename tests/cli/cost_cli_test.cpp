// `sepconv cost` end to end: runs the built binary and checks what a user sees.

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "support/run_binary.hpp"

namespace {

struct CostRun {
  int status = -1;
  std::string output;  ///< stdout and stderr together
};

/// Runs `sepconv <args>`, with stdout and stderr read together.
CostRun run_sepconv(const std::string& args) {
  const sepconv::testing::Run run = sepconv::testing::run_sepconv(args);
  return {run.status, run.out + run.err};
}

using sepconv::testing::contains;

TEST(CostCli, PrimerExampleText) {
  const CostRun run = run_sepconv("cost --input 12x12x3 --kernel 5 --out-channels 256");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_TRUE(contains(run.output, "output 8x8x256")) << run.output;
  EXPECT_TRUE(contains(run.output, "256*3*5*5*8*8 = 1,228,800")) << run.output;
  EXPECT_TRUE(contains(run.output, "3*5*5*8*8 = 4,800")) << run.output;
  EXPECT_TRUE(contains(run.output, "256*3*8*8 = 49,152")) << run.output;
  EXPECT_TRUE(contains(run.output, "4,800 + 49,152 = 53,952 (22.8x fewer)")) << run.output;
  EXPECT_TRUE(contains(run.output, "1/N + 1/K^2 = 1/256 + 1/25 = 0.043906")) << run.output;
  // Issue 11: one name for the count, for a layer as for a network (text and JSON).
  EXPECT_TRUE(contains(run.output, "mult-adds (one multiply-add per weight use)\n")) << run.output;
  EXPECT_FALSE(contains(run.output, "multiplications")) << run.output;
}

TEST(CostCli, PrimerExampleJson) {
  const CostRun run = run_sepconv("cost --input 12x12x3 --kernel 5x5 --out-channels 256 --json");
  ASSERT_EQ(run.status, 0) << run.output;
  const auto json = nlohmann::json::parse(run.output);
  EXPECT_EQ(json["standard"]["mult_adds"], 1228800);
  EXPECT_EQ(json["depthwise"]["mult_adds"], 4800);
  EXPECT_EQ(json["pointwise"]["mult_adds"], 49152);
  EXPECT_EQ(json["separable"]["mult_adds"], 53952);
  EXPECT_EQ(json["separable"]["params"], 843);
  EXPECT_EQ(json["separable"].size(), 2u);  // mult_adds and params, the network's names
  EXPECT_NEAR(json["ratio"].get<double>(), 22.78, 0.01);
}

TEST(CostCli, BundledMobileNet) {
  const CostRun text = run_sepconv("cost --network mobilenet_v1");
  ASSERT_EQ(text.status, 0) << text.output;
  EXPECT_TRUE(contains(text.output, "568,740,352  4,209,088")) << text.output;
  EXPECT_TRUE(contains(text.output, "4,867,293,184  29,281,120")) << text.output;

  const CostRun run = run_sepconv("cost --network mobilenet_v1 --width-multiplier 0.75 --json");
  ASSERT_EQ(run.status, 0) << run.output;
  const auto json = nlohmann::json::parse(run.output);
  EXPECT_EQ(json["layers"].size(), 29u);
  EXPECT_EQ(json["total"]["as_written"]["mult_adds"], 325400448);  // paper Table 6: 325M
  EXPECT_EQ(json["total"]["as_written"]["params"], 2568144);       // 2.6M
  EXPECT_TRUE(json["layers"][2]["standard"].is_null());            // pw of the first pair
}

TEST(CostCli, Errors) {
  CostRun run = run_sepconv("cost --input 12x12 --kernel 5 --out-channels 256");
  EXPECT_EQ(run.status, 2);
  EXPECT_TRUE(contains(run.output, "--input: '12x12' is not HxWxC")) << run.output;

  run = run_sepconv("cost --input 12x12x3 --kernel 13 --out-channels 256");
  EXPECT_EQ(run.status, 2);
  EXPECT_TRUE(contains(run.output, "--kernel: kernel 13 is larger than the input 12"))
      << run.output;

  run = run_sepconv("cost --network /no/such/net.txt");
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(contains(run.output, "sepconv: /no/such/net.txt: no such file")) << run.output;
}

}  // namespace
