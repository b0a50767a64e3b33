#include "kernel/generators.hpp"

#include <fmt/format.h>

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string_view>
#include <vector>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "kernel/text.hpp"

namespace sepconv {

namespace {

constexpr int kMaxSobelSide = 31;  // cv::getDerivKernels asserts ksize <= 31

/// The fields of a spec split at ':'; field 0 is the generator name.
std::vector<std::string_view> split_spec(std::string_view spec) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto colon = spec.find(':', start);
    parts.push_back(text::trim(spec.substr(start, colon - start)));
    if (colon == std::string_view::npos) return parts;
    start = colon + 1;
  }
}

/// Checks the field count against the usage line and names the spec in the error.
void expect_fields(const std::vector<std::string_view>& parts, std::size_t min, std::size_t max,
                   const std::string& spec, std::string_view usage) {
  if (parts.size() >= min && parts.size() <= max) return;
  throw Error(spec, fmt::format("expected {}", usage));
}

int odd_size(std::string_view field, int min, int max, const std::string& name) {
  int size = 0;
  if (!text::parse_int(field, size) || size < min || size > max || size % 2 == 0) {
    throw Error(name, fmt::format("SIZE must be an odd integer from {} to {}, got '{}'", min, max,
                                  echo(field)));
  }
  return size;
}

double positive_sigma(std::string_view field, const std::string& name) {
  const text::Real sigma = text::parse_real(field);
  if (!sigma.ok()) throw Error(name, fmt::format("SIGMA: {}", sigma.error));
  if (sigma.value <= 0) throw Error(name, fmt::format("SIGMA must be > 0, got '{}'", echo(field)));
  return sigma.value;
}

int derivative_order(std::string_view field, std::string_view which, int size,
                     const std::string& name) {
  int order = 0;
  if (!text::parse_int(field, order) || order < 0 || order >= size) {
    throw Error(name, fmt::format("{} must be an integer from 0 to SIZE - 1 = {}, got '{}'", which,
                                  size - 1, echo(field)));
  }
  return order;
}

void check_odd_size(int size, int min, int max, const std::string& name) {
  if (size >= min && size <= max && size % 2 == 1) return;
  throw Error(name,
              fmt::format("SIZE must be an odd integer from {} to {}, got {}", min, max, size));
}

std::string gaussian_name(int size, double sigma) {
  return fmt::format("gaussian:{}:{}", size, sigma);
}
std::string log_name(int size, double sigma) {
  return fmt::format("log:{}:{}", size, sigma);
}

}  // namespace

bool is_generator_spec(const std::string& spec) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos) return false;
  const std::string_view name = std::string_view(spec).substr(0, colon);
  return name == "gaussian" || name == "box" || name == "binomial" || name == "sobel" ||
         name == "log";
}

double default_gaussian_sigma(int size) {
  return 0.3 * ((size - 1) * 0.5 - 1) + 0.8;
}

double default_log_sigma(int size) {
  return (size - 1) / 6.0;
}

Kernel gaussian_kernel(int size, double sigma) {
  const std::string name = gaussian_name(size, sigma);
  check_odd_size(size, 1, kMaxKernelSide, name);
  if (!(sigma > 0) || !std::isfinite(sigma)) throw Error(name, "SIGMA must be finite and > 0");
  const cv::Mat1d g = cv::getGaussianKernel(size, sigma, CV_64F);
  return make_kernel(g * g.t(), name, fmt::format("Gaussian {}x{}, sigma {:g}", size, size, sigma));
}

Kernel box_kernel(int size) {
  const std::string name = fmt::format("box:{}", size);
  check_odd_size(size, 1, kMaxKernelSide, name);
  // 1.0 / (size * size) rounds once; a product of two 1/size factors would round twice.
  return make_kernel(cv::Mat1d(size, size, 1.0 / (size * size)), name,
                     fmt::format("Box (mean) {}x{}", size, size));
}

