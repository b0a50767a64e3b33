// The bundled kernels in filters/: each parses and describes itself, and each holds the
// coefficients its header comment claims.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <random>

#include "build_paths.hpp"
#include "core/error.hpp"
#include "core/filters_dir.hpp"
#include "kernel/generators.hpp"
#include "kernel/parse.hpp"

namespace sepconv {
namespace {

namespace fs = std::filesystem;

bool same(const cv::Mat1d& a, const cv::Mat1d& b) {
  return a.size() == b.size() && cv::countNonZero(a != b) == 0;
}

/// ky * kx^T from OpenCV, the separable form of cv::Sobel and cv::Scharr.
cv::Mat1d deriv_kernel(int dx, int dy, int size) {
  cv::Mat kx, ky;
  cv::getDerivKernels(kx, ky, dx, dy, size, false, CV_64F);
  return ky * kx.t();
}

/// Singular values above 1e-12 of the largest one.
int numerical_rank(const cv::Mat1d& values) {
  cv::Mat1d w;
  cv::SVD::compute(values, w, cv::SVD::NO_UV);
  return static_cast<int>(
      std::count_if(w.begin(), w.end(), [&](double s) { return s > 1e-12 * w(0); }));
}

cv::Mat1d bundled(const std::string& name) {
  return parse_kernel(name).values;
}

TEST(FiltersBundled, TheDocumentedKernelsAreThere) {
  const auto names = bundled_kernel_names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (const char* name : {"sobel_x", "sobel_y", "scharr_x", "scharr_y", "prewitt_x", "prewitt_y",
                           "sobel5_x", "sobel5_y", "gaussian3", "gaussian5", "box3", "box5",
                           "laplacian4", "laplacian8", "log9", "sharpen", "emboss", "unsharp5"}) {
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), name)) << name;
  }
}

TEST(FiltersBundled, EveryKernelParsesWithADescriptionAndProvenance) {
  for (const std::string& name : bundled_kernel_names()) {
    const Kernel k = parse_kernel(name);
    EXPECT_EQ(k.name, name);
    EXPECT_FALSE(k.description.empty()) << name;
    EXPECT_LE(k.description.size(), 80u) << name << ": one line for `sepconv kernels`";
    // A second comment line says where the kernel comes from.
    std::ifstream file(filters_dir() / (name + ".txt"));
    std::string first, second;
    std::getline(file, first);
    std::getline(file, second);
    EXPECT_EQ(first.rfind("# ", 0), 0u) << name;
    EXPECT_EQ(second.rfind("# ", 0), 0u) << name;
  }
}

TEST(FiltersBundled, SobelAndScharrEqualOpenCvs) {
  EXPECT_TRUE(same(bundled("sobel_x"), deriv_kernel(1, 0, 3)));
  EXPECT_TRUE(same(bundled("sobel_y"), deriv_kernel(0, 1, 3)));
  EXPECT_TRUE(same(bundled("sobel5_x"), deriv_kernel(1, 0, 5)));
  EXPECT_TRUE(same(bundled("sobel5_y"), deriv_kernel(0, 1, 5)));
  EXPECT_TRUE(same(bundled("scharr_x"), deriv_kernel(1, 0, cv::FILTER_SCHARR)));
  EXPECT_TRUE(same(bundled("scharr_y"), deriv_kernel(0, 1, cv::FILTER_SCHARR)));
}

TEST(FiltersBundled, SobelXIsPositiveWhereIntensityRisesToTheRight) {
  const cv::Mat1d ramp = (cv::Mat1d(3, 3) << 0, 1, 2, 0, 1, 2, 0, 1, 2);
  EXPECT_GT(bundled("sobel_x").dot(ramp), 0);
  EXPECT_GT(bundled("prewitt_x").dot(ramp), 0);
  EXPECT_GT(bundled("scharr_x").dot(ramp), 0);
  EXPECT_GT(bundled("prewitt_y").dot(cv::Mat1d(ramp.t())), 0);
}

TEST(FiltersBundled, PrewittLiterals) {
  const cv::Mat1d prewitt_x = (cv::Mat1d(3, 3) << -1, 0, 1, -1, 0, 1, -1, 0, 1);
  EXPECT_TRUE(same(bundled("prewitt_x"), prewitt_x));
  EXPECT_TRUE(same(bundled("prewitt_y"), cv::Mat1d(prewitt_x.t())));
}

TEST(FiltersBundled, BlursSumToOneAndEqualTheGenerators) {
  for (int i = 0; i < 9; ++i) EXPECT_EQ(bundled("box3")(i / 3, i % 3), 1.0 / 9);
  EXPECT_NEAR(cv::sum(bundled("box3"))[0], 1.0, 1e-15);
  EXPECT_TRUE(same(bundled("box3"), generate_kernel("box:3").values));
  EXPECT_TRUE(same(bundled("box5"), generate_kernel("box:5").values));
  EXPECT_TRUE(same(bundled("gaussian3"), generate_kernel("binomial:3").values));
  EXPECT_TRUE(same(bundled("gaussian5"), generate_kernel("binomial:5").values));
  EXPECT_EQ(cv::sum(bundled("gaussian5"))[0], 1.0);
  EXPECT_EQ(bundled("gaussian5")(2, 2), 36.0 / 256);
}

