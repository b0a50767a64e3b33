// Every --stats json line of apply, edges and compare matches docs/stats.schema.json, and the
// validator refuses lines that break it (so the check can fail).

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "build_paths.hpp"
#include "cli/batch_support.hpp"
#include "support/json_schema.hpp"

namespace sepconv::testing {
namespace {

nlohmann::json stats_schema() {
  return nlohmann::json::parse(
      read_text(std::string(SEPCONV_SOURCE_DIR) + "/docs/stats.schema.json"));
}

TEST(StatsSchema, EveryLineOfEveryBatchCommandMatches) {
  const TempDir dir("stats_schema");
  fs::create_directories(dir / "in");
  for (const char* name : {"a.png", "b.png"}) {
    cv::Mat1b image(16, 24);
    cv::randu(image, 0, 256);
    cv::imwrite(dir / (std::string("in/") + name), image);
  }
  std::ofstream(dir / "in/broken.png") << "not an image";
  fs::create_directories(dir / "out_apply");
  fs::copy_file(dir / "in/a.png", dir / "out_apply/a.png");  // skipped with --skip-existing
  const nlohmann::json schema = stats_schema();
  const std::string inputs = quoted(dir / "in");
  const std::vector<std::string> runs = {
      "apply " + inputs + " -k sobel_x --skip-existing --out-dir " + quoted(dir / "out_apply"),
      "edges " + inputs + " --out-dir " + quoted(dir / "out_edges"),
      "compare " + inputs + " -k gaussian:5",
  };
  for (const std::string& args : runs) {
    const CliRun run = run_sepconv(args + " --stats json --summary");
    const auto lines = json_lines(run.out);
    ASSERT_EQ(lines.size(), 4u) << args << "\n" << run.out << run.err;  // 3 inputs + summary
    size_t errors = 0;
    for (const auto& line : lines) {
      EXPECT_EQ(schema_problem(line, schema, schema), "") << args << "\n" << line.dump();
      errors += line.contains("error");
    }
    EXPECT_EQ(errors, 1u) << args;
    EXPECT_TRUE(lines.back().contains("summary"));
  }
}

TEST(StatsSchema, TheValidatorRefusesBrokenLines) {
  const nlohmann::json schema = stats_schema();
  const auto problem = [&](const char* text) {
    return schema_problem(nlohmann::json::parse(text), schema, schema);
  };
  EXPECT_EQ(problem(R"({"input": "a.png", "error": "a.png: no such file"})"), "");
  EXPECT_NE(problem(R"({"input": "a.png", "error": 3})"), "");                     // type
  EXPECT_NE(problem(R"({"input": "a.png", "error": "x", "extra": 1})"), "");       // additional
  EXPECT_NE(problem(R"({"input": "a", "outputs": ["b"], "skipped": "no"})"), "");  // enum
  EXPECT_NE(problem(R"({"summary": {"command": "apply"}})"), "");                  // required
  EXPECT_NE(problem(R"({"summary": {"command": "apply", "inputs": -1, "succeeded": 0,
      "failed": 0, "skipped": 0, "not_started": 0, "time_s": 0,
      "ops": {"mul": 0, "add": 0}}})"),
            "");                                     // minimum
  EXPECT_NE(problem(R"({"output": "x.png"})"), "");  // none of oneOf
}

}  // namespace
}  // namespace sepconv::testing
