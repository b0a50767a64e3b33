// docs/equivalents.md, row by row: each row runs the real program (libvips' `vips`, ImageMagick's
// /usr/bin/convert, /usr/bin/python3 with cv2 and scipy) on the same image as sepconv with the
// documented flags, and compares the pixels (exactly, or within the documented tolerance).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

// An asymmetric 5x5 integer kernel: a flipped kernel, or any border other than the right one,
// changes the output (3x3 could not tell reflect from replicate).
const char* const kMatrix = "1 0 2 0 -1; 0 3 0 1 0; 2 -2 5 0 1; 0 1 0 -3 0; 1 0 -1 0 2";
const char* const kImageMagick = "5x5: 1,0,2,0,-1 0,3,0,1,0 2,-2,5,0,1 0,1,0,-3,0 1,0,-1,0,2";
const char* const kPython = "[[1,0,2,0,-1],[0,3,0,1,0],[2,-2,5,0,1],[0,1,0,-3,0],[1,0,-1,0,2]]";

/// A shell-quoted path (std::quoted would win overload resolution for non-const strings).
std::string q(const std::string& path) {
  return testing::quoted(path);
}

bool installed(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

bool python_has(const std::string& module) {
  return std::system(("/usr/bin/python3 -c 'import " + module + "' >/dev/null 2>&1").c_str()) == 0;
}

/// Runs a shell command, failing the test with the command when it does not exit 0.
void run(const std::string& command) {
  ASSERT_EQ(std::system((command + " >/dev/null 2>&1").c_str()), 0) << command;
}

/// Runs /usr/bin/python3 on `script`, given as a file (quoting stays simple).
void python(const TempDir& dir, const std::string& script) {
  const std::string path = dir / "script.py";
  std::ofstream(path) << "import cv2, numpy as np\n" << script << "\n";
  run("/usr/bin/python3 " + q(path));
}

void sepconv(const std::string& args) {
  const CliRun result = run_sepconv(args + " --stats none");
  ASSERT_EQ(result.status, 0) << args << "\n" << result.err;
}

cv::Mat1d read_values(const std::string& path) {
  const cv::Mat image = cv::imread(path, cv::IMREAD_UNCHANGED);
  EXPECT_FALSE(image.empty()) << path;
  cv::Mat1d values;
  image.convertTo(values, CV_64F);
  return values;
}

double max_difference(const std::string& a, const std::string& b) {
  const cv::Mat1d x = read_values(a), y = read_values(b);
  if (x.size() != y.size()) return 1e300;
  return cv::norm(x, y, cv::NORM_INF);
}

/// A random 8-bit gray image, so every border pixel matters.
std::string random_image(const TempDir& dir) {
  cv::Mat1b image(47, 61);
  cv::RNG rng(2024);
  rng.fill(image, cv::RNG::UNIFORM, 0, 256);
  const std::string path = dir / "in.png";
  cv::imwrite(path, image);
  return path;
}

class Equivalents : public ::testing::Test {
 protected:
  void require(const std::string& program) {
    if (!installed(program))
      GTEST_SKIP() << program << " is not installed (scripts/install-deps.sh)";
  }
  void require_python(const std::string& module) {
    if (!python_has(module)) GTEST_SKIP() << "python3 " << module << " is not installed";
  }
  TempDir dir{"equivalents"};
  std::string in = random_image(dir);
};

TEST_F(Equivalents, VipsConvFloat) {
  require("vips");
  std::ofstream(dir / "k.mat") << "5 5 1 0\n"
                               << "1 0 2 0 -1\n0 3 0 1 0\n2 -2 5 0 1\n0 1 0 -3 0\n1 0 -1 0 2\n";
  run("vips conv " + q(in) + " " + q(dir / "vips.tif") + " " + q(dir / "k.mat"));
  sepconv("apply " + q(in) + " -k " + q(dir / "k.mat") + " --border replicate --depth f32 -o " +
          q(dir / "sepconv.tif"));
  EXPECT_EQ(max_difference(dir / "vips.tif", dir / "sepconv.tif"), 0);

  // A scale in the .mat header: vips divides in float, sepconv rounds the exact value once.
  std::ofstream(dir / "k9.mat") << "3 3 9 0\n1 2 0\n-1 3 1\n0 1 4\n";
  run("vips conv " + q(in) + " " + q(dir / "vips9.tif") + " " + q(dir / "k9.mat"));
  sepconv("apply " + q(in) + " -k " + q(dir / "k9.mat") + " --border replicate --depth f32 -o " +
          q(dir / "sepconv9.tif"));
  EXPECT_LE(max_difference(dir / "vips9.tif", dir / "sepconv9.tif"), 1e-4);
}

TEST_F(Equivalents, VipsConvInteger) {
  require("vips");
  std::ofstream(dir / "k.mat") << "5 5 1 0\n"
                               << "1 0 2 0 -1\n0 3 0 1 0\n2 -2 5 0 1\n0 1 0 -3 0\n1 0 -1 0 2\n";
  run("vips conv " + q(in) + " " + q(dir / "vips.png") + " " + q(dir / "k.mat") +
      " --precision integer");
  sepconv("apply " + q(in) + " -k " + q(dir / "k.mat") + " --border replicate --map clamp -o " +
          q(dir / "sepconv.png"));
  EXPECT_EQ(max_difference(dir / "vips.png", dir / "sepconv.png"), 0);

  // With a scale, vips' integer path rounds in fixed point: within 2 grey levels.
  std::ofstream(dir / "k9.mat") << "3 3 9 0\n1 2 0\n-1 3 1\n0 1 4\n";
  run("vips conv " + q(in) + " " + q(dir / "vips9.png") + " " + q(dir / "k9.mat") +
      " --precision integer");
  sepconv("apply " + q(in) + " -k " + q(dir / "k9.mat") + " --border replicate --map clamp -o " +
          q(dir / "sepconv9.png"));
  EXPECT_LE(max_difference(dir / "vips9.png", dir / "sepconv9.png"), 2);
}

TEST_F(Equivalents, VipsSobel) {
  require("vips");
  // 8-bit: vips' fast path works at half precision, so within 2 grey levels.
  run("vips sobel " + q(in) + " " + q(dir / "vips.png"));
  sepconv("edges " + q(in) + " --magnitude l1 --border replicate -o " + q(dir / "sepconv.png"));
  EXPECT_LE(max_difference(dir / "vips.png", dir / "sepconv.png"), 2);
  // Float: exact.
  run("vips cast " + q(in) + " " + q(dir / "float.v") + " float");
  run("vips sobel " + q(dir / "float.v") + " " + q(dir / "vips.tif"));
  sepconv("edges " + q(in) + " --magnitude l1 --border replicate --depth f32 -o " +
          q(dir / "sepconv.tif"));
  EXPECT_EQ(max_difference(dir / "vips.tif", dir / "sepconv.tif"), 0);
}

TEST_F(Equivalents, ImageMagickConvolveAndCorrelate) {
  require("/usr/bin/convert");
  for (const std::string method : {"Convolve", "Correlate"}) {
    const std::string magick = dir / (method + "_magick.png");
    const std::string ours = dir / (method + "_sepconv.png");
    run("/usr/bin/convert " + q(in) + " -morphology " + method + " '" + kImageMagick + "' " +
        q(magick));
    sepconv("apply " + q(in) + " -k '" + kImageMagick + "'" +
            (method == "Convolve" ? " --convolve" : "") + " --border replicate --map clamp -o " +
            q(ours));
    EXPECT_EQ(max_difference(magick, ours), 0) << method;
  }
  // A fractional kernel: ImageMagick rounds through its 16-bit quantum, within 1 grey level.
  run("/usr/bin/convert " + q(in) + " -define convolve:scale='!' -morphology Convolve " +
      "'3x3: 1,2,1 2,4,2 1,2,1' " + q(dir / "blur_magick.png"));
  sepconv("apply " + q(in) + " -k binomial:3 --convolve --border replicate -o " +
          q(dir / "blur_sepconv.png"));
  EXPECT_LE(max_difference(dir / "blur_magick.png", dir / "blur_sepconv.png"), 1);
}

TEST_F(Equivalents, OpenCVFilter2D) {
  require_python("cv2");
  python(dir, "img = cv2.imread('" + in + "', -1)\nk = np.array(" + kPython +
                  ", np.float64)\n"
                  "cv2.imwrite('" +
                  dir / "u8.png" +
                  "', cv2.filter2D(img, -1, k))\n"
                  "cv2.imwrite('" +
                  dir / "f32.tif" + "', cv2.filter2D(img, cv2.CV_32F, k))");
  sepconv("apply " + q(in) + " -k '[" + kMatrix + "]' --map clamp -o " + q(dir / "u8_sepconv.png"));
  sepconv("apply " + q(in) + " -k '[" + kMatrix + "]' --depth f32 -o " +
          q(dir / "f32_sepconv.tif"));
  EXPECT_EQ(max_difference(dir / "u8.png", dir / "u8_sepconv.png"), 0);
  EXPECT_EQ(max_difference(dir / "f32.tif", dir / "f32_sepconv.tif"), 0);
}

TEST_F(Equivalents, OpenCVSobel) {
  require_python("cv2");
  python(dir, "img = cv2.imread('" + in +
                  "', -1)\n"
                  "cv2.imwrite('" +
                  dir / "s16.tif" +
                  "', cv2.Sobel(img, cv2.CV_16S, 1, 0))\n"
                  "cv2.imwrite('" +
                  dir / "abs.png" +
                  "', cv2.convertScaleAbs(cv2.Sobel(img, cv2.CV_16S, 1, 0)))\n"
                  "cv2.imwrite('" +
                  dir / "y5.tif" + "', cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=5))");
  sepconv("apply " + q(in) + " -k sobel_x --depth s16 -o " + q(dir / "s16_sepconv.tif"));
  sepconv("apply " + q(in) + " -k sobel_x -o " + q(dir / "abs_sepconv.png"));
  sepconv("apply " + q(in) + " -k sobel:5:0:1 --depth f32 -o " + q(dir / "y5_sepconv.tif"));
  EXPECT_EQ(max_difference(dir / "s16.tif", dir / "s16_sepconv.tif"), 0);
  EXPECT_EQ(max_difference(dir / "abs.png", dir / "abs_sepconv.png"), 0);
  EXPECT_EQ(max_difference(dir / "y5.tif", dir / "y5_sepconv.tif"), 0);
}

TEST_F(Equivalents, ScipyNdimageCorrelateAndConvolve) {
  require_python("scipy.ndimage");
  // scipy's modes and the sepconv border each one is.
  const std::pair<const char*, const char*> modes[] = {{"reflect", "reflect"},
                                                       {"mirror", "reflect101"},
                                                       {"nearest", "replicate"},
                                                       {"wrap", "wrap"},
                                                       {"constant", "constant"}};
  std::string script = "from scipy import ndimage\nimg = cv2.imread('" + in +
                       "', -1).astype(np.float64)\nk = np.array(" + kPython + ", np.float64)\n";
  for (const auto& [mode, border] : modes) {
    for (const std::string function : {"correlate", "convolve"}) {
      script += "cv2.imwrite('" + dir / (function + "_" + mode + ".tif") + "', ndimage." +
                function + "(img, k, mode='" + mode + "').astype(np.float32))\n";
    }
  }
  python(dir, script);
  for (const auto& [mode, border] : modes) {
    for (const std::string function : {"correlate", "convolve"}) {
      const std::string ours = dir / (function + "_" + mode + "_sepconv.tif");
      sepconv("apply " + q(in) + " -k '[" + kMatrix + "]' --border " + border +
              (function == "convolve" ? " --convolve" : "") + " --depth f32 -o " + q(ours));
      EXPECT_EQ(max_difference(dir / (function + "_" + mode + ".tif"), ours), 0)
          << function << " mode=" << mode;
    }
  }
}

}  // namespace
}  // namespace sepconv::testing