Kernel binomial_kernel(int size) {
  const std::string name = fmt::format("binomial:{}", size);
  check_odd_size(size, 1, kMaxKernelSide, name);
  // Halving at every step keeps the row normalized, so it never overflows (C(1024, 512) alone
  // nearly does) and stays exact while the binomial coefficients fit in 53 bits.
  std::vector<double> row{1.0};
  for (int n = 1; n < size; ++n) {
    std::vector<double> next(row.size() + 1);
    for (std::size_t k = 0; k < next.size(); ++k) {
      const double left = k > 0 ? row[k - 1] : 0.0;
      const double right = k < row.size() ? row[k] : 0.0;
      next[k] = (left + right) * 0.5;
    }
    row.swap(next);
  }
  const cv::Mat1d g(row, true);
  return make_kernel(g * g.t(), name, fmt::format("Binomial {}x{}", size, size));
}

Kernel sobel_kernel(int size, int dx, int dy) {
  const std::string name = fmt::format("sobel:{}:{}:{}", size, dx, dy);
  check_odd_size(size, 3, kMaxSobelSide, name);
  if (dx < 0 || dy < 0 || dx >= size || dy >= size) {
    throw Error(name, fmt::format("DX and DY must be from 0 to SIZE - 1 = {}", size - 1));
  }
  if (dx + dy < 1) throw Error(name, "DX + DY must be at least 1");
  cv::Mat kx, ky;
  cv::getDerivKernels(kx, ky, dx, dy, size, false, CV_64F);
  const cv::Mat1d values = ky * kx.t();
  return make_kernel(values, name, fmt::format("Sobel {}x{}, dx {}, dy {}", size, size, dx, dy));
}

Kernel log_kernel(int size, double sigma) {
  const std::string name = log_name(size, sigma);
  check_odd_size(size, 3, kMaxKernelSide, name);
  if (!(sigma > 0) || !std::isfinite(sigma)) throw Error(name, "SIGMA must be finite and > 0");
  const int half = size / 2;
  const double two_sigma2 = 2 * sigma * sigma;
  const double peak = -1 / (CV_PI * sigma * sigma * sigma * sigma);
  cv::Mat1d values(size, size);
  for (int r = 0; r < size; ++r) {
    for (int c = 0; c < size; ++c) {
      const double x = c - half, y = r - half;
      const double q = (x * x + y * y) / two_sigma2;
      values(r, c) = peak * (1 - q) * std::exp(-q);
    }
  }
  values -= cv::mean(values)[0];
  return make_kernel(values, name,
                     fmt::format("Laplacian of Gaussian {}x{}, sigma {:g}", size, size, sigma));
}

Kernel generate_kernel(const std::string& spec) {
  const auto parts = split_spec(spec);
  const std::string_view kind = parts[0];
  Kernel kernel;
  if (kind == "gaussian") {
    expect_fields(parts, 2, 3, spec, "gaussian:SIZE[:SIGMA]");
    const int size = odd_size(parts[1], 1, kMaxKernelSide, spec);
    const double sigma =
        parts.size() == 3 ? positive_sigma(parts[2], spec) : default_gaussian_sigma(size);
    kernel = gaussian_kernel(size, sigma);
  } else if (kind == "box") {
    expect_fields(parts, 2, 2, spec, "box:SIZE");
    kernel = box_kernel(odd_size(parts[1], 1, kMaxKernelSide, spec));
  } else if (kind == "binomial") {
    expect_fields(parts, 2, 2, spec, "binomial:SIZE");
    kernel = binomial_kernel(odd_size(parts[1], 1, kMaxKernelSide, spec));
  } else if (kind == "sobel") {
    expect_fields(parts, 4, 4, spec, "sobel:SIZE:DX:DY");
    const int size = odd_size(parts[1], 3, kMaxSobelSide, spec);
    const int dx = derivative_order(parts[2], "DX", size, spec);
    const int dy = derivative_order(parts[3], "DY", size, spec);
    if (dx + dy < 1) throw Error(spec, "DX + DY must be at least 1");
    kernel = sobel_kernel(size, dx, dy);
  } else if (kind == "log") {
    expect_fields(parts, 2, 3, spec, "log:SIZE[:SIGMA]");
    const int size = odd_size(parts[1], 3, kMaxKernelSide, spec);
    const double sigma =
        parts.size() == 3 ? positive_sigma(parts[2], spec) : default_log_sigma(size);
    kernel = log_kernel(size, sigma);
  } else {
    throw Error(spec, "unknown generator (gaussian, box, binomial, sobel, log)");
  }
  kernel.name = spec;
  return kernel;
}

}  // namespace sepconv
