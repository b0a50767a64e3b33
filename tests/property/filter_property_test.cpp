// Property tests: the public entry points the CLI uses (analyze_kernel, make_plan, resolve_map,
// filter_image) over a generated matrix of kernels (integer with a scale, float, rank 1, 2 and 4,
// even sizes, explicit anchors), every mode, every border (fractional constants too), 1 to 4
// channels, u8/u16/s16/f32 inputs and outputs with every map, each plan run twice in one process;
// and the binary for a sample of them. The oracle is written here: explicit border indexing and
// double sums (exact rationals for integer kernels), sharing no code with sepconv's engines.
//
// SEPCONV_PROPERTY_CASES sets the number of generated cases (default 2000, a few seconds);
// SEPCONV_PROPERTY_SEED the first seed. A longer sweep: SEPCONV_PROPERTY_CASES=100000.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numeric>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "core/convert.hpp"
#include "core/error.hpp"
#include "engine/engine.hpp"
#include "engine/image_filter.hpp"
#include "kernel/parse.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {

long environment_number(const char* name, long fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::strtol(text, nullptr, 10) : fallback;
}

// ---------------------------------------------------------------------------------------------
// The oracle.

/// The in-image coordinate that coordinate p maps to, or -1 for a constant border. Written from
/// the definitions (OpenCV's names): reflect101 gfedcb|abcdefgh|gfedcba, reflect fedcba|abcdefgh|
/// hgfedcba, replicate aaaaaa|abcdefgh|hhhhhhh, wrap cdefgh|abcdefgh|abcdefg.
int oracle_index(int p, int n, BorderKind kind) {
  if (p >= 0 && p < n) return p;
  switch (kind) {
    case BorderKind::constant:
    case BorderKind::valid:
      return -1;
    case BorderKind::replicate:
      return p < 0 ? 0 : n - 1;
    case BorderKind::wrap:
      return ((p % n) + n) % n;
    case BorderKind::reflect:
      while (p < 0 || p >= n) p = p < 0 ? -p - 1 : 2 * n - 1 - p;
      return p;
    case BorderKind::reflect101:
      if (n == 1) return 0;
      while (p < 0 || p >= n) p = p < 0 ? -p : 2 * n - 2 - p;
      return p;
  }
  return -1;
}

/// A generated kernel: values = integers / denominator when `denominator` > 0 (exact oracle),
/// else plain doubles.
struct GeneratedKernel {
  cv::Mat1d values;
  cv::Mat1d integers;  ///< when denominator > 0
  long denominator = 0;
  cv::Point anchor;
  std::string label;
};

/// One oracle output pixel: the exact value when the kernel has integers and the image and border
/// are whole, as numerator / denominator; else a double sum. `magnitude` is sum |k| |x|.
struct OracleValue {
  double value = 0;
  double magnitude = 0;
  bool exact = false;
  long long numerator = 0;  ///< exact: value = numerator / denominator
};

struct OracleInput {
  const GeneratedKernel& kernel;
  const cv::Mat1d& plane;  ///< one channel, as doubles
  Border border;
  bool whole;  ///< pixels and border constant are whole numbers (exact sums possible)
};

OracleValue oracle_pixel(const OracleInput& in, int y, int x) {
  const GeneratedKernel& k = in.kernel;
  const bool valid = in.border.kind == BorderKind::valid;
  const cv::Point anchor = valid ? cv::Point(0, 0) : k.anchor;
  OracleValue out;
  out.exact = in.whole && k.denominator > 0;
  for (int r = 0; r < k.values.rows; ++r) {
    const int sy = oracle_index(y + r - anchor.y, in.plane.rows, in.border.kind);
    for (int c = 0; c < k.values.cols; ++c) {
      const int sx = oracle_index(x + c - anchor.x, in.plane.cols, in.border.kind);
      const double pixel = (sy < 0 || sx < 0) ? in.border.value : in.plane(sy, sx);
      out.value += k.values(r, c) * pixel;
      out.magnitude += std::abs(k.values(r, c) * pixel);
      if (out.exact) out.numerator += std::llround(k.integers(r, c)) * std::llround(pixel);
    }
  }
  if (out.exact) out.value = static_cast<double>(out.numerator) / k.denominator;
  return out;
}