TEST(FiltersBundled, LaplaciansSumToZeroWithRankTwo) {
  EXPECT_TRUE(same(bundled("laplacian4"), (cv::Mat1d(3, 3) << 0, 1, 0, 1, -4, 1, 0, 1, 0)));
  EXPECT_EQ(numerical_rank(bundled("laplacian4")), 2);
  EXPECT_EQ(cv::sum(bundled("laplacian4"))[0], 0.0);
  EXPECT_TRUE(same(bundled("laplacian8"), (cv::Mat1d(3, 3) << 1, 1, 1, 1, -8, 1, 1, 1, 1)));
  EXPECT_EQ(cv::sum(bundled("laplacian8"))[0], 0.0);
}

TEST(FiltersBundled, Log9IsOpenCvsLaplacianNineWithRankTwo) {
  const cv::Mat1d log9 = bundled("log9");
  EXPECT_EQ(numerical_rank(log9), 2);
  EXPECT_EQ(cv::sum(log9)[0], 0.0);  // multiples of 2^-14: the sum is exact
  const cv::Mat1d laplacian = deriv_kernel(2, 0, 9) + deriv_kernel(0, 2, 9);
  EXPECT_TRUE(same(log9, cv::Mat1d(laplacian / 16384)));
  EXPECT_EQ(log9(4, 4), -1400.0 / 16384);
  // Close to the sampled LoG of the same sigma (sqrt(2)) once both have their centre values.
  const cv::Mat1d sampled = log_kernel(9, std::sqrt(2.0)).values;
  EXPECT_LT(cv::norm(log9, sampled, cv::NORM_INF), 0.02);
}

TEST(FiltersBundled, SharpenEmbossUnsharpSumToOne) {
  EXPECT_TRUE(same(bundled("sharpen"), (cv::Mat1d(3, 3) << 0, -1, 0, -1, 5, -1, 0, -1, 0)));
  EXPECT_TRUE(same(bundled("emboss"), (cv::Mat1d(3, 3) << -2, -1, 0, -1, 1, 1, 0, 1, 2)));
  const cv::Mat1d unsharp = bundled("unsharp5");
  EXPECT_EQ(cv::sum(unsharp)[0], 1.0);
  EXPECT_EQ(unsharp(2, 2), 476.0 / 256);
  EXPECT_EQ(unsharp(0, 0), -1.0 / 256);
  // Twice the image minus its gaussian5 blur.
  cv::Mat1d expected = -bundled("gaussian5");
  expected(2, 2) += 2;
  EXPECT_TRUE(same(unsharp, expected));
}

/// Points $SEPCONV_FILTERS at a fresh folder for one test, then restores it.
class FiltersFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* old = std::getenv("SEPCONV_FILTERS")) saved_ = old;
    dir_ = fs::temp_directory_path() /
           ("sepconv_filters_test_" + std::to_string(std::random_device()()));
    fs::create_directories(dir_);
    setenv("SEPCONV_FILTERS", dir_.c_str(), 1);
  }
  void TearDown() override {
    if (saved_) {
      setenv("SEPCONV_FILTERS", saved_->c_str(), 1);
    } else {
      unsetenv("SEPCONV_FILTERS");
    }
    fs::remove_all(dir_);
  }
  void write(const fs::path& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  fs::path dir_;
  std::optional<std::string> saved_;
};

TEST_F(FiltersFolder, EnvironmentVariableChoosesTheFolder) {
  EXPECT_EQ(filters_dir(), dir_);
}

TEST_F(FiltersFolder, OnlyTxtFilesDirectlyInsideAreKernels) {
  write("b.txt", "# B\n1\n");
  write("a.txt", "# A\n2\n");
  write("notes.md", "1\n");
  write("c.mat", "1 1\n1\n");
  fs::create_directories(dir_ / "networks");
  write("networks/net.txt", "1\n");
  fs::create_directories(dir_ / "folder.txt");
  EXPECT_EQ(bundled_kernel_names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parse_kernel("a").description, "A");
  EXPECT_EQ(parse_kernel("a").values(0, 0), 2);
}

TEST_F(FiltersFolder, ErrorsInABundledKernelNameItsFile) {
  write("broken.txt", "# Broken\n1 2\n3\n");
  try {
    parse_kernel("broken");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), (dir_ / "broken.txt").string());
    EXPECT_NE(e.reason().find("line 3"), std::string::npos) << e.reason();
  }
}

TEST_F(FiltersFolder, MissingFolderIsAnError) {
  fs::remove_all(dir_);
  try {
    bundled_kernel_names();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), dir_.string());
    EXPECT_NE(e.reason().find("cannot list bundled kernels"), std::string::npos);
  }
}

TEST(FiltersDir, FindsTheSourceTreesFiltersFromABuildTree) {
  if (std::getenv("SEPCONV_FILTERS") != nullptr) GTEST_SKIP() << "SEPCONV_FILTERS is set";
  // Through the build tree's link, not a compiled-in source path.
  EXPECT_TRUE(fs::equivalent(filters_dir(), fs::path(SEPCONV_SOURCE_DIR) / "filters"));
  EXPECT_EQ(filters_dir().string().find(SEPCONV_SOURCE_DIR "/filters"), std::string::npos);
}

}  // namespace
}  // namespace sepconv
