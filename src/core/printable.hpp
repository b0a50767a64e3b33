#pragma once
// Text that came from a user or a file (an argument, a file name, a line of a kernel file), made
// safe to echo in a one-line message: control characters escaped, so a terminal escape sequence
// or a newline cannot forge output, and cut to a readable length, so a 20 MB line stays one line.

#include <cstddef>
#include <string>
#include <string_view>

namespace sepconv {

/// The longest echoed text, in bytes of the result, before it is cut.
constexpr std::size_t kEchoLimit = 80;

/// `text` with control bytes (0x00-0x1f, 0x7f) written as \n, \t, \r or \xNN and bytes that are
/// not UTF-8 as \xNN; other characters as they are. Longer than `limit` bytes once escaped: cut on
/// a character boundary and ended with "...(N bytes)", N the length of the original.
std::string printable(std::string_view text, std::size_t limit = kEchoLimit);

}  // namespace sepconv
