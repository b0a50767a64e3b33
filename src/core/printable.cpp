#include "core/printable.hpp"

#include <fmt/format.h>

namespace sepconv {
namespace {

/// The length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8
/// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned min = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf)
    length = 2, min = 0x80;
  else if (lead >= 0xe0 && lead <= 0xef)
    length = 3, min = 0x800;
  else if (lead >= 0xf0 && lead <= 0xf4)
    length = 4, min = 0x10000;
  else
    return 0;
  if (i + length > text.size()) return 0;
  unsigned code = lead & (0x7f >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(k) & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

/// One character of `text` at `i` as it is shown, and how many bytes of `text` it took.
std::string_view shown(std::string_view text, std::size_t i, std::size_t& taken,
                       std::string& scratch) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  taken = 1;
  switch (c) {
    case '\n':
      return "\\n";
    case '\t':
      return "\\t";
    case '\r':
      return "\\r";
    default:
      break;
  }
  const std::size_t length = utf8_length(text, i);
  if (c < 0x20 || c == 0x7f || length == 0) {
    scratch = fmt::format("\\x{:02x}", c);
    return scratch;
  }
  taken = length;
  return text.substr(i, length);
}

}  // namespace

std::string printable(std::string_view text, std::size_t limit) {
  std::string result, scratch;
  for (std::size_t i = 0, taken = 0; i < text.size(); i += taken) {
    const std::string_view piece = shown(text, i, taken, scratch);
    if (result.size() + piece.size() > limit) {
      return result + fmt::format("...({} bytes)", text.size());
    }
    result += piece;
  }
  return result;
}

}  // namespace sepconv
