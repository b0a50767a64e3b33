// `sepconv analyze` and `sepconv kernels` end to end, as a user runs them.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_binary.hpp"

namespace sepconv {
namespace {
using testing::contains;
using testing::run_sepconv;

TEST(AnalyzeCli, SobelXShowsRankOneFactorsAndCounts) {
  const auto run = run_sepconv("analyze sobel_x");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "rank 1: separable")) << run.out;
  // column [1 2 1] times row [-1 0 1], drawn side by side with the kernel.
  EXPECT_TRUE(contains(run.out, "  2   x   -1   0   1   =   -2   0   2")) << run.out;
  EXPECT_TRUE(contains(run.out, "full            9 mul       8 add")) << run.out;
  EXPECT_TRUE(contains(run.out, "separable       6 mul       4 add   (33% fewer multiplications)"))
      << run.out;
}

TEST(AnalyzeCli, JsonHoldsTheDocumentedKeys) {
  const auto run = run_sepconv("analyze scharr_x --json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["kernel"]["name"], "scharr_x");
  EXPECT_EQ(json["kernel"]["rows"], 3);
  EXPECT_EQ(json["kernel"]["rank"], 1);
  EXPECT_EQ(json["kernel"]["separable"], true);
  EXPECT_EQ(json["factors"]["column"], nlohmann::json({3, 10, 3}));
  EXPECT_EQ(json["factors"]["row"], nlohmann::json({-1, 0, 1}));
  EXPECT_EQ(json["ops"]["full_per_pixel"]["mul"], 9);
  EXPECT_EQ(json["ops"]["separable_per_pixel"]["mul"], 6);
  EXPECT_EQ(json["ops"]["separable_per_pixel"]["add"], 4);
  EXPECT_EQ(json["reconstruction_error"], 0.0);
  EXPECT_TRUE(json["tolerance"].is_number());
}

TEST(AnalyzeCli, NonSeparableKernelHasNullFactorsAndARankTable) {
  const auto run = run_sepconv("analyze log9 --json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["kernel"]["rank"], 2);
  EXPECT_TRUE(json["factors"].is_null());
  EXPECT_TRUE(json["ops"]["separable_per_pixel"].is_null());
  EXPECT_EQ(json["lowrank"]["ops_per_pixel"]["mul"], 36);
  EXPECT_EQ(json["lowrank"]["table"].size(), 2u);
  const auto text = run_sepconv("analyze log9");
  EXPECT_TRUE(contains(text.out, "lowrank:2      36 mul      33 add   (56% fewer multiplications)"))
      << text.out;
}

TEST(AnalyzeCli, InlineAndGeneratedKernels) {
  EXPECT_TRUE(contains(run_sepconv("analyze '[1 2 1; 2 4 2; 1 2 1]'").out, "rank 1: separable"));
  EXPECT_TRUE(contains(run_sepconv("analyze '3x3: 0,1,0 1,-4,1 0,1,0'").out, "rank 2"));
  EXPECT_TRUE(contains(run_sepconv("analyze gaussian:7:2").out, "rank 1: separable"));
}

TEST(AnalyzeCli, ErrorsAreOneLineWithTheDocumentedStatus) {
  const auto unknown = run_sepconv("analyze no_such_kernel");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_TRUE(contains(unknown.err, "no_such_kernel")) << unknown.err;
  EXPECT_EQ(std::count(unknown.err.begin(), unknown.err.end(), '\n'), 1) << unknown.err;
  const auto bad_option = run_sepconv("analyze sobel_x --bogus");
  EXPECT_EQ(bad_option.status, 2);
  const auto bad_tol = run_sepconv("analyze sobel_x --tol -1");
  EXPECT_EQ(bad_tol.status, 2);
  EXPECT_EQ(run_sepconv("").status, 2);
  EXPECT_EQ(run_sepconv("--help").status, 0);
}

TEST(KernelsCli, ListsEveryBundledKernelWithItsRank) {
  const auto run = run_sepconv("kernels --json");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto list = nlohmann::json::parse(run.out);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& entry : list) by_name[entry["name"]] = entry;
  for (const char* name : {"sobel_x", "sobel_y", "scharr_x", "scharr_y", "prewitt_x", "prewitt_y",
                           "sobel5_x", "sobel5_y", "gaussian3", "gaussian5", "box3", "box5",
                           "laplacian4", "laplacian8", "log9", "sharpen", "emboss", "unsharp5"}) {
    ASSERT_TRUE(by_name.count(name)) << name;
    EXPECT_FALSE(by_name[name]["description"].get<std::string>().empty()) << name;
  }
  EXPECT_EQ(by_name["sobel5_x"]["rows"], 5);
  EXPECT_EQ(by_name["sobel_x"]["separable"], true);
  EXPECT_EQ(by_name["log9"]["rank"], 2);
  EXPECT_EQ(by_name["emboss"]["separable"], false);
  const auto table = run_sepconv("kernels");
  EXPECT_TRUE(contains(table.out, "sobel_x")) << table.out;
}

}  // namespace
}  // namespace sepconv
