// Every --stats json line of apply, edges, compare and depthwise, and the --json of analyze, cost
// and bench, matches docs/stats.schema.json, and the validator refuses lines that break it (so the
// check can fail).

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "build_paths.hpp"
#include "support/batch_support.hpp"
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

/// The problem of `value` against the schema's whole and against the kind `def` it must be.
std::string problem_as(const nlohmann::json& value, const nlohmann::json& schema,
                       const std::string& def) {
  const std::string whole = schema_problem(value, schema, schema);
  if (!whole.empty()) return whole;
  return schema_problem(value, {{"$ref", "#/$defs/" + def}}, schema);
}

// Issue 11: the JSON of analyze, cost (a layer and a network), depthwise and bench, as the
// commands print it, matches the schema's kind for it.
TEST(StatsSchema, EveryOtherCommandsJsonMatches) {
  const TempDir dir("stats_schema_other");
  const nlohmann::json schema = stats_schema();
  std::ofstream(dir / "tiny.txt") << "input 32x32x3\nconv 3x3 s2 16\ndw 3x3 s1\npw 32\n"
                                     "maxpool 2\navgpool global\nfc 10\n";
  const std::string image = quoted(sample("chelsea.png"));
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"analyze sobel_x --json", "analyze"},
      {"analyze log9 --json", "analyze"},
      {"analyze '[-1e-11 0 1e-11]' --json", "analyze"},
      {"analyze binomial:1025 --json", "analyze"},  // unlisted_singular_values
      {"cost --input 12x12x3 --kernel 5 --out-channels 256 --json", "cost_layer"},
      {"cost --input 9x9x2 --kernel 3x5 --out-channels 4 --stride 2 --padding same "
       "--multiplier 2 --json",
       "cost_layer"},
      {"cost --network " + quoted(dir / "tiny.txt") + " --json", "cost_network"},
      {"cost --network mobilenet_v1 --width-multiplier 0.5 --json", "cost_network"},
      {"depthwise " + image + " -k sobel_x --pointwise '[1 0 0; 0 1 0]' --stats json -o " +
           quoted(dir / "dw.tif"),
       "depthwise"},
      {"depthwise " + image + " -k box3 --multiplier 2 --pointwise '[1 1 1 1 1 1]' --stats json " +
           "--compare-full -o " + quoted(dir / "dw.png"),
       "depthwise"},
      {"bench --size 32x32 --runs 1 --threads 1 --json", "bench"},
  };
  for (const auto& [args, def] : runs) {
    const CliRun run = run_sepconv(args);
    ASSERT_EQ(run.status, 0) << args << "\n" << run.err;
    // cost prints one indented object; the others one object a line.
    const auto lines = def.rfind("cost", 0) == 0
                           ? std::vector<nlohmann::json>{nlohmann::json::parse(run.out)}
                           : json_lines(run.out);
    ASSERT_FALSE(lines.empty()) << args;
    for (const auto& line : lines) EXPECT_EQ(problem_as(line, schema, def), "") << args;
  }
  // The kinds do not overlap: a layer's cost is not a network's, and an analysis is no bench line.
  const nlohmann::json layer = nlohmann::json::parse(
      run_sepconv("cost --input 12x12x3 --kernel 5 --out-channels 8 --json").out);
  EXPECT_NE(schema_problem(layer, {{"$ref", "#/$defs/cost_network"}}, schema), "");
  nlohmann::json renamed = layer;
  renamed["standard"] = {{"mults", 1}, {"params", 1}};  // the name cost used to print
  EXPECT_NE(schema_problem(renamed, schema, schema), "");
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
