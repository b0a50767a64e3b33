// What `cmake --install` adds for users: the man page generated from --help, bash and zsh
// completion; and the GNU parallel recipe of docs/batches.md run over a folder in 3 shards.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <opencv2/imgcodecs.hpp>

#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

const fs::path kBuild = fs::path(SEPCONV_BINARY).parent_path();

bool installed(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

/// stdout of a shell command run with the built sepconv first on PATH.
std::string shell(const std::string& command) {
  const std::string full =
      "PATH='" + kBuild.string() + "':\"$PATH\" bash -c " + quoted(command) + " 2>/dev/null";
  std::string out;
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  pclose(pipe);
  return out;
}

TEST(Install, ManPageCompletionsAndLicence) {
  if (!installed("help2man")) GTEST_SKIP() << "help2man is not installed";
  const TempDir prefix("install");
  ASSERT_EQ(std::system(("cmake --install '" + kBuild.string() + "' --prefix '" +
                         prefix.path().string() + "' >/dev/null")
                            .c_str()),
            0);
  const std::string man = read_text(prefix.path() / "share/man/man1/sepconv.1");
  ASSERT_FALSE(man.empty());
  for (const char* part : {".TH SEPCONV \"1\"", "sepconv apply", "sepconv edges", "sepconv cost",
                           "--border", "Examples:"}) {
    EXPECT_TRUE(contains(man, part)) << part;
  }
  EXPECT_TRUE(fs::exists(prefix.path() / "share/bash-completion/completions/sepconv"));
  EXPECT_TRUE(fs::exists(prefix.path() / "share/zsh/vendor-completions/_sepconv"));
  EXPECT_TRUE(contains(read_text(std::string(SEPCONV_SOURCE_DIR) + "/LICENSE"), "MIT License"));
}

/// COMPREPLY of the bash completion for the words typed so far.
std::string complete(const std::string& words) {
  return shell("source '" + std::string(SEPCONV_SOURCE_DIR) +
               "/completions/sepconv.bash'; COMP_WORDS=(" + words +
               "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _sepconv; echo \"${COMPREPLY[@]}\"");
}

TEST(Install, BashCompletion) {
  EXPECT_EQ(complete("sepconv ap"), "apply\n");
  EXPECT_TRUE(contains(complete("sepconv apply --bor"), "--border"))
      << complete("sepconv apply --bor");
  const std::string kernels = complete("sepconv apply x.png -k sobel");
  EXPECT_TRUE(contains(kernels, "sobel_x") && contains(kernels, "sobel5_y")) << kernels;
  EXPECT_EQ(complete("sepconv edges --scale st"), "strongest\n");
  const TempDir dir("complete");
  std::ofstream(dir / "photo.png") << "x";
  EXPECT_TRUE(contains(complete("sepconv edges '" + (dir / "pho") + "'"), "photo.png"));
}

TEST(Install, ZshCompletionParses) {
  if (!installed("zsh")) GTEST_SKIP() << "zsh is not installed";
  EXPECT_EQ(std::system(
                ("zsh -n '" + std::string(SEPCONV_SOURCE_DIR) + "/completions/_sepconv'").c_str()),
            0);
}

TEST(Install, GnuParallelRecipeWritesEveryOutputOnce) {
  if (!installed("parallel")) GTEST_SKIP() << "GNU parallel is not installed";
  const TempDir dir("parallel");
  fs::create_directories(dir / "photos");
  const int inputs = 11;
  const cv::Mat image = cv::imread(sample("camera.png"), cv::IMREAD_UNCHANGED);
  for (int i = 0; i < inputs; ++i) {
    cv::imwrite(dir / ("photos/p" + std::to_string(i) + ".png"), image(cv::Rect(i, i, 64, 48)));
  }
  // docs/batches.md: parallel -j4 sepconv edges photos --out-dir out --jobs 1 --shard {}/4 ::: ...
  const std::string out = shell("cd '" + dir.path().string() +
                                "' && parallel -j3 sepconv edges photos --out-dir out --jobs 1 "
                                "--shard {}/3 --stats json ::: 0 1 2");
  std::map<std::string, int> seen;
  for (const auto& line : json_lines(out)) {
    EXPECT_FALSE(line.contains("error")) << line.dump();
    ++seen[line["output"].get<std::string>()];
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(inputs)) << out;
  for (const auto& [output, count] : seen) EXPECT_EQ(count, 1) << output;
  for (int i = 0; i < inputs; ++i) {
    EXPECT_FALSE(cv::imread(dir / ("out/p" + std::to_string(i) + ".png")).empty()) << i;
  }
  EXPECT_TRUE(hidden_files(dir.path()).empty());
}

}  // namespace
}  // namespace sepconv::testing
