// ImageMagick's built-in convolution kernels ("Gaussian:0x2", "Sobel:90", "Laplacian:2"), computed
// the way ImageMagick 6 computes them (MagickCore/morphology.c, AcquireKernelBuiltIn and
// RotateKernelInfo; gem.c, GetOptimalKernelWidth1D/2D), so that a kernel string copied from an
// ImageMagick command gives the same coefficients, origin and size. tests/kernel/magick_test.cpp
// compares every one with what /usr/bin/convert -define morphology:showKernel=1 prints.
//
// The arguments follow ImageMagick's geometry: "RADIUSxSIGMA+ANGLE", or "RADIUS,SIGMA,XI"; a
// missing number is 0. These are ImageMagick kernels: its -morphology Convolve rotates them by 180
// degrees (a true convolution), so `sepconv --convolve` gives the same result, and
// -morphology Correlate uses them as they are, as sepconv does by default (docs/kernels.md).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>
#include <vector>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "kernel/syntaxes.hpp"

namespace sepconv::syntax {

namespace {

constexpr double kMagickEpsilon = 1e-12;             // ImageMagick 6's MagickEpsilon
constexpr double kQuantumScale = 1.0 / 65535.0;      // 1 / QuantumRange of the Q16 build
constexpr double kSqrt2 = 1.41421356237309504880;    // MagickSQ2
constexpr double kSqrt2Pi = 2.50662827463100024161;  // MagickSQ2PI
constexpr int kMaxBinomialRadius = 8;  // ImageMagick's size_t factorials overflow beyond this

/// The numbers of a kernel's geometry; an absent one is 0, as in ImageMagick.
struct Args {
  double rho = 0, sigma = 0, xi = 0, psi = 0;
  bool has_rho = false;
};

/// An ImageMagick kernel while it is built: row-major values, origin (x, y).
struct Built {
  int width = 0, height = 0, x = 0, y = 0;
  std::vector<double> values;
};

std::string lower(std::string_view s) {
  std::string result(s);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

/// Reads a number at the start of `s` (a '+' sign allowed) and consumes it.
bool take_number(std::string_view& s, double& value) {
  std::string_view digits = s;
  if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || !std::isfinite(value)) return false;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return true;
}

/// "RHOxSIGMA+XI+PSI" or "RHO,SIGMA,XI,PSI", each part optional from the right.
Args parse_geometry(std::string_view text, const std::string& spec) {
  Args args;
  std::string_view s = text;
  const auto fail = [&] {
    return Error(spec, fmt::format("cannot read the arguments '{}': expected numbers as in "
                                   "'0x1.5', '2,1,2' or '90'",
                                   echo(text)));
  };
  double* const fields[] = {&args.rho, &args.sigma, &args.xi, &args.psi};
  for (int i = 0; i < 4 && !s.empty(); ++i) {
    if (i > 0) {
      const bool after_size = i == 1 && (s[0] == 'x' || s[0] == 'X');
      const bool signed_offset = i >= 2 && (s[0] == '+' || s[0] == '-');
      if (s[0] == ',' || after_size) {
        s.remove_prefix(1);
      } else if (!signed_offset) {
        throw fail();
      }
    }
    if (!take_number(s, *fields[i])) throw fail();
    if (i == 0) args.has_rho = true;
  }
  if (!s.empty()) throw fail();
  return args;
}

Built from_rows(int side, std::vector<double> values) {
  return Built{side, side, (side - 1) / 2, (side - 1) / 2, std::move(values)};
}

/// Checks a size computed from the arguments before anything is allocated.
int checked_width(double width, const std::string& spec) {
  if (!(width >= 1) || width > kMaxKernelSide) {
    throw Error(spec, fmt::format("the kernel would be {:.0f} wide, more than the limit of {}",
                                  width, kMaxKernelSide));
  }
  return static_cast<int>(width);
}

/// gem.c GetOptimalKernelWidth1D: the narrowest odd width whose edge falls below one quantum.
double optimal_width_1d(double radius, double sigma) {
  if (radius > kMagickEpsilon) return 2.0 * std::ceil(radius) + 1.0;
  const double gamma = std::fabs(sigma);
  if (gamma <= kMagickEpsilon) return 3;
  const double alpha = 1.0 / (2.0 * gamma * gamma);
  const double beta = 1.0 / (kSqrt2Pi * gamma);
  for (int width = 5;; width += 2) {
    if (width > kMaxKernelSide + 2) return width;  // refused by checked_width
    double normalize = 0;
    const int j = (width - 1) / 2;
    for (int i = -j; i <= j; ++i) normalize += std::exp(-(double(i) * i) * alpha) * beta;
    const double value = std::exp(-(double(j) * j) * alpha) * beta / normalize;
    if (value < kQuantumScale || value < kMagickEpsilon) return width - 2;
  }
}

/// gem.c GetOptimalKernelWidth2D. Its double sum over the square is a product of two row sums,
/// computed here as such so a hostile sigma cannot cost seconds (the same sum, up to rounding).
double optimal_width_2d(double radius, double sigma) {
  if (radius > kMagickEpsilon) return 2.0 * std::ceil(radius) + 1.0;
  const double gamma = std::fabs(sigma);
  if (gamma <= kMagickEpsilon) return 3;
  const double alpha = 1.0 / (2.0 * gamma * gamma);
  const double beta = 1.0 / (2 * M_PI * gamma * gamma);
  for (int width = 5;; width += 2) {
    if (width > kMaxKernelSide + 2) return width;
    const int j = (width - 1) / 2;
    double row = 0;
    for (int i = -j; i <= j; ++i) row += std::exp(-(double(i) * i) * alpha);
    const double normalize = row * row * beta;
    const double value = std::exp(-(double(j) * j) * alpha) * beta / normalize;
    if (value < kQuantumScale || value < kMagickEpsilon) return width - 2;
  }
}

/// CalcKernelMetaData then ScaleKernelInfo(kernel, 1.0, CorrelateNormalizeValue): values below
/// MagickEpsilon become 0, positive values are scaled to sum to 1 and negative ones to -1.
void correlate_normalize(Built& kernel) {
  double positive = 0, negative = 0;
  for (double& v : kernel.values) {
    if (std::fabs(v) < kMagickEpsilon) v = 0;
    (v < 0 ? negative : positive) += v;
  }
  const double positive_scale = 1.0 / (std::fabs(positive) >= kMagickEpsilon ? positive : 1.0);
  const double negative_scale = 1.0 / (std::fabs(negative) >= kMagickEpsilon ? -negative : 1.0);
  for (double& v : kernel.values) v *= v >= 0 ? positive_scale : negative_scale;
}

/// Adds sign * a sampled 2D Gaussian of `sigma`, or a unit impulse when sigma is 0.
void add_gaussian(Built& kernel, double sigma, double sign) {
  if (sigma <= kMagickEpsilon) {
    kernel.values[kernel.x + kernel.y * kernel.width] += sign;
    return;
  }
  const double a = 1.0 / (2.0 * sigma * sigma);
  const double b = 1.0 / (2 * M_PI * sigma * sigma);
  std::size_t i = 0;
  for (int v = -kernel.y; v <= kernel.y; ++v) {
    for (int u = -kernel.x; u <= kernel.x; ++u, ++i) {
      kernel.values[i] += sign * std::exp(-double(u * u + v * v) * a) * b;
    }
  }
}

enum class Kind { gaussian, log, dog };

/// Gaussian:RxS, LoG:RxS and DoG:R,S1,S2 (the difference of two Gaussians, S1 minus S2).
Built gaussian_family(Kind kind, const Args& args, const std::string& spec) {
  const double sigma = std::fabs(args.sigma), sigma2 = std::fabs(args.xi);
  double width = 0;
  if (args.rho >= 1.0) {
    width = std::floor(args.rho) * 2 + 1;
  } else {
    width = optimal_width_2d(args.rho, kind != Kind::dog || sigma >= sigma2 ? sigma : sigma2);
  }
  const int side = checked_width(width, spec);
  Built kernel = from_rows(side, std::vector<double>(std::size_t(side) * side, 0.0));
  if (kind == Kind::log) {
    if (sigma > kMagickEpsilon) {
      const double a = 1.0 / (2.0 * sigma * sigma);
      const double b = 1.0 / (M_PI * sigma * sigma * sigma * sigma);
      std::size_t i = 0;
      for (int v = -kernel.y; v <= kernel.y; ++v) {
        for (int u = -kernel.x; u <= kernel.x; ++u, ++i) {
          const double r = double(u * u + v * v) * a;
          kernel.values[i] = (1 - r) * std::exp(-r) * b;
        }
      }
    } else {
      kernel.values[kernel.x + kernel.y * kernel.width] = 1.0;
    }
  } else {
    add_gaussian(kernel, sigma, 1.0);
    if (kind == Kind::dog) add_gaussian(kernel, sigma2, -1.0);
  }
  correlate_normalize(kernel);
  return kernel;
}

/// ImageMagick's RotateKernelInfo for the cases its named kernels reach: 45 degree steps of a 3x3
/// kernel, 90 degree turns of a line or a square, and 180 degree reversals. `blur` is Blur's rule
/// that a 180 degree turn of a symmetric line changes nothing.
void rotate(Built& kernel, double angle, bool blur, const std::string& spec) {
  angle = std::fmod(angle, 360.0);
  if (angle < 0) angle += 360.0;
  if (337.5 < angle || angle <= 22.5) return;
  if (blur) {
    if (135.0 < angle && angle <= 225.0) return;
    if (225.0 < angle && angle <= 315.0) angle -= 180;
  }
  std::vector<double>& k = kernel.values;
  if (22.5 < std::fmod(angle, 90.0) && std::fmod(angle, 90.0) <= 67.5) {
    if (kernel.width != 3 || kernel.height != 3) {
      // ImageMagick prints "Unable to rotate" and goes on with the kernel unrotated.
      throw Error(spec, "ImageMagick can turn only 3x3 kernels by 45 degrees");
    }
    const double t = k[0];
    k[0] = k[3], k[3] = k[6], k[6] = k[7], k[7] = k[8];
    k[8] = k[5], k[5] = k[2], k[2] = k[1], k[1] = t;
    angle = std::fmod(angle + 315.0, 360.0);
  }
  if (45.0 < std::fmod(angle, 180.0) && std::fmod(angle, 180.0) <= 135.0) {
    if (kernel.width == 1 || kernel.height == 1) {
      std::swap(kernel.width, kernel.height);  // a line: the same values, turned
      std::swap(kernel.x, kernel.y);
      angle = std::fmod(angle + (kernel.width == 1 ? 270.0 : 90.0), 360.0);
    } else if (kernel.width == kernel.height) {
      const int n = kernel.width;
      std::vector<double> turned(k.size());
      for (int r = 0; r < n; ++r) {
        for (int c = 0; c < n; ++c) turned[r * n + c] = k[(n - 1 - c) * n + r];  // clockwise
      }
      k.swap(turned);
      const int x = kernel.x * 2 - n + 1, y = kernel.y * 2 - n + 1;
      kernel.x = (-y + n - 1) / 2;
      kernel.y = (x + n - 1) / 2;
      angle = std::fmod(angle + 270.0, 360.0);
    } else {
      throw Error(spec, "ImageMagick can turn only square or one-line kernels by 90 degrees");
    }
  }
  if (135.0 < angle && angle <= 225.0) {
    std::reverse(k.begin(), k.end());
    kernel.x = kernel.width - kernel.x - 1;
    kernel.y = kernel.height - kernel.y - 1;
  }
}

/// Blur:RxS+ANGLE: a 1D Gaussian sampled at three points a tap and summed, as ImageMagick does
/// ("KernelRank 3", from Photoshop by its comments), normalized, then turned.
Built blur(const Args& args, const std::string& spec) {
  const double sigma = std::fabs(args.sigma);
  const double width_d =
      args.rho >= 1.0 ? std::floor(args.rho) * 2 + 1 : optimal_width_1d(args.rho, sigma);
  const int width = checked_width(width_d, spec);
  Built kernel{width, 1, (width - 1) / 2, 0, std::vector<double>(std::size_t(width), 0.0)};
  constexpr int kRank = 3;
  if (sigma > kMagickEpsilon) {
    const int v = (width * kRank - 1) / 2;
    const double s = sigma * kRank;
    const double alpha = 1.0 / (2.0 * s * s);
    const double beta = 1.0 / (kSqrt2Pi * s);
    for (int u = -v; u <= v; ++u)
      kernel.values[(u + v) / kRank] += std::exp(-double(u * u) * alpha) * beta;
  } else {
    kernel.values[kernel.x] = 1.0;
  }
  correlate_normalize(kernel);
  rotate(kernel, args.xi, true, spec);
  return kernel;
}

/// Comet:RxS+ANGLE: half a Blur, starting at the origin, normalized to sum 1.
Built comet(const Args& args, const std::string& spec) {
  const double sigma = std::fabs(args.sigma);
  const double width_d = args.rho < 1.0
                             ? std::floor((optimal_width_1d(args.rho, sigma) - 1) / 2) + 1
                             : std::floor(args.rho);
  const int width = checked_width(width_d, spec);
  Built kernel{width, 1, 0, 0, std::vector<double>(std::size_t(width), 0.0)};
  constexpr int kRank = 3;
  if (sigma > kMagickEpsilon) {
    const double s = sigma * kRank;
    const double a = 1.0 / (2.0 * s * s);
    for (int u = 0; u < width * kRank; ++u)
      kernel.values[u / kRank] += std::exp(-double(u * u) * a);
  } else {
    kernel.values[0] = 1.0;
  }
  double sum = 0;
  for (double v : kernel.values) sum += v;
  for (double& v : kernel.values) v /= sum;
  rotate(kernel, args.xi, false, spec);
  return kernel;
}

/// Binomial:R: the outer product of row 2R of Pascal's triangle with itself, not normalized.
Built binomial(const Args& args, const std::string& spec) {
  if (args.rho >= kMaxBinomialRadius + 1) {
    throw Error(spec, fmt::format("ImageMagick's Binomial overflows beyond radius {} (use "
                                  "sepconv's binomial:SIZE)",
                                  kMaxBinomialRadius));
  }
  const int side = args.rho < 1.0 ? 3 : static_cast<int>(args.rho) * 2 + 1;
  std::vector<double> row{1.0};
  for (int n = 1; n < side; ++n) {
    std::vector<double> next(row.size() + 1, 0.0);
    for (std::size_t k = 0; k < next.size(); ++k) {
      next[k] = (k > 0 ? row[k - 1] : 0.0) + (k < row.size() ? row[k] : 0.0);
    }
    row.swap(next);
  }
  std::vector<double> values;
  for (double a : row) {
    for (double b : row) values.push_back(a * b);
  }
  return from_rows(side, std::move(values));
}

/// The table a TYPE argument names (Laplacian, FreiChen): its whole part, or 0 beyond +-30, where
/// no table is (and where a cast to int could overflow: Laplacian:1e55).
int table_type(double rho) {
  return std::fabs(rho) > 30 ? 0 : static_cast<int>(rho);
}

/// Laplacian:TYPE, ImageMagick's fixed tables; an unknown type is type 0, as in ImageMagick.
Built laplacian(const Args& args) {
  switch (table_type(args.rho)) {
    case 1:
      return from_rows(3, {0, -1, 0, -1, 4, -1, 0, -1, 0});
    case 2:
      return from_rows(3, {-2, 1, -2, 1, 4, 1, -2, 1, -2});
    case 3:
      return from_rows(3, {1, -2, 1, -2, 4, -2, 1, -2, 1});
    case 5:
      return from_rows(5, {-4, -1, 0,  -1, -4, -1, 2,  3,  2,  -1, 0,  3, 4,
                           3,  0,  -1, 2,  3,  2,  -1, -4, -1, 0,  -1, -4});
    case 7:
      return from_rows(7, {-10, -5, -2, -1, -2, -5, -10, -5, 0,   3,  4,  3,  0,  -5, -2, 3, 6,
                           7,   6,  3,  -2, -1, 4,  7,   8,  7,   4,  -1, -2, 3,  6,  7,  6, 3,
                           -2,  -5, 0,  3,  4,  3,  0,   -5, -10, -5, -2, -1, -2, -5, -10});
    case 15:
      return from_rows(5, {0,  0,  -1, 0,  0,  0,  -1, -2, -1, 0,  -1, -2, 16,
                           -2, -1, 0,  -1, -2, -1, 0,  0,  0,  -1, 0,  0});
    case 19:
      return from_rows(
          9, {0,  -1, -1, -2, -2, -2, -1, -1, 0,  -1, -2, -4, -5, -5, -5, -4, -2, -1, -1, -4, -5,
              -3, 0,  -3, -5, -4, -1, -2, -5, -3, 12, 24, 12, -3, -5, -2, -2, -5, 0,  24, 40, 24,
              0,  -5, -2, -2, -5, -3, 12, 24, 12, -3, -5, -2, -1, -4, -5, -3, 0,  -3, -5, -4, -1,
              -1, -2, -4, -5, -5, -5, -4, -2, -1, 0,  -1, -1, -2, -2, -2, -1, -1, 0});
    default:
      return from_rows(3, {-1, -1, -1, -1, 8, -1, -1, -1, -1});
  }
}

/// FreiChen:TYPE[xANGLE]: types 0, 1 (also 11) and 2; a TYPE beyond +-30 is an angle for type 0.
Built frei_chen(const Args& args, const std::string& spec) {
  const int type = table_type(args.rho);
  Built kernel;
  if (type == 1 || type == 11) {
    kernel = from_rows(3, {1, 0, -1, kSqrt2, 0, -kSqrt2, 1, 0, -1});
  } else if (type == 2) {
    kernel = from_rows(3, {1, kSqrt2, 0, kSqrt2, 0, -kSqrt2, 0, -kSqrt2, -1});
  } else if (type <= 0 || (type >= 3 && type <= 9)) {  // ImageMagick's default: type 0
    kernel = from_rows(3, {1, 0, -1, kSqrt2, 0, -kSqrt2, 1, 0, -1});
  } else {
    throw Error(spec, "FreiChen types other than 0, 1 and 2 are not supported");
  }
  if (type == 1 || type == 11 || type == 2) {
    for (double& v : kernel.values) v *= 1.0 / 2.0 * kSqrt2;
  }
  if (std::fabs(args.sigma) >= kMagickEpsilon) {
    rotate(kernel, args.sigma, false, spec);
  } else if (std::fabs(args.rho) > 30) {
    rotate(kernel, args.rho, false, spec);
  }
  return kernel;
}

/// A fixed 3x3 edge kernel turned by the first argument (Sobel:90).
Built turned(std::vector<double> values, const Args& args, const std::string& spec) {
  Built kernel = from_rows(3, std::move(values));
  rotate(kernel, args.rho, false, spec);
  return kernel;
}

struct Named {
  const char* name;
  Built (*build)(const Args&, const std::string&);
};

const Named kNamed[] = {
    {"Unity",
     [](const Args& a, const std::string&) { return from_rows(1, {a.has_rho ? a.rho : 1.0}); }},
    {"Gaussian",
     [](const Args& a, const std::string& s) { return gaussian_family(Kind::gaussian, a, s); }},
    {"LoG", [](const Args& a, const std::string& s) { return gaussian_family(Kind::log, a, s); }},
    {"DoG", [](const Args& a, const std::string& s) { return gaussian_family(Kind::dog, a, s); }},
    {"Blur", blur},
    {"Comet", comet},
    {"Binomial", binomial},
    {"Laplacian", [](const Args& a, const std::string&) { return laplacian(a); }},
    {"Sobel",
     [](const Args& a, const std::string& s) {
       return turned({1, 0, -1, 2, 0, -2, 1, 0, -1}, a, s);
     }},
    {"Roberts",
     [](const Args& a, const std::string& s) {
       return turned({0, 0, 0, 1, -1, 0, 0, 0, 0}, a, s);
     }},
    {"Prewitt",
     [](const Args& a, const std::string& s) {
       return turned({1, 0, -1, 1, 0, -1, 1, 0, -1}, a, s);
     }},
    {"Compass",
     [](const Args& a, const std::string& s) {
       return turned({1, 1, -1, 1, -2, -1, 1, 1, -1}, a, s);
     }},
    {"Kirsch",
     [](const Args& a, const std::string& s) {
       return turned({5, -3, -3, 5, 0, -3, 5, -3, -3}, a, s);
     }},
    {"FreiChen", frei_chen},
};

/// ImageMagick's morphology shapes and distance kernels: recognized, to say why they are refused.
const char* const kShapes[] = {"Disk",       "Square",    "Diamond",  "Octagon",       "Rectangle",
                               "Plus",       "Cross",     "Ring",     "Peaks",         "Edges",
                               "Corners",    "Diagonals", "LineEnds", "LineJunctions", "Ridges",
                               "ConvexHull", "ThinSE",    "Skeleton", "Chebyshev",     "Manhattan",
                               "Octagonal",  "Euclidean"};

std::string_view name_part(const std::string& spec) {
  return std::string_view(spec).substr(0, spec.find(':'));
}

const Named* find_named(const std::string& spec) {
  const std::string name = lower(name_part(spec));
  for (const Named& named : kNamed) {
    if (lower(named.name) == name) return &named;
  }
  return nullptr;
}

const char* find_shape(const std::string& spec) {
  const std::string name = lower(name_part(spec));
  for (const char* shape : kShapes) {
    if (lower(shape) == name) return shape;
  }
  return nullptr;
}

}  // namespace

bool is_magick_named(const std::string& spec) {
  return find_named(spec) != nullptr || find_shape(spec) != nullptr;
}

Kernel parse_magick_named(const std::string& spec) {
  if (const char* shape = find_shape(spec)) {
    throw Error(spec, fmt::format("ImageMagick's {} is a morphology shape, not a convolution "
                                  "kernel sepconv reads; write it as an array (\"3x3: ...\")",
                                  shape));
  }
  const Named* named = find_named(spec);
  if (named == nullptr) throw Error(spec, "not an ImageMagick kernel name");
  if (spec.find(';') != std::string::npos) {
    throw Error(spec, "a list of ImageMagick kernels (separated by ';') is not supported");
  }
  const auto colon = spec.find(':');
  const Args args = parse_geometry(
      colon == std::string::npos ? std::string_view() : std::string_view(spec).substr(colon + 1),
      spec);
  const Built built = named->build(args, spec);
  cv::Mat1d values(built.height, built.width);
  std::copy(built.values.begin(), built.values.end(), values.begin());
  return make_kernel(values, spec,
                     fmt::format("ImageMagick {} {}x{}+{}+{}", named->name, built.width,
                                 built.height, built.x, built.y),
                     cv::Point(built.x, built.y));
}

const std::vector<std::string>& magick_kernel_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const Named& named : kNamed) all.push_back(named.name);
    return all;
  }();
  return names;
}

}  // namespace sepconv::syntax