/// Round half to even of numerator / denominator, exactly (denominator > 0).
long long round_exact(long long numerator, long long denominator) {
  long long q = numerator / denominator, r = numerator % denominator;
  if (r < 0) {
    q -= 1;
    r += denominator;
  }
  if (2 * r > denominator || (2 * r == denominator && q % 2 != 0)) ++q;
  return q;
}

double depth_min(int depth) {
  return depth == CV_16S ? -32768 : 0;
}
double depth_max(int depth) {
  return depth == CV_8U ? 255 : depth == CV_16U ? 65535 : 32767;
}
double mid_grey(int depth) {
  return depth == CV_8U ? 128 : depth == CV_16U ? 32768 : 0;
}

// ---------------------------------------------------------------------------------------------
// The generated matrix.

struct Case {
  GeneratedKernel kernel;
  std::string mode;
  Border border;
  int channels = 1;
  int in_depth = CV_8U;
  int out_depth = CV_8U;
  ValueMap map = ValueMap::clamp;
  cv::Mat image;
  std::string description;
};

cv::Mat1d random_integers(cv::RNG& rng, int rows, int cols, int low, int high) {
  cv::Mat1d m(rows, cols);
  for (double& v : m) v = rng.uniform(low, high + 1);
  return m;
}

cv::Mat1d random_reals(cv::RNG& rng, int rows, int cols) {
  cv::Mat1d m(rows, cols);
  for (double& v : m) v = rng.uniform(-1.0, 1.0);
  return m;
}

std::string fmt_label(const GeneratedKernel& k, int rank, bool integer);

/// A kernel of `rank` outer products (0: a dense random matrix), integer or real.
GeneratedKernel random_kernel(cv::RNG& rng) {
  GeneratedKernel k;
  const int rows = rng.uniform(1, 8), cols = rng.uniform(1, 8);
  const int shapes[] = {0, 1, 1, 2, 4};
  const int rank = shapes[rng.uniform(0, 5)];
  const bool integer = rng.uniform(0, 3) != 0;
  const long denominators[] = {1, 2, 9, 16, 20, 256};
  cv::Mat1d m = cv::Mat1d::zeros(rows, cols);
  if (rank == 0) {
    m = integer ? random_integers(rng, rows, cols, -5, 9) : random_reals(rng, rows, cols);
  } else {
    for (int t = 0; t < rank; ++t) {
      const cv::Mat1d column =
          integer ? random_integers(rng, rows, 1, -3, 4) : random_reals(rng, rows, 1);
      const cv::Mat1d row =
          integer ? random_integers(rng, 1, cols, -3, 4) : random_reals(rng, 1, cols);
      m += column * row;
    }
  }
  if (cv::countNonZero(m) == 0) m(0, 0) = 1;  // the all-zero kernel has its own tests
  if (integer) {
    k.denominator = denominators[rng.uniform(0, 6)];
    k.integers = m;
    k.values = m / static_cast<double>(k.denominator);
  } else {
    k.values = m;
  }
  const bool centred = rng.uniform(0, 2) == 0;
  k.anchor = centred ? cv::Point(cols / 2, rows / 2)
                     : cv::Point(rng.uniform(0, cols), rng.uniform(0, rows));
  k.label = fmt_label(k, rank, integer);
  return k;
}

cv::Mat random_image(cv::RNG& rng, cv::Size size, int channels, int depth) {
  cv::Mat image(size, CV_MAKETYPE(depth, channels));
  switch (depth) {
    case CV_8U:
      rng.fill(image, cv::RNG::UNIFORM, 0, 256);
      break;
    case CV_16U:
      rng.fill(image, cv::RNG::UNIFORM, 0, 65536);
      break;
    case CV_16S:
      rng.fill(image, cv::RNG::UNIFORM, -32768, 32768);
      break;
    default:
      rng.fill(image, cv::RNG::UNIFORM, -300.0, 300.0);
      break;
  }
  return image;
}

