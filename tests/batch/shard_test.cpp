// Shard hashing: FNV-1a 64 against the published test vectors, and shards that split any list into
// disjoint, complete parts.

#include <gtest/gtest.h>

#include <set>

#include "batch/inputs.hpp"
#include "batch/outputs.hpp"
#include "core/error.hpp"

namespace sepconv::batch {
namespace {

TEST(Fnv1a64, PublishedVectors) {
  // From the FNV reference (isthe.com/chongo/tech/comp/fnv): fnv1a64 of "", "a" and "foobar".
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(Shard, ParsesAndRefuses) {
  const Shard shard = parse_shard("2/5");
  EXPECT_EQ(shard.index, 2u);
  EXPECT_EQ(shard.count, 5u);
  for (const char* bad : {"5/5", "1/0", "-1/3", "1", "a/b", "1/3/4", "", " 1/3"}) {
    EXPECT_THROW(parse_shard(bad), Error) << bad;
  }
}

TEST(Shard, DisjointAndComplete) {
  constexpr int kInputs = 3000, kShards = 3;
  int counts[kShards] = {};
  for (int i = 0; i < kInputs; ++i) {
    const std::string path = "images/frame_" + std::to_string(i) + ".png";
    int owners = 0;
    for (int s = 0; s < kShards; ++s) {
      if (in_shard(path, {static_cast<std::uint64_t>(s), kShards})) {
        ++owners;
        ++counts[s];
      }
    }
    EXPECT_EQ(owners, 1) << path;
  }
  for (int count : counts) EXPECT_GT(count, kInputs / kShards * 9 / 10);  // roughly even
  // The share is the hash of the path string as given, modulo N.
  EXPECT_TRUE(in_shard("a", {0xaf63dc4c8601ec8cull % 7, 7}));
}

TEST(OutputPath, KeepsNamesBelowTheFolder) {
  BatchOptions options;
  options.out_dir = "out";
  const BatchItem item{"in/sub/a.png", "sub/a.png", {}, {}};
  EXPECT_EQ(output_path_for(options, item), "out/sub/a.png");
  options.suffix = "_edges";
  options.format = "tif";
  EXPECT_EQ(output_path_for(options, item), "out/sub/a_edges.tif");
  options.out_dir.clear();
  options.output = "x.png";
  EXPECT_EQ(output_path_for(options, item), "x.png");
}

}  // namespace
}  // namespace sepconv::batch
