#pragma once
// Whole numbers as people read them, shared by the command reports and the batch summary.

#include <cstdint>
#include <string>

namespace sepconv {

/// 1572864 -> "1,572,864".
inline std::string with_thousands(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return value < 0 ? "-" + digits : digits;
}

}  // namespace sepconv