Border random_border(cv::RNG& rng) {
  const Border borders[] = {
      {BorderKind::reflect101, 0}, {BorderKind::reflect, 0},    {BorderKind::replicate, 0},
      {BorderKind::wrap, 0},       {BorderKind::valid, 0},      {BorderKind::constant, 0},
      {BorderKind::constant, 7},   {BorderKind::constant, 0.5}, {BorderKind::constant, -3.25}};
  return borders[rng.uniform(0, 9)];
}

Case random_case(cv::RNG& rng) {
  Case c;
  c.kernel = random_kernel(rng);
  const char* modes[] = {"auto", "full", "separable", "lowrank", "fft"};
  c.mode = modes[rng.uniform(0, 5)];
  c.border = random_border(rng);
  c.channels = rng.uniform(1, 5);
  const int in_depths[] = {CV_8U, CV_8U, CV_16U, CV_16S, CV_32F};
  const int out_depths[] = {CV_8U, CV_16U, CV_16S, CV_32F};
  const ValueMap maps[] = {ValueMap::automatic, ValueMap::clamp, ValueMap::abs, ValueMap::offset,
                           ValueMap::normalize};
  c.in_depth = in_depths[rng.uniform(0, 5)];
  c.out_depth = out_depths[rng.uniform(0, 4)];
  c.map = maps[rng.uniform(0, 5)];
  // Thin and tiny images included: 1 x 1 up to 13 x 13.
  cv::Size size(rng.uniform(1, 14), rng.uniform(1, 14));
  if (c.border.kind == BorderKind::valid) {
    size.width = std::max(size.width, c.kernel.values.cols);
    size.height = std::max(size.height, c.kernel.values.rows);
  }
  c.image = random_image(rng, size, c.channels, c.in_depth);
  return c;
}

std::string fmt_label(const GeneratedKernel& k, int rank, bool integer) {
  std::ostringstream text;
  text << k.values.rows << "x" << k.values.cols << (integer ? " integer/" : " float")
       << (integer ? std::to_string(k.denominator) : "") << " rank-shape " << rank << " anchor "
       << k.anchor.x << "," << k.anchor.y;
  return text.str();
}

std::string describe(const Case& c, const Plan& plan) {
  std::ostringstream text;
  text << c.kernel.label << ", mode " << c.mode << " -> " << plan.name() << " ("
       << arithmetic_name(plan.arithmetic) << "), border " << static_cast<int>(c.border.kind) << ":"
       << c.border.value << ", " << c.image.cols << "x" << c.image.rows << "x" << c.channels
       << " depth " << c.in_depth << " -> " << c.out_depth << " map " << value_map_name(c.map);
  return text.str();
}

// ---------------------------------------------------------------------------------------------
// Checking one case.

/// The worst float32 errors seen, relative to sum |k||x| (full, separable and low-rank) and to the
/// plane's largest sum |k||x| (FFT), and how many cases ran.
struct Tally {
  double full = 0, terms = 0, fft = 0;
  long cases = 0, exact_cases = 0, skipped = 0, samples = 0;
};

/// Whether the plan's sums are exact integers: an integer or float64 plan.
bool exact_plan(const Plan& plan) {
  return plan.arithmetic != Arithmetic::float32;
}

/// Every colour channel of the case through the oracle: values and magnitudes.
struct OraclePlane {
  std::vector<OracleValue> pixels;
  cv::Size size;
  double largest_magnitude = 0;  ///< sum |k| times the largest |pixel| (border constant included)
  const OracleValue& at(int y, int x) const {
    return pixels[static_cast<size_t>(y) * size.width + x];
  }
};

