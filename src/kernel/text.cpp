#include "kernel/text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <system_error>

#include "core/echo.hpp"

namespace sepconv::text {

namespace {

constexpr std::string_view kBlanks = " \t\r\n";
constexpr std::string_view kSeparators = " \t\r\n,";

/// Reads one decimal number with std::from_chars, which ignores the locale (strtod would read
/// "0,5" as 0.5 under a German locale and stop at "." there).
Real parse_decimal(std::string_view token) {
  Real real;
  std::string_view digits = token;
  // from_chars rejects a leading '+', which people do write ("+1").
  if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-') digits.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range) {
    real.error = fmt::format("'{}' is out of the range of a double", echo(token));
    return real;
  }
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    real.error = fmt::format("'{}' is not a number", echo(token));
    return real;
  }
  if (std::isnan(value)) {
    real.error = fmt::format("'{}' is NaN, not a coefficient", echo(token));
    return real;
  }
  if (std::isinf(value)) {
    real.error = fmt::format("'{}' is infinite, not a coefficient", echo(token));
    return real;
  }
  real.value = real.numerator = value;
  return real;
}

}  // namespace

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kBlanks);
  return s.substr(first, last - first + 1);
}

std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> fields;
  std::size_t pos = s.find_first_not_of(kSeparators);
  while (pos != std::string_view::npos) {
    const auto end = s.find_first_of(kSeparators, pos);
    fields.push_back(s.substr(pos, end == std::string_view::npos ? end : end - pos));
    pos = end == std::string_view::npos ? end : s.find_first_not_of(kSeparators, end);
  }
  return fields;
}

Real parse_real(std::string_view token) {
  const auto slash = token.find('/');
  if (slash == std::string_view::npos) return parse_decimal(token);

  Real numerator = parse_decimal(token.substr(0, slash));
  Real denominator = parse_decimal(token.substr(slash + 1));
  Real real;
  if (!numerator.ok() || !denominator.ok()) {
    real.error = fmt::format("'{}' is not a number or a fraction a/b", echo(token));
    return real;
  }
  if (denominator.value == 0) {
    real.error = fmt::format("'{}' divides by zero", echo(token));
    return real;
  }
  real.numerator = numerator.value;
  real.denominator = denominator.value;
  real.value = numerator.value / denominator.value;
  if (!std::isfinite(real.value)) {
    real.error = fmt::format("'{}' is out of the range of a double", echo(token));
  }
  return real;
}

bool parse_int(std::string_view token, int& value) {
  if (token.size() > 1 && token[0] == '+' && token[1] != '-') token.remove_prefix(1);
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  return ec == std::errc() && end == token.data() + token.size() && !token.empty();
}

}  // namespace sepconv::text
