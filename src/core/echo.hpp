#pragma once
// Showing text that came from a user or a file inside a one-line message. Arguments and file lines
// can be megabytes long or hold terminal escape sequences; echoing them raw floods the terminal or
// lets a file drive it. Every message that quotes such text passes it through echo().

#include <cstddef>
#include <string>
#include <string_view>

namespace sepconv {

/// Longest echo, in characters, before it is cut.
constexpr std::size_t kEchoMaxChars = 80;

/// `text` made safe for a one-line message: control characters become C escapes (\n, \t, \r) or
/// \xNN, bytes that are not valid UTF-8 become \xNN, and text longer than `max_chars` characters
/// is cut to its start followed by "... (N bytes)". Printable text within the limit is returned
/// unchanged, so short arguments read exactly as typed.
std::string echo(std::string_view text, std::size_t max_chars = kEchoMaxChars);

}  // namespace sepconv