OraclePlane oracle_plane(const Case& c, const cv::Mat1d& plane) {
  const bool whole_pixels = c.in_depth != CV_32F;
  const bool whole_border =
      c.border.kind != BorderKind::constant || c.border.value == std::round(c.border.value);
  const OracleInput in{c.kernel, plane, c.border, whole_pixels && whole_border};
  OraclePlane out;
  out.size = c.border.kind == BorderKind::valid ? cv::Size(plane.cols - c.kernel.values.cols + 1,
                                                           plane.rows - c.kernel.values.rows + 1)
                                                : plane.size();
  for (int y = 0; y < out.size.height; ++y) {
    for (int x = 0; x < out.size.width; ++x) {
      out.pixels.push_back(oracle_pixel(in, y, x));
    }
  }
  // The FFT's error spreads over a tile: it follows the largest input, not the local sum.
  double largest_pixel = c.border.kind == BorderKind::constant ? std::abs(c.border.value) : 0.0;
  for (double v : plane) largest_pixel = std::max(largest_pixel, std::abs(v));
  out.largest_magnitude = cv::norm(c.kernel.values, cv::NORM_L1) * largest_pixel;
  return out;
}

/// The float32 error allowed at a pixel, in units of its value: each of the n products and sums
/// rounds once (n + 1 roundings of 2^-24), per term for separable and low-rank plans with their
/// vertical and horizontal passes, against the terms' own magnitudes (which can exceed sum |k||x|
/// when terms cancel); the FFT against the plane's largest magnitude.
double allowed_error(const Plan& plan, const OracleValue& value, const OraclePlane& plane,
                     double terms_magnitude) {
  constexpr double u = 1.0 / 16777216.0;
  switch (plan.mode) {
    case Mode::full:
      return (plan.rows * plan.cols + 2) * u * value.magnitude;
    case Mode::separable:
    case Mode::lowrank:
      return (plan.rows + plan.cols + plan.terms.size() + 3) * u * terms_magnitude;
    case Mode::fft:
      return 64 * u * plane.largest_magnitude * std::log2(double(plan.fft_tile) + 2);
  }
  return 0;
}

/// sum over terms of |column| |row| |x| at (y, x): the magnitudes a low-rank plan's passes add up.
double terms_magnitude(const Plan& plan, const Case& c, const cv::Mat1d& plane, int y, int x) {
  if (plan.mode != Mode::separable && plan.mode != Mode::lowrank) return 0;
  const bool valid = c.border.kind == BorderKind::valid;
  const cv::Point anchor = valid ? cv::Point(0, 0) : plan.anchor;
  double total = 0;
  for (const SeparableTerm& term : plan.terms) {
    for (int r = 0; r < plan.rows; ++r) {
      const int sy = oracle_index(y + r - anchor.y, plane.rows, c.border.kind);
      for (int col = 0; col < plan.cols; ++col) {
        const int sx = oracle_index(x + col - anchor.x, plane.cols, c.border.kind);
        const double pixel = (sy < 0 || sx < 0) ? c.border.value : plane(sy, sx);
        total += std::abs(term.column[r] * term.row[col] * term.scale * plan.scale * pixel);
      }
    }
  }
  return total;
}

/// The expected sample for an integer output depth from an exact value (numerator / denominator)
/// under clamp, abs or offset.
double exact_sample(long long numerator, long long denominator, int depth, ValueMap map) {
  if (map == ValueMap::abs) numerator = std::llabs(numerator);
  long long value = round_exact(numerator, denominator);
  if (map == ValueMap::offset) value += static_cast<long long>(mid_grey(depth));
  return std::clamp(static_cast<double>(value), depth_min(depth), depth_max(depth));
}

/// The sample a value maps to (double arithmetic), before rounding: clamp, abs, offset.
double mapped(double value, int depth, ValueMap map) {
  if (map == ValueMap::abs) value = std::abs(value);
  if (map == ValueMap::offset && depth != CV_32F) value += mid_grey(depth);
  return value;
}

/// The oracle's values and the samples side by side, for failure messages.
std::string planes_text(const OraclePlane& oracle, const cv::Mat1d& got) {
  std::ostringstream text;
  for (int y = 0; y < oracle.size.height; ++y) {
    for (int x = 0; x < oracle.size.width; ++x) text << oracle.at(y, x).value << " ";
    text << "| ";
    for (int x = 0; x < got.cols; ++x) text << got(y, x) << " ";
    text << "\n";
  }
  return text.str();
}

