#pragma once
// An arithmetic type for instrumented runs: it behaves like T and counts each * and + it performs,
// so tests can check the statistics against what an engine really executed.

#include "analysis/ops.hpp"

namespace sepconv {

/// The counts of the instrumented run in progress on this thread.
inline thread_local OpCount counted_ops;

template <typename T>
struct Counted {
  T value{};

  Counted() = default;
  template <typename U>
  explicit Counted(U v) : value(static_cast<T>(v)) {}

  friend Counted operator*(Counted a, Counted b) {
    ++counted_ops.mul;
    return Counted(a.value * b.value);
  }
  friend Counted operator+(Counted a, Counted b) {
    ++counted_ops.add;
    return Counted(a.value + b.value);
  }
  Counted& operator+=(Counted other) { return *this = *this + other; }
};

/// The plain value of an accumulator, counted or not.
template <typename T>
double value_of(T v) {
  return static_cast<double>(v);
}
template <typename T>
double value_of(Counted<T> v) {
  return static_cast<double>(v.value);
}

}  // namespace sepconv
