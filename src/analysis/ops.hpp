#pragma once
// Operation counts, in the convention of the separable-convolution primer sepconv is built on: a
// sum of n products costs n multiplications and n - 1 additions.

#include <cstdint>

namespace sepconv {

/// Multiplications and additions, per output pixel or in total.
struct OpCount {
  std::int64_t mul = 0;
  std::int64_t add = 0;

  OpCount& operator+=(const OpCount& other) {
    mul += other.mul;
    add += other.add;
    return *this;
  }
  friend OpCount operator+(OpCount a, const OpCount& b) { return a += b; }
  friend OpCount operator*(OpCount a, std::int64_t times) { return {a.mul * times, a.add * times}; }
  friend bool operator==(const OpCount& a, const OpCount& b) {
    return a.mul == b.mul && a.add == b.add;
  }
};

/// A dot product of n taps: n multiplications, n - 1 additions.
inline OpCount dot_product_ops(std::int64_t taps) {
  return {taps, taps - 1};
}

/// The full 2D kernel, per output pixel: kh*kw multiplications, kh*kw - 1 additions.
inline OpCount full_ops_per_pixel(int rows, int cols) {
  return dot_product_ops(std::int64_t{rows} * cols);
}

/// One vertical and one horizontal pass, per output pixel: kh+kw multiplications, (kh-1)+(kw-1)
/// additions.
inline OpCount separable_ops_per_pixel(int rows, int cols) {
  return dot_product_ops(rows) + dot_product_ops(cols);
}

}  // namespace sepconv