/// Checks one colour channel's output against the oracle; returns false (after reporting) at the
/// first sample that is wrong.
bool check_channel(const Case& c, const Plan& plan, ValueMap map, const cv::Mat1d& plane,
                   const cv::Mat& out, Tally& tally) {
  const OraclePlane oracle = oracle_plane(c, plane);
  if (out.size() != oracle.size) {
    ADD_FAILURE() << "size " << out.size() << " instead of " << oracle.size << ": "
                  << describe(c, plan);
    return false;
  }
  cv::Mat1d got;
  out.convertTo(got, CV_64F);
  // normalize: the plane's [min, max] to [0, top]; computed from the oracle's values.
  double low = 0, high = 0, widest_slack = 0;
  if (map == ValueMap::normalize) {
    low = high = oracle.pixels.front().value;
    for (int y = 0; y < oracle.size.height; ++y) {
      for (int x = 0; x < oracle.size.width; ++x) {
        const OracleValue& v = oracle.at(y, x);
        low = std::min(low, v.value);
        high = std::max(high, v.value);
        if (!exact_plan(plan)) {
          widest_slack = std::max(
              widest_slack, allowed_error(plan, v, oracle, terms_magnitude(plan, c, plane, y, x)));
        }
      }
    }
    // A plane whose values differ by no more than float32 error has no meaningful stretch: any
    // sample in range is right.
    if (high - low <= 4 * widest_slack + 1e-12 * (std::abs(low) + std::abs(high))) return true;
  }
  const double top = c.out_depth == CV_32F ? 1.0 : depth_max(c.out_depth);
  for (int y = 0; y < oracle.size.height; ++y) {
    for (int x = 0; x < oracle.size.width; ++x) {
      const OracleValue& v = oracle.at(y, x);
      const double sample = got(y, x);
      ++tally.samples;
      const double slack =
          exact_plan(plan) ? 0.0
                           : allowed_error(plan, v, oracle, terms_magnitude(plan, c, plane, y, x));
      std::ostringstream where;
      where << "at (" << x << ", " << y << "): got " << sample << ", oracle " << v.value
            << ", slack " << slack << "; " << describe(c, plan) << "\n"
            << planes_text(oracle, got) << "kernel " << c.kernel.values;
      if (map == ValueMap::normalize) {
        // The stretch amplifies float32 error by top / (high - low); allow one level on top.
        const double scale = high > low ? top / (high - low) : 0.0;
        const double expected = (v.value - low) * scale;
        const double tolerance = (2 * slack + 1e-9 * (std::abs(low) + std::abs(high))) * scale +
                                 (c.out_depth == CV_32F ? 1e-6 : 1.0);
        if (std::abs(sample - std::clamp(expected, c.out_depth == CV_32F ? -1e300 : 0.0,
                                         c.out_depth == CV_32F ? 1e300 : top)) > tolerance) {
          ADD_FAILURE() << "normalize " << where.str();
          return false;
        }
        continue;
      }
      if (c.out_depth == CV_32F) {
        const double expected = mapped(v.value, CV_32F, map);
        const double error = std::abs(sample - expected);
        // The float32 output itself rounds once more.
        if (error > slack + std::abs(expected) * 1.2e-7 + 1e-300) {
          ADD_FAILURE() << where.str();
          return false;
        }
        if (!exact_plan(plan) && map == ValueMap::clamp && v.magnitude > 0) {
          const double relative =
              plan.mode == Mode::fft ? error / oracle.largest_magnitude : error / v.magnitude;
          double& worst = plan.mode == Mode::full  ? tally.full
                          : plan.mode == Mode::fft ? tally.fft
                                                   : tally.terms;
          worst = std::max(worst, relative);
        }
        continue;
      }
      if (exact_plan(plan) && v.exact) {
        const double expected = exact_sample(v.numerator, c.kernel.denominator, c.out_depth, map);
        if (sample != expected) {
          ADD_FAILURE() << "exact plan, sample " << expected << " expected, " << where.str();
          return false;
        }
        continue;
      }
      // Rounded float32 (or double) values: the sample is the rounding of a value within slack of
      // the oracle's, so it lies between the roundings of the ends of that interval.
      const double centre = mapped(v.value, c.out_depth, map);
      const double spread = slack + 1e-12 * (v.magnitude + 1);
      const double lowest = std::clamp(std::nearbyint(centre - spread), depth_min(c.out_depth),
                                       depth_max(c.out_depth));
      const double highest = std::clamp(std::nearbyint(centre + spread), depth_min(c.out_depth),
                                        depth_max(c.out_depth));
      if (map == ValueMap::abs && std::abs(v.value) <= spread) {
        if (sample >= 0 && sample <= highest) continue;
      }
      if (sample < lowest || sample > highest) {
        ADD_FAILURE() << "sample outside [" << lowest << ", " << highest << "] " << where.str();
        return false;
      }
    }
  }
  return true;
}

