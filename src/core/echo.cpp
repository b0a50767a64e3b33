#include "core/echo.hpp"

#include <fmt/format.h>

namespace sepconv {

namespace {

/// Length of the valid UTF-8 sequence at the start of `s`, or 0 when it is not one (overlong
/// forms, surrogates and code points past U+10FFFF count as invalid, as in RFC 3629). C1 control
/// characters (U+0080 to U+009F) also give 0: terminals obey some of them like ESC sequences.
std::size_t utf8_length(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned min_second = 0x80, max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    if (lead == 0xC2) min_second = 0xA0;  // U+0080..U+009F are C1 controls
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;  // overlong
    if (lead == 0xED) max_second = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;  // overlong
    if (lead == 0xF4) max_second = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < length || byte(1) < min_second || byte(1) > max_second) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

/// The escape for one byte that cannot be shown as it is.
std::string escape_byte(unsigned char c) {
  switch (c) {
    case '\n':
      return "\\n";
    case '\t':
      return "\\t";
    case '\r':
      return "\\r";
    default:
      return fmt::format("\\x{:02x}", c);
  }
}

}  // namespace

std::string echo(std::string_view text, std::size_t max_chars) {
  std::string shown;
  std::size_t chars = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (chars == max_chars) {
      return fmt::format("{}... ({} bytes)", shown, text.size());
    }
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c >= 0x20 && c < 0x7F) {
      shown += static_cast<char>(c);
      ++pos;
    } else if (const std::size_t n = c >= 0x80 ? utf8_length(text.substr(pos)) : 0; n > 0) {
      shown.append(text.substr(pos, n));
      pos += n;
    } else {
      shown += escape_byte(c);
      ++pos;
    }
    ++chars;
  }
  return shown;
}

}  // namespace sepconv
