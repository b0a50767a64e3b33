// ImageMagick's kernel arrays: "WxH[+X+Y]: values" or "N[+X+Y]: values" for a square, values in
// row order separated by blanks or commas, "nan" or "-" for a tap outside the neighbourhood. The
// origin +X+Y is the anchor; without it ImageMagick centres the kernel at ((W-1)/2, (H-1)/2).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <vector>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "kernel/syntaxes.hpp"
#include "kernel/text.hpp"

namespace sepconv::syntax {

namespace {

/// The parts of an ImageMagick kernel string "WxH[+X+Y]: values" or "N[+X+Y]: values" (square),
/// as written; the numbers are checked by read_magick_array.
struct MagickHeader {
  std::string_view width, height, origin_x, origin_y, values;
};

/// Digits at the start of `s`, consumed; empty if `s` does not start with one. A sign is taken
/// first when `signed_number`.
std::string_view take_digits(std::string_view& s, bool signed_number = false) {
  std::size_t n = signed_number && !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
  const std::size_t first_digit = n;
  while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
  if (n == first_digit) return {};
  const std::string_view digits = s.substr(0, n);
  s.remove_prefix(n);
  return digits;
}

/// Recognizes the header of an ImageMagick kernel string. A hand-written scanner, not std::regex:
/// libstdc++'s regex recurses once per character and overflows the stack on a long argument.
std::optional<MagickHeader> scan_magick_header(std::string_view spec) {
  std::string_view s = spec.substr(std::min(spec.size(), spec.find_first_not_of(" \t\r\n")));
  MagickHeader header;
  header.width = take_digits(s);
  if (header.width.empty()) return std::nullopt;
  header.height = header.width;
  if (!s.empty() && (s[0] == 'x' || s[0] == 'X')) {
    s.remove_prefix(1);
    header.height = take_digits(s);
    if (header.height.empty()) return std::nullopt;
  }
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    header.origin_x = take_digits(s, true);
    header.origin_y = take_digits(s, true);
    if (header.origin_x.empty() || header.origin_y.empty()) return std::nullopt;
  }
  s = s.substr(std::min(s.size(), s.find_first_not_of(" \t\r\n")));
  if (s.empty() || s[0] != ':') return std::nullopt;
  header.values = s.substr(1);
  return header;
}

int magick_side(std::string_view digits, const std::string& spec) {
  int side = 0;
  if (!text::parse_int(digits, side) || side < 1 || side > kMaxKernelSide) {
    throw Error(spec,
                fmt::format("kernel side '{}' must be from 1 to {}", echo(digits), kMaxKernelSide));
  }
  return side;
}

/// ImageMagick's "nan" (any case) or "-": a tap that is not part of the neighbourhood.
bool is_magick_nan(std::string_view field) {
  if (field == "-") return true;
  if (field.size() != 3) return false;
  return std::tolower(static_cast<unsigned char>(field[0])) == 'n' &&
         std::tolower(static_cast<unsigned char>(field[1])) == 'a' &&
         std::tolower(static_cast<unsigned char>(field[2])) == 'n';
}

/// Reads the array once its header is scanned.
Kernel read_magick_array(const std::string& spec, const MagickHeader& header) {
  const int width = magick_side(header.width, spec);
  const int height = magick_side(header.height, spec);
  // ImageMagick centres even kernels at (W - 1) / 2, one tap left of OpenCV's W / 2.
  cv::Point anchor((width - 1) / 2, (height - 1) / 2);
  if (!header.origin_x.empty()) {
    if (!text::parse_int(header.origin_x, anchor.x) ||
        !text::parse_int(header.origin_y, anchor.y) || anchor.x < 0 || anchor.y < 0 ||
        anchor.x >= width || anchor.y >= height) {
      throw Error(spec, fmt::format("origin {}{} lies outside the {}x{} kernel",
                                    echo(header.origin_x), echo(header.origin_y), width, height));
    }
  }

  std::string_view values = header.values;
  // ImageMagick ends a kernel at ';' and allows a list of kernels after it; sepconv takes one.
  if (const auto semicolon = values.find(';'); semicolon != std::string_view::npos) {
    if (!text::trim(values.substr(semicolon + 1)).empty()) {
      throw Error(spec, "a list of ImageMagick kernels (separated by ';') is not supported");
    }
    values = values.substr(0, semicolon);
  }

  std::vector<double> coefficients;
  bool any_real = false;
  for (const std::string_view field : text::split_fields(values)) {
    // "nan" and "-" mark a tap outside the neighbourhood: it contributes nothing to a convolution.
    if (is_magick_nan(field)) {
      coefficients.push_back(0.0);
      continue;
    }
    const text::Real real = text::parse_real(field);
    if (!real.ok()) {
      throw Error(spec, fmt::format("value {}: {}", coefficients.size() + 1, real.error));
    }
    coefficients.push_back(real.value);
    any_real = true;
  }
  const std::size_t expected = static_cast<std::size_t>(width) * height;
  if (coefficients.size() != expected) {
    throw Error(spec, fmt::format("a {}x{} kernel needs {} values, got {}", width, height, expected,
                                  coefficients.size()));
  }
  if (!any_real) throw Error(spec, "every value is nan: the kernel is empty");
  const cv::Mat1d matrix = cv::Mat1d(coefficients, true).reshape(1, height);
  return make_kernel(matrix.clone(), spec, fmt::format("ImageMagick {}x{} kernel", width, height),
                     anchor);
}

}  // namespace

bool is_magick_array(const std::string& spec) {
  return scan_magick_header(spec).has_value();
}

Kernel parse_magick_array(const std::string& spec) {
  const auto header = scan_magick_header(spec);
  if (!header) throw Error(spec, "not an ImageMagick kernel array (\"WxH: values\")");
  return read_magick_array(spec, *header);
}

}  // namespace sepconv::syntax
