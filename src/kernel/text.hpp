#pragma once
// Small text helpers shared by the kernel parsers (files, inline matrices, ImageMagick strings,
// generators): splitting fields and reading numbers without depending on the C locale.

#include <string>
#include <string_view>
#include <vector>

namespace sepconv::text {

/// `s` without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view s);

/// The fields of `s` separated by any run of spaces, tabs, newlines and commas.
std::vector<std::string_view> split_fields(std::string_view s);

/// A number read from text, or why it could not be read.
struct Real {
  double value = 0;      ///< numerator / denominator, correctly rounded for integer parts
  double numerator = 0;  ///< the number before '/', or the whole number
  double denominator = 1;
  std::string error;  ///< empty on success, else a reason such as "'abc' is not a number"

  bool ok() const { return error.empty(); }
};

/// Reads an integer, decimal, exponent form ("1e-3") or rational "a/b" with b != 0. NaN, infinities
/// and values out of the range of a double are errors.
Real parse_real(std::string_view token);

/// Reads a whole decimal integer (optionally signed) that fits an int; false for anything else.
bool parse_int(std::string_view token, int& value);

}  // namespace sepconv::text