/// Alpha, carried through: rescaled between 8 and 16 bits, else as is (and cropped under valid
/// at the anchor).
bool check_alpha(const Case& c, const Plan& plan, const cv::Mat& alpha_in, const cv::Mat& out) {
  cv::Mat1d source;
  alpha_in.convertTo(source, CV_64F);
  double scale = 1.0;
  if (c.in_depth == CV_8U && c.out_depth == CV_16U) scale = 257.0;
  if (c.in_depth == CV_16U && c.out_depth == CV_8U) scale = 1.0 / 257.0;
  const cv::Point origin = c.border.kind == BorderKind::valid ? plan.anchor : cv::Point(0, 0);
  cv::Mat1d got;
  out.convertTo(got, CV_64F);
  for (int y = 0; y < out.rows; ++y) {
    for (int x = 0; x < out.cols; ++x) {
      double expected = source(y + origin.y, x + origin.x) * scale;
      if (c.out_depth != CV_32F) {
        expected =
            std::clamp(std::nearbyint(expected), depth_min(c.out_depth), depth_max(c.out_depth));
      } else {
        expected = static_cast<float>(expected);
      }
      if (got(y, x) != expected) {
        ADD_FAILURE() << "alpha at (" << x << ", " << y << "): " << got(y, x) << " instead of "
                      << expected << "; " << describe(c, plan);
        return false;
      }
    }
  }
  return true;
}

/// Runs one case through the library as the CLI does, twice; false at the first wrong sample.
bool run_case(const Case& c, Tally& tally) {
  const Kernel kernel = make_kernel(c.kernel.values, "generated", "", c.kernel.anchor);
  const Analysis analysis = analyze_kernel(kernel);
  Plan plan;
  try {
    plan = make_plan(kernel, analysis, parse_mode(c.mode), c.in_depth, c.border);
  } catch (const Error&) {
    ++tally.skipped;  // separable asked of a kernel of another rank: refused, as documented
    return true;
  }
  const ValueMap map = resolve_map(c.map, analysis.zero_sum, c.out_depth);
  const FilteredImage first = filter_image(c.image, plan, c.border, c.out_depth, map);
  const FilteredImage second = filter_image(c.image, plan, c.border, c.out_depth, map);
  ++tally.cases;
  if (exact_plan(plan)) ++tally.exact_cases;
  if (cv::norm(first.pixels.reshape(1), second.pixels.reshape(1), cv::NORM_INF) != 0) {
    ADD_FAILURE() << "a second run differs: " << describe(c, plan);
    return false;
  }
  if (first.pixels.depth() != c.out_depth || first.pixels.channels() != c.channels) {
    ADD_FAILURE() << "type " << first.pixels.type() << ": " << describe(c, plan);
    return false;
  }
  std::vector<cv::Mat> inputs, outputs;
  cv::split(c.image, inputs);
  cv::split(first.pixels, outputs);
  const int colour = c.channels - (has_alpha(c.channels) ? 1 : 0);
  for (int ch = 0; ch < colour; ++ch) {
    cv::Mat1d plane;
    inputs[ch].convertTo(plane, CV_64F);
    if (!check_channel(c, plan, map, plane, outputs[ch], tally)) return false;
  }
  if (has_alpha(c.channels)) return check_alpha(c, plan, inputs.back(), outputs.back());
  return true;
}

