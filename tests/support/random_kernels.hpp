#pragma once
// Random kernels and the list of borders the engine tests run over, written once.

#include <opencv2/core.hpp>

#include "kernel/kernel.hpp"

namespace sepconv::testing {

/// Every border kind, with a zero and a fractional constant (which rounds differently in integer
/// and float arithmetic).
inline const char* const kBorders[] = {"reflect101",   "reflect", "replicate", "constant",
                                       "constant:7.5", "wrap",    "valid"};

/// A random rows x cols kernel with a random anchor: whole numbers -4..4, or uniform in [-1, 1).
inline Kernel random_kernel(cv::RNG& rng, int rows, int cols, bool integer) {
  cv::Mat1d values(rows, cols);
  if (integer) {
    for (double& v : values) v = rng.uniform(-4, 5);
  } else {
    rng.fill(values, cv::RNG::UNIFORM, -1.0, 1.0);
  }
  if (cv::countNonZero(values) == 0) values(0, 0) = 1;  // a zero kernel tests nothing
  return make_kernel(values, "random", "", {rng.uniform(0, cols), rng.uniform(0, rows)});
}

/// A random kernel of at most `rank`: the sum of `rank` random column x row products (whole
/// numbers -3..3, or uniform in [-1, 1)), never all zero, with a random anchor.
inline Kernel random_lowrank_kernel(cv::RNG& rng, int rows, int cols, int rank, bool integer) {
  cv::Mat1d sum(rows, cols, 0.0);
  for (int t = 0; t < rank; ++t) {
    cv::Mat1d column(rows, 1), row(1, cols);
    for (double& v : column) v = integer ? rng.uniform(-3, 4) : rng.uniform(-1.0, 1.0);
    for (double& v : row) v = integer ? rng.uniform(-3, 4) : rng.uniform(-1.0, 1.0);
    sum += column * row;
  }
  if (cv::countNonZero(sum) == 0) sum(0, 0) = 1;
  return make_kernel(sum, "random", "", {rng.uniform(0, cols), rng.uniform(0, rows)});
}

}  // namespace sepconv::testing
