#include "kernel/kernel.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace sepconv {

Kernel make_kernel(cv::Mat1d values, std::string name, std::string description, cv::Point anchor) {
  if (values.empty()) throw Error(name, "kernel has no coefficients");
  if (values.rows > kMaxKernelSide || values.cols > kMaxKernelSide) {
    throw Error(name, fmt::format("kernel is {}x{}, larger than the limit of {} a side",
                                  values.cols, values.rows, kMaxKernelSide));
  }
  for (int r = 0; r < values.rows; ++r) {
    for (int c = 0; c < values.cols; ++c) {
      if (!std::isfinite(values(r, c))) {
        throw Error(name, fmt::format("coefficient at row {}, column {} is not a finite number",
                                      r + 1, c + 1));
      }
    }
  }
  if (anchor.x < 0) anchor.x = values.cols / 2;
  if (anchor.y < 0) anchor.y = values.rows / 2;
  if (anchor.x >= values.cols || anchor.y >= values.rows) {
    throw Error(name, fmt::format("anchor ({}, {}) lies outside the {}x{} kernel", anchor.x,
                                  anchor.y, values.cols, values.rows));
  }
  return Kernel{values, anchor, std::move(name), std::move(description)};
}

Kernel flipped(const Kernel& kernel) {
  Kernel result = kernel;
  cv::flip(kernel.values, result.values, -1);
  result.anchor = {kernel.cols() - 1 - kernel.anchor.x, kernel.rows() - 1 - kernel.anchor.y};
  return result;
}

}  // namespace sepconv
