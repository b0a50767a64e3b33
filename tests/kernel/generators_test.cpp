// The generators against independent computations: the sampled formulas written out here, Pascal's
// triangle in integers, polynomial products for Sobel, finite differences for the LoG, and OpenCV.

#include "kernel/generators.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/error.hpp"
#include "kernel/parse.hpp"

namespace sepconv {
namespace {

/// Expects `spec` to be rejected with an Error about `spec` whose reason contains `reason`.
void expect_rejected(const std::string& spec, const std::string& reason) {
  try {
    generate_kernel(spec);
    ADD_FAILURE() << spec << " was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), spec);
    EXPECT_NE(e.reason().find(reason), std::string::npos) << spec << ": " << e.reason();
  }
}

/// column * row^T as doubles, one rounding per coefficient.
cv::Mat1d outer(const std::vector<double>& column, const std::vector<double>& row) {
  cv::Mat1d result(static_cast<int>(column.size()), static_cast<int>(row.size()));
  for (int r = 0; r < result.rows; ++r) {
    for (int c = 0; c < result.cols; ++c) result(r, c) = column[r] * row[c];
  }
  return result;
}

double max_abs_difference(const cv::Mat1d& a, const cv::Mat1d& b) {
  EXPECT_EQ(a.size(), b.size());
  return cv::norm(a, b, cv::NORM_INF);
}

bool same(const cv::Mat1d& a, const cv::Mat1d& b) {
  return a.size() == b.size() && cv::countNonZero(a != b) == 0;
}

/// Coefficients of (z - 1)^d (z + 1)^(n - 1 - d), lowest power first: the Sobel derivative of
/// order d for n taps, computed with integers.
std::vector<double> sobel_1d(int n, int d) {
  std::vector<std::int64_t> poly{1};
  for (int i = 0; i < n - 1; ++i) {
    const std::int64_t low = i < d ? -1 : 1;  // the factor is (z + low)
    std::vector<std::int64_t> next(poly.size() + 1, 0);
    for (std::size_t k = 0; k < poly.size(); ++k) {
      next[k] += low * poly[k];
      next[k + 1] += poly[k];
    }
    poly.swap(next);
  }
  return std::vector<double>(poly.begin(), poly.end());
}

/// Row n - 1 of Pascal's triangle with 64-bit integers.
std::vector<std::int64_t> pascal_row(int n) {
  std::vector<std::int64_t> row{1};
  for (int k = 1; k < n; ++k) row.push_back(row.back() * (n - k) / k);
  return row;
}

// --- gaussian ---

TEST(GeneratorGaussian, LiteralThreeBySigmaOne) {
  // [e^-1/2, 1, e^-1/2] / (1 + 2 e^-1/2), from Python's math.exp.
  const std::vector<double> g{0.274068619061197, 0.45186276187760605, 0.274068619061197};
  const Kernel k = generate_kernel("gaussian:3:1");
  EXPECT_LT(max_abs_difference(k.values, outer(g, g)), 1e-16);
  EXPECT_EQ(k.name, "gaussian:3:1");
  EXPECT_EQ(k.description, "Gaussian 3x3, sigma 1");
}

TEST(GeneratorGaussian, MatchesTheSampledNormalizedFormula) {
  for (const int size : {1, 3, 5, 7, 9, 15, 31, 101}) {
    for (const double sigma : {0.3, 0.8, 1.0, 1.4, 3.0, 25.0}) {
      std::vector<double> g(size);
      double sum = 0;
      for (int i = 0; i < size; ++i) {
        const double x = i - size / 2;
        g[i] = std::exp(-x * x / (2 * sigma * sigma));
        sum += g[i];
      }
      for (double& v : g) v /= sum;
      const Kernel k = gaussian_kernel(size, sigma);
      EXPECT_LT(max_abs_difference(k.values, outer(g, g)), 4e-16) << size << " " << sigma;
      EXPECT_NEAR(cv::sum(k.values)[0], 1.0, 1e-13);
    }
  }
}

TEST(GeneratorGaussian, DefaultSigmaIsOpenCvs) {
  EXPECT_DOUBLE_EQ(default_gaussian_sigma(3), 0.8);
  EXPECT_DOUBLE_EQ(default_gaussian_sigma(5), 1.1);
  EXPECT_DOUBLE_EQ(default_gaussian_sigma(7), 1.4);
  EXPECT_DOUBLE_EQ(default_gaussian_sigma(9), 1.7);
  const Kernel k = generate_kernel("gaussian:5");
  EXPECT_EQ(k.name, "gaussian:5");
  EXPECT_EQ(k.description, "Gaussian 5x5, sigma 1.1");
  EXPECT_LT(max_abs_difference(k.values, generate_kernel("gaussian:5:1.1").values), 1e-16);
}

TEST(GeneratorGaussian, Errors) {
  expect_rejected("gaussian:4:1", "SIZE must be an odd integer from 1 to 1025, got '4'");
  expect_rejected("gaussian:0", "SIZE must be an odd integer");
  expect_rejected("gaussian:1027", "SIZE must be an odd integer");
  expect_rejected("gaussian:5.0", "got '5.0'");
  expect_rejected("gaussian:x", "got 'x'");
  expect_rejected("gaussian:5:0", "SIGMA must be > 0, got '0'");
  expect_rejected("gaussian:5:-1", "SIGMA must be > 0");
  expect_rejected("gaussian:5:nan", "SIGMA: 'nan' is NaN");
  expect_rejected("gaussian:5:inf", "SIGMA: 'inf' is infinite");
  expect_rejected("gaussian:5:1e999", "out of the range");
  expect_rejected("gaussian:5:1:2", "expected gaussian:SIZE[:SIGMA]");
  expect_rejected("gaussian:", "SIZE must be an odd integer");
  expect_rejected("gaussian", "expected gaussian:SIZE[:SIGMA]");
}

// --- box ---

TEST(GeneratorBox, AllOneOverSizeSquared) {
  const Kernel three = generate_kernel("box:3");
  EXPECT_TRUE(same(three.values, cv::Mat1d(3, 3, 1.0 / 9)));
  EXPECT_EQ(three.description, "Box (mean) 3x3");
  EXPECT_TRUE(same(generate_kernel("box:25").values, cv::Mat1d(25, 25, 1.0 / 625)));
  EXPECT_TRUE(same(generate_kernel("box:1").values, cv::Mat1d(1, 1, 1.0)));
  EXPECT_EQ(generate_kernel("box:1025").values(1024, 1024), 1.0 / (1025 * 1025));
}

TEST(GeneratorBox, Errors) {
  expect_rejected("box:2", "SIZE must be an odd integer from 1 to 1025, got '2'");
  expect_rejected("box:-3", "got '-3'");
  expect_rejected("box:1027", "got '1027'");
  expect_rejected("box:3:1", "expected box:SIZE");
}

// --- binomial ---

TEST(GeneratorBinomial, Literals) {
  const std::vector<double> three{1, 2, 1}, five{1, 4, 6, 4, 1};
  EXPECT_TRUE(same(generate_kernel("binomial:1").values, cv::Mat1d(1, 1, 1.0)));
  EXPECT_TRUE(same(generate_kernel("binomial:3").values, outer(three, three) / 16));
  EXPECT_TRUE(same(generate_kernel("binomial:5").values, outer(five, five) / 256));
  EXPECT_EQ(generate_kernel("binomial:5").description, "Binomial 5x5");
}

TEST(GeneratorBinomial, EqualsOpenCvsFixedSmallGaussians) {
  // getGaussianKernel(n, 0) uses a fixed table for n <= 7; for 3 and 5 it is binomial.
  for (const int size : {1, 3, 5}) {
    const cv::Mat1d g = cv::getGaussianKernel(size, 0, CV_64F);
    EXPECT_TRUE(same(binomial_kernel(size).values, cv::Mat1d(g * g.t()))) << size;
  }
}

TEST(GeneratorBinomial, ExactPascalRowsOver4ToTheSizeMinusOne) {
  // Up to 27 taps the products of binomial coefficients stay below 2^53: exact in doubles.
  for (int size = 1; size <= 27; size += 2) {
    const auto row = pascal_row(size);
    cv::Mat1d expected(size, size);
    for (int r = 0; r < size; ++r) {
      for (int c = 0; c < size; ++c) {
        expected(r, c) = static_cast<double>(row[r] * row[c]) / std::ldexp(1.0, 2 * (size - 1));
      }
    }
    EXPECT_TRUE(same(binomial_kernel(size).values, expected)) << size;
  }
}

TEST(GeneratorBinomial, LargestSizeStaysFiniteAndNormalized) {
  const Kernel k = generate_kernel("binomial:1025");
  EXPECT_NEAR(cv::sum(k.values)[0], 1.0, 1e-12);
  EXPECT_GT(k.values(512, 512), 0.0);
  EXPECT_EQ(k.values(0, 512), k.values(1024, 512));
}

TEST(GeneratorBinomial, Errors) {
  expect_rejected("binomial:6", "got '6'");
  expect_rejected("binomial:1027", "got '1027'");
  expect_rejected("binomial:5:1", "expected binomial:SIZE");
}

// --- sobel ---

TEST(GeneratorSobel, LiteralThreeAndFive) {
  const cv::Mat1d sobel_x = (cv::Mat1d(3, 3) << -1, 0, 1, -2, 0, 2, -1, 0, 1);
  EXPECT_TRUE(same(generate_kernel("sobel:3:1:0").values, sobel_x));
  EXPECT_TRUE(same(generate_kernel("sobel:3:0:1").values, cv::Mat1d(sobel_x.t())));
  EXPECT_TRUE(same(generate_kernel("sobel:3:2:0").values,
                   (cv::Mat1d(3, 3) << 1, -2, 1, 2, -4, 2, 1, -2, 1)));
  EXPECT_TRUE(same(generate_kernel("sobel:3:1:1").values,
                   (cv::Mat1d(3, 3) << 1, 0, -1, 0, 0, 0, -1, 0, 1)));
  EXPECT_TRUE(
      same(generate_kernel("sobel:5:1:0").values, outer({1, 4, 6, 4, 1}, {-1, -2, 0, 2, 1})));
  EXPECT_EQ(generate_kernel("sobel:5:1:0").description, "Sobel 5x5, dx 1, dy 0");
}

TEST(GeneratorSobel, EqualsPolynomialProductsForEveryOddSize) {
  for (int size = 3; size <= 31; size += 2) {
    for (int dx = 0; dx <= 3 && dx < size; ++dx) {
      for (int dy = 0; dy <= 3 && dy < size; ++dy) {
        if (dx + dy == 0) continue;
        const cv::Mat1d expected = outer(sobel_1d(size, dy), sobel_1d(size, dx));
        EXPECT_TRUE(same(sobel_kernel(size, dx, dy).values, expected))
            << size << " " << dx << " " << dy;
      }
    }
  }
}

TEST(GeneratorSobel, EqualsOpenCvDerivKernelsForEveryOddSize) {
  for (int size = 3; size <= 31; size += 2) {
    for (const auto& [dx, dy] : {std::pair{1, 0}, {0, 1}, {1, 1}, {2, 0}, {0, 2}, {2, 1}}) {
      cv::Mat kx, ky;
      cv::getDerivKernels(kx, ky, dx, dy, size, false, CV_64F);
      const cv::Mat1d expected = ky * kx.t();
      const std::string spec = fmt::format("sobel:{}:{}:{}", size, dx, dy);
      EXPECT_TRUE(same(parse_kernel(spec).values, expected)) << spec;
    }
  }
}

TEST(GeneratorSobel, Errors) {
  expect_rejected("sobel:1:1:0", "SIZE must be an odd integer from 3 to 31, got '1'");
  expect_rejected("sobel:33:1:0", "got '33'");
  expect_rejected("sobel:4:1:0", "got '4'");
  expect_rejected("sobel:3:0:0", "DX + DY must be at least 1");
  expect_rejected("sobel:3:3:0", "DX must be an integer from 0 to SIZE - 1 = 2, got '3'");
  expect_rejected("sobel:3:0:3", "DY must be an integer from 0 to SIZE - 1 = 2, got '3'");
  expect_rejected("sobel:3:-1:1", "DX must be");
  expect_rejected("sobel:3:a:1", "DX must be");
  expect_rejected("sobel:3:1", "expected sobel:SIZE:DX:DY");
  expect_rejected("sobel:3:1:0:0", "expected sobel:SIZE:DX:DY");
}

// --- log ---

/// The continuous LoG of the unit-area Gaussian by central differences of the Gaussian itself.
double log_by_finite_differences(double x, double y, double sigma) {
  const auto g = [sigma](double u, double v) {
    return std::exp(-(u * u + v * v) / (2 * sigma * sigma)) / (2 * CV_PI * sigma * sigma);
  };
  const double h = 1e-3;
  return (g(x + h, y) + g(x - h, y) + g(x, y + h) + g(x, y - h) - 4 * g(x, y)) / (h * h);
}

TEST(GeneratorLog, MatchesFiniteDifferencesOfTheGaussianMinusTheMean) {
  for (const int size : {3, 9, 15}) {
    for (const double sigma : {0.8, 1.4, 2.5}) {
      cv::Mat1d expected(size, size);
      for (int r = 0; r < size; ++r) {
        for (int c = 0; c < size; ++c) {
          expected(r, c) = log_by_finite_differences(c - size / 2, r - size / 2, sigma);
        }
      }
      expected -= cv::mean(expected)[0];
      const Kernel k = log_kernel(size, sigma);
      const double peak = cv::norm(expected, cv::NORM_INF);
      EXPECT_LT(max_abs_difference(k.values, expected), 1e-6 * peak) << size << " " << sigma;
    }
  }
}

TEST(GeneratorLog, SumsToZeroSymmetricNegativeCentre) {
  const Kernel k = generate_kernel("log:9:1.4");
  EXPECT_NEAR(cv::sum(k.values)[0], 0.0, 1e-15);
  cv::Mat1d flipped;
  cv::flip(k.values, flipped, -1);
  EXPECT_TRUE(same(k.values, flipped));
  EXPECT_TRUE(same(k.values, cv::Mat1d(k.values.t())));
  EXPECT_LT(k.values(4, 4), 0.0);
  EXPECT_EQ(k.description, "Laplacian of Gaussian 9x9, sigma 1.4");
}

TEST(GeneratorLog, LiteralThreeBySigmaOne) {
  // Centre -1/pi, edges -e^-1/2 / (2 pi), corners 0; minus their mean (Python's math module).
  const double centre = -0.3183098861837907, edge = -0.09653235263005391;
  const double mean = (centre + 4 * edge) / 9;
  const cv::Mat1d expected = (cv::Mat1d(3, 3) << -mean, edge - mean, -mean, edge - mean,
                              centre - mean, edge - mean, -mean, edge - mean, -mean);
  EXPECT_LT(max_abs_difference(generate_kernel("log:3:1").values, expected), 1e-16);
}

TEST(GeneratorLog, DefaultSigmaIsSizeMinusOneOverSix) {
  EXPECT_DOUBLE_EQ(default_log_sigma(9), 4.0 / 3);
  EXPECT_DOUBLE_EQ(default_log_sigma(7), 1.0);
  EXPECT_TRUE(same(generate_kernel("log:7").values, generate_kernel("log:7:1").values));
}

TEST(GeneratorLog, Errors) {
  expect_rejected("log:1", "SIZE must be an odd integer from 3 to 1025, got '1'");
  expect_rejected("log:4:1", "got '4'");
  expect_rejected("log:9:0", "SIGMA must be > 0");
  expect_rejected("log:9:-1.4", "SIGMA must be > 0");
  expect_rejected("log:9:nan", "NaN");
  expect_rejected("log:9:1:1", "expected log:SIZE[:SIGMA]");
}

TEST(GeneratorSpec, RecognizesOnlyKnownPrefixes) {
  EXPECT_TRUE(is_generator_spec("gaussian:5"));
  EXPECT_TRUE(is_generator_spec("log:"));
  EXPECT_FALSE(is_generator_spec("gaussian"));
  EXPECT_FALSE(is_generator_spec("gauss:5"));
  EXPECT_FALSE(is_generator_spec("3x3: 1 2 3"));
}

}  // namespace
}  // namespace sepconv