TEST(Property, LibraryMatchesTheOracle) {
  const long cases = environment_number("SEPCONV_PROPERTY_CASES", 2000);
  const long seed = environment_number("SEPCONV_PROPERTY_SEED", 1);
  Tally tally;
  for (long i = 0; i < cases; ++i) {
    cv::RNG rng(static_cast<std::uint64_t>(seed + i));
    const Case c = random_case(rng);
    if (!run_case(c, tally)) {
      ADD_FAILURE() << "case seed " << seed + i << " (SEPCONV_PROPERTY_SEED=" << seed + i
                    << " SEPCONV_PROPERTY_CASES=1 reruns it)";
      break;
    }
  }
  // The matrix must have reached every kind of plan.
  if (cases >= 100) {
    EXPECT_GT(tally.exact_cases, tally.cases / 10);
    EXPECT_LT(tally.exact_cases, tally.cases);
  }
  std::cout << "property: " << tally.cases << " cases (" << tally.exact_cases << " exact, "
            << tally.skipped << " refused), " << tally.samples
            << " samples; worst float32 error relative to sum |k||x|: full " << tally.full
            << ", separable/low-rank " << tally.terms << "; FFT relative to sum |k| max |x| "
            << tally.fft << "\n";
  // The bounds docs/apply.md and README quote (measured 1.7e-7, 7.2e-7 and 1.1e-7 on AVX-512).
  EXPECT_LE(tally.full, 3e-7);
  EXPECT_LE(tally.terms, 5.5e-6);
  EXPECT_LE(tally.fft, 2e-7);
}

std::string border_text(const Border& border) {
  switch (border.kind) {
    case BorderKind::reflect101:
      return "reflect101";
    case BorderKind::reflect:
      return "reflect";
    case BorderKind::replicate:
      return "replicate";
    case BorderKind::wrap:
      return "wrap";
    case BorderKind::valid:
      return "valid";
    case BorderKind::constant: {
      std::ostringstream text;
      text << "constant:" << border.value;
      return text.str();
    }
  }
  return "";
}

/// The kernel as a kernel file: fractions for integer kernels, 17 digits otherwise, the anchor.
std::string kernel_file_text(const GeneratedKernel& k) {
  std::ostringstream text;
  text.precision(17);
  text << "anchor: " << k.anchor.x << " " << k.anchor.y << "\n";
  for (int r = 0; r < k.values.rows; ++r) {
    for (int c = 0; c < k.values.cols; ++c) {
      if (k.denominator > 0) {
        text << std::llround(k.integers(r, c)) << "/" << k.denominator;
      } else {
        text << k.values(r, c);
      }
      text << (c + 1 < k.values.cols ? " " : "\n");
    }
  }
  return text.str();
}

