#pragma once
// 64-bit arithmetic that refuses to wrap. Operation counts of real networks reach billions and a
// mistyped size can push a product past 2^63; a wrapped count would be printed as if it were true.

#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/error.hpp"

namespace sepconv::netcost {

/// a * b, or Error "<what>: too large (over 2^63 - 1)" when the product does not fit.
inline std::int64_t checked_mul(std::int64_t a, std::int64_t b, const std::string& what) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) throw Error(what, "too large (over 2^63 - 1)");
  return product;
}

/// The product of all factors, checked at every step.
inline std::int64_t checked_product(std::initializer_list<std::int64_t> factors,
                                    const std::string& what) {
  std::int64_t product = 1;
  for (const std::int64_t f : factors) product = checked_mul(product, f, what);
  return product;
}

/// a + b, or Error naming `what` when the sum does not fit.
inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const std::string& what) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) throw Error(what, "too large (over 2^63 - 1)");
  return sum;
}

}  // namespace sepconv::netcost
