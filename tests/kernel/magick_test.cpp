// ImageMagick's named kernels against ImageMagick itself: for each kernel string, the size, origin
// and every coefficient sepconv computes must match what the real program prints with
// `convert xc: -define morphology:showKernel=1 -morphology Convolve:0 NAME null:`.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "kernel/parse.hpp"

namespace sepconv {
namespace {

// Always Debian's ImageMagick: /usr/local/bin/convert may be a stand-in.
constexpr const char* kConvert = "/usr/bin/convert";

/// A kernel as ImageMagick prints it.
struct Shown {
  int width = 0, height = 0, x = 0, y = 0;
  std::vector<double> values;  // row-major; NaN for "nan"
};

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  pclose(pipe);
  return output;
}

/// Parses `Kernel "Sobel" of size 3x3+1+1 with values ...` and the " 0: v v v" rows after it.
Shown show_kernel(const std::string& spec) {
  const std::string output =
      run(std::string(kConvert) + " xc: -define morphology:showKernel=1 -morphology Convolve:0 '" +
          spec + "' null: 2>&1");
  Shown shown;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    const auto size = line.find(" of size ");
    if (size != std::string::npos) {
      std::sscanf(line.c_str() + size + 9, "%dx%d+%d+%d", &shown.width, &shown.height, &shown.x,
                  &shown.y);
      continue;
    }
    const auto colon = line.find(':');
    if (shown.width == 0 || colon == std::string::npos || line.find("Forming") == 0) continue;
    std::istringstream row(line.substr(colon + 1));
    std::string word;
    while (row >> word) shown.values.push_back(word == "nan" ? NAN : std::stod(word));
  }
  return shown;
}

class MagickNamed : public testing::TestWithParam<const char*> {};

TEST_P(MagickNamed, MatchesImageMagick) {
  if (access(kConvert, X_OK) != 0) GTEST_SKIP() << kConvert << " is not installed";
  const std::string spec = GetParam();
  const Shown expected = show_kernel(spec);
  ASSERT_GT(expected.width, 0) << "convert printed no kernel for " << spec;
  ASSERT_EQ(expected.values.size(), std::size_t(expected.width) * expected.height);

  const Kernel kernel = parse_kernel(spec);
  ASSERT_EQ(kernel.cols(), expected.width) << spec;
  ASSERT_EQ(kernel.rows(), expected.height) << spec;
  EXPECT_EQ(kernel.anchor, cv::Point(expected.x, expected.y)) << spec;
  for (int r = 0; r < kernel.rows(); ++r) {
    for (int c = 0; c < kernel.cols(); ++c) {
      const double want = expected.values[std::size_t(r) * expected.width + c];
      // ImageMagick prints 6 significant digits.
      EXPECT_NEAR(kernel.values(r, c), want, 1e-5 * std::fabs(want) + 1e-11)
          << spec << " at row " << r << ", column " << c;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Kernels, MagickNamed,
    testing::Values("Unity", "Unity:3", "Gaussian", "Gaussian:0x1", "Gaussian:2x1.5",
                    "Gaussian:0x0.5", "Gaussian:0x3", "Gaussian:0x100", "gaussian:0x2", "LoG:0x1",
                    "LoG:0x1.4", "LoG:3x1", "DoG:0,1,2", "DoG:0,2,1", "DoG:0,1", "DoG:0,0,1",
                    "DoG:3,1,1.6", "DoG:0x1+1.6", "Blur:0x1", "Blur:0x1+90", "Blur:2x1",
                    "Blur:0x0.5", "Blur:0x2+270", "Blur:0x1+180", "Comet:0x1", "Comet:3x1+90",
                    "Comet:0x2+180", "Comet:0x1+270", "Binomial", "Binomial:2", "Binomial:8",
                    "Laplacian", "Laplacian:0", "Laplacian:1", "Laplacian:2", "Laplacian:3",
                    "Laplacian:4", "Laplacian:5", "Laplacian:7", "Laplacian:15", "Laplacian:19",
                    "Sobel", "Sobel:45", "Sobel:90", "Sobel:135", "Sobel:180", "Sobel:225",
                    "Sobel:270", "Sobel:-90", "Sobel:30", "SOBEL:90", "Roberts", "Roberts:45",
                    "Roberts:90", "Roberts:135", "Roberts:180", "Roberts:225", "Roberts:270",
                    "Roberts:315", "Prewitt", "Prewitt:135", "Compass", "Compass:90", "Kirsch",
                    "Kirsch:45", "FreiChen", "FreiChen:1", "FreiChen:2", "FreiChen:11",
                    "FreiChen:1x45", "FreiChen:2x90", "FreiChen:45"),
    [](const testing::TestParamInfo<const char*>& info) {
      std::string name;
      for (const char* p = info.param; *p != '\0'; ++p) {
        name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
      }
      return name + "_" + std::to_string(info.index);
    });

// A TYPE far beyond any table (found by fuzz_kernel_parser: a cast to int overflowed) is type 0,
// as every unknown type is.
TEST(MagickTypes, HugeTypesAreTypeZero) {
  const cv::Mat1d zero = parse_kernel("Laplacian:0").values;
  for (const char* spec : {"Laplacian:31", "Laplacian:1e55", "Laplacian:-1e300",
                           "Laplacian:2777777777777777777777777777777777777777777777777777777"}) {
    EXPECT_EQ(cv::norm(parse_kernel(spec).values, zero, cv::NORM_INF), 0) << spec;
  }
  EXPECT_NO_THROW(parse_kernel("FreiChen:1e55"));  // beyond +-30: an angle for type 0
}

}  // namespace
}  // namespace sepconv
