// --help of every command (width, examples, defaults, the program's name, no parser noise),
// one-line parse errors with suggestions, -q, and --version, on the real binary.

#include <gtest/gtest.h>

#include <opencv2/core/version.hpp>
#include <sstream>

#include "cli/help.hpp"
#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

const char* const kCommands[] = {"",        "apply",     "edges", "compare", "analyze",
                                 "kernels", "depthwise", "cost",  "bench"};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

TEST(HelpCli, EveryCommandFitsHundredColumnsWithExamples) {
  for (const std::string command : kCommands) {
    const CliRun run = run_sepconv(command + " --help");
    ASSERT_EQ(run.status, 0) << command;
    EXPECT_TRUE(run.err.empty()) << command << ": " << run.err;
    const std::vector<std::string> lines = lines_of(run.out);
    int examples = -1;
    for (const std::string& line : lines) {
      EXPECT_LE(line.size(), 100u) << command << ": " << line;
      if (line == "Examples:") examples = 0;
      if (examples >= 0 && line.rfind("  sepconv ", 0) == 0) ++examples;
    }
    EXPECT_GE(examples, 2) << command;
    EXPECT_LE(examples, 4) << command;
    EXPECT_TRUE(contains(run.out, "Usage: sepconv" + (command.empty() ? "" : " " + command)))
        << command;
    EXPECT_FALSE(contains(run.out, SEPCONV_BINARY)) << command;
    for (const char* noise : {"INT:", "TEXT:", "FLOAT:", " in [", "REQUIRED"}) {
      EXPECT_FALSE(contains(run.out, noise)) << command << " shows " << noise;
    }
  }
}

/// A command's help with its wrapped lines joined, so a phrase reads as one.
std::string flat_help(const std::string& command) {
  std::istringstream words(run_sepconv(command + " --help").out);
  std::string flat;
  for (std::string word; words >> word;) flat += (flat.empty() ? "" : " ") + word;
  return flat;
}

TEST(HelpCli, ShowsDefaultsAndWhatTheCodeDoes) {
  const std::string apply = flat_help("apply");
  EXPECT_TRUE(contains(apply, "(default: reflect101)")) << apply;
  EXPECT_TRUE(contains(apply, "(default: auto)"));
  EXPECT_TRUE(contains(apply, "or fft")) << "--mode must list fft";
  // compare runs one input at a time unless told (CompareOptions sets jobs = 1).
  const std::string compare = flat_help("compare");
  EXPECT_TRUE(contains(compare, "(default 1")) << compare;
  EXPECT_FALSE(contains(compare, "(default: the number of cores)"));
  // The installed binary has no docs/ folder beside it.
  EXPECT_FALSE(contains(flat_help("cost"), "docs/"));
  EXPECT_TRUE(contains(flat_help("edges"), "(default: clamp)"));
}

TEST(HelpCli, ParseErrorsAreOneLineWithASuggestion) {
  struct Case {
    std::string args, expected;
  };
  const Case cases[] = {
      {"aply x.png -k sobel_x", "sepconv: unknown command 'aply'; did you mean apply?"},
      {"apply x.png -k sobel_x --boder reflect", "unknown option --boder; did you mean --border?"},
      {"edges x.png --treshold otsu", "did you mean --threshold?"},
      {"--thread 2 apply x.png -k sobel_x", "did you mean --threads?"},
      {"analyze", "sepconv: "},
      {"apply x.png -k sobel_x --stats jsn", "sepconv: "},
  };
  for (const Case& c : cases) {
    const CliRun run = run_sepconv(c.args);
    EXPECT_EQ(run.status, 2) << c.args;
    EXPECT_TRUE(run.out.empty()) << c.args;
    EXPECT_EQ(lines_of(run.err).size(), 1u) << c.args << ":\n" << run.err;
    EXPECT_EQ(run.err.rfind("sepconv: ", 0), 0u) << run.err;
    EXPECT_TRUE(contains(run.err, c.expected)) << c.args << ":\n" << run.err;
  }
  // Nothing close: no guess.
  const CliRun far = run_sepconv("apply x.png -k sobel_x --zzzzzzzz");
  EXPECT_FALSE(contains(far.err, "did you mean")) << far.err;
}

TEST(HelpCli, Closest) {
  using sepconv::cli::closest;
  EXPECT_EQ(closest("--boder", {"--border", "--mode", "--map"}), "--border");
  EXPECT_EQ(closest("aply", {"apply", "analyze"}), "apply");
  EXPECT_EQ(closest("edgse", {"apply", "edges"}), "edges");  // a swap is two edits
  EXPECT_EQ(closest("xyz", {"apply", "edges"}), "");
  EXPECT_EQ(closest("-j", {"-q"}), "");  // one edit of two characters is not a slip
}

TEST(HelpCli, QuietPrintsNothingButErrors) {
  const TempDir dir("quiet");
  for (const std::string command :
       {"apply " + quoted(sample("camera.png")) + " -k sobel_x -o " + quoted(dir / "a.png"),
        "edges " + quoted(sample("camera.png")) + " -o " + quoted(dir / "e.png") + " --summary",
        "apply " + quoted(sample("camera.png")) + " -k box3 -o " + quoted(dir / "b.png") +
            " --stats text -v"}) {
    const CliRun loud = run_sepconv(command);
    ASSERT_EQ(loud.status, 0) << loud.err;
    EXPECT_FALSE(loud.err.empty()) << command;  // so the quiet run below has something to hide
    for (const std::string flag : {" -q", " --quiet"}) {
      const CliRun run = run_sepconv(command + flag);
      EXPECT_EQ(run.status, 0) << run.err;
      EXPECT_EQ(run.err, "") << command << flag;
    }
  }
  // JSON statistics on stdout are output, not chatter: -q keeps them.
  const CliRun json = run_sepconv("-q apply " + quoted(sample("camera.png")) +
                                  " -k sobel_x --stats json -o " + quoted(dir / "j.png"));
  EXPECT_EQ(json_lines(json.out).size(), 1u);
  EXPECT_EQ(json.err, "");
  // Errors still are printed.
  const CliRun error = run_sepconv("apply " + quoted(dir / "missing.png") + " -k sobel_x -q -o " +
                                   quoted(dir / "m.png"));
  EXPECT_EQ(error.status, 1);
  EXPECT_TRUE(contains(error.err, "sepconv: ")) << error.err;
}

TEST(HelpCli, VersionNamesCommitSimdAndLibraries) {
  const CliRun run = run_sepconv("--version");
  ASSERT_EQ(run.status, 0);
  EXPECT_EQ(run.out.rfind("sepconv ", 0), 0u) << run.out;
  EXPECT_TRUE(contains(run.out, "commit:")) << run.out;
  EXPECT_TRUE(contains(run.out, " in use; compiled for ")) << run.out;
  EXPECT_TRUE(contains(run.out, std::string("OpenCV:  ") + CV_VERSION)) << run.out;
  EXPECT_FALSE(contains(run.out, SEPCONV_SOURCE_DIR)) << "no source path in the binary's output";
}

}  // namespace
}  // namespace sepconv::testing
