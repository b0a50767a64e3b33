// The batch reporter on its own: the list of failures at the end follows the inputs' order, not the
// order the jobs happened to finish in.

#include "batch/reporter.hpp"

#include <gtest/gtest.h>

namespace sepconv::batch {
namespace {

BatchItem item_named(const std::string& input) {
  BatchItem item;
  item.input = input;
  return item;
}

TEST(BatchReporter, FailuresAreListedInInputOrder) {
  BatchOptions options;
  options.stats = "none";
  options.progress = "never";
  ::testing::internal::CaptureStderr();
  Reporter reporter(options, {"apply"}, 4);
  reporter.failed(item_named("d.png"), 3, "d.png: no such file");  // the jobs finish backwards
  reporter.failed(item_named("b.png"), 1, "b.png: no such file");
  reporter.failed(item_named("a.png"), 0, "a.png: no such file");
  reporter.succeeded({});
  reporter.finish(false, "apply");
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(err,
            "sepconv: d.png: no such file\n"
            "sepconv: b.png: no such file\n"
            "sepconv: a.png: no such file\n"
            "sepconv: 3 of 4 inputs failed: a.png, b.png, d.png\n");
  EXPECT_TRUE(reporter.any_failed());
}

TEST(BatchReporter, OneInputHasNoListOfFailures) {
  BatchOptions options;
  options.stats = "none";
  options.progress = "never";
  ::testing::internal::CaptureStderr();
  Reporter reporter(options, {"apply"}, 1);
  reporter.failed(item_named("a.png"), 0, "a.png: no such file");
  reporter.finish(false, "apply");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "sepconv: a.png: no such file\n");
}

}  // namespace
}  // namespace sepconv::batch