// A sample of the matrix through the binary: PNG in (8 and 16 bits, gray, colour, colour + alpha),
// PNG out, the kernel from a file with its anchor, every mode, border and map.
TEST(Property, BinaryMatchesTheOracle) {
  const long cases = environment_number("SEPCONV_PROPERTY_BINARY_CASES", 12);
  const testing::TempDir dir("property");
  Tally tally;
  const char* map_names[] = {"auto", "clamp", "abs", "offset", "normalize"};
  const ValueMap maps[] = {ValueMap::automatic, ValueMap::clamp, ValueMap::abs, ValueMap::offset,
                           ValueMap::normalize};
  for (long i = 0; i < cases; ++i) {
    cv::RNG rng(static_cast<std::uint64_t>(900000 + i));
    Case c = random_case(rng);
    const int channel_choices[] = {1, 3, 4};
    c.channels = channel_choices[i % 3];
    c.in_depth = i % 2 ? CV_16U : CV_8U;
    c.out_depth = i % 4 < 2 ? CV_8U : CV_16U;
    const int map_index = static_cast<int>(i % 5);
    c.map = maps[map_index];
    c.image = random_image(rng, c.image.size(), c.channels, c.in_depth);
    const std::string kernel = dir / "k.txt", input = dir / "in.png", output = dir / "out.png";
    std::ofstream(kernel) << kernel_file_text(c.kernel);
    ASSERT_TRUE(cv::imwrite(input, c.image));
    const testing::Run run = testing::run_sepconv(
        "apply '" + input + "' -k '" + kernel + "' --mode " + c.mode + " --border " +
        border_text(c.border) + " --depth " + (c.out_depth == CV_8U ? "u8" : "u16") + " --map " +
        map_names[map_index] + " --overwrite -o '" + output + "'");
    const Kernel parsed = make_kernel(c.kernel.values, "generated", "", c.kernel.anchor);
    const Analysis analysis = analyze_kernel(parsed);
    Plan plan;
    try {
      plan = make_plan(parsed, analysis, parse_mode(c.mode), c.in_depth, c.border);
    } catch (const Error&) {
      EXPECT_NE(run.status, 0) << "refused by the library, accepted by the binary";
      continue;
    }
    ASSERT_EQ(run.status, 0) << run.err << "\n" << describe(c, plan);
    const cv::Mat out = cv::imread(output, cv::IMREAD_UNCHANGED);
    ASSERT_EQ(out.channels(), c.channels) << describe(c, plan);
    ASSERT_EQ(out.depth(), c.out_depth) << describe(c, plan);
    const ValueMap map = resolve_map(c.map, analysis.zero_sum, c.out_depth);
    std::vector<cv::Mat> inputs, outputs;
    cv::split(c.image, inputs);
    cv::split(out, outputs);
    const int colour = c.channels - (has_alpha(c.channels) ? 1 : 0);
    for (int ch = 0; ch < colour; ++ch) {
      cv::Mat1d plane;
      inputs[ch].convertTo(plane, CV_64F);
      ASSERT_TRUE(check_channel(c, plan, map, plane, outputs[ch], tally)) << "binary, case " << i;
    }
    if (has_alpha(c.channels)) EXPECT_TRUE(check_alpha(c, plan, inputs.back(), outputs.back()));
  }
  EXPECT_GT(tally.samples, 0);
}

// The float32 error of large full kernels, relative to sum |k||x|, against the bounds docs/apply.md
// and README quote (measured 2.5e-6 and 7.3e-6 on AVX-512).
TEST(Property, LargeFullKernelErrors) {
  const std::pair<const char*, double> bounds[] = {{"gaussian:31", 3e-6}, {"gaussian:101", 8e-6}};
  for (const auto& [spec, bound] : bounds) {
    const Kernel kernel = parse_kernel(spec);
    GeneratedKernel generated;
    generated.values = kernel.values;
    generated.anchor = kernel.anchor;
    cv::RNG rng(31);
    const cv::Mat image = random_image(rng, {160, 160}, 1, CV_8U);
    cv::Mat1d plane;
    image.convertTo(plane, CV_64F);
    const Plan plan =
        make_plan(kernel, analyze_kernel(kernel), parse_mode("full"), CV_8U, Border{});
    ASSERT_EQ(plan.arithmetic, Arithmetic::float32);
    const FilteredImage out = filter_image(image, plan, Border{}, CV_32F, ValueMap::clamp);
    const OracleInput in{generated, plane, Border{}, false};
    double worst = 0;
    for (int y = 0; y < plane.rows; ++y) {
      for (int x = 0; x < plane.cols; ++x) {
        const OracleValue v = oracle_pixel(in, y, x);
        worst = std::max(worst, std::abs(out.pixels.at<float>(y, x) - v.value) / v.magnitude);
      }
    }
    std::cout << spec << " full, float32: worst error " << worst << " of sum |k||x|\n";
    EXPECT_LE(worst, bound);
  }
}

}  // namespace
}  // namespace sepconv
