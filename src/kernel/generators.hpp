#pragma once
// Kernels computed from a few parameters: "gaussian:SIZE[:SIGMA]", "box:SIZE", "binomial:SIZE",
// "sobel:SIZE:DX:DY" and "log:SIZE[:SIGMA]". SIZE is always odd; the kernels are SIZE x SIZE.
//
// Defaults and limits (SIGMA must be finite and > 0):
//   gaussian  SIZE 1..1025; SIGMA defaults to 0.3 * ((SIZE - 1) * 0.5 - 1) + 0.8, the sigma
//             OpenCV derives from ksize. Coefficients are cv::getGaussianKernel(SIZE, SIGMA) taken
//             as an outer product with itself, so they sum to 1. gaussian:3 is therefore sigma
//             0.8, not OpenCV's fixed [1 2 1]/4 table for sigma <= 0: that one is binomial:3.
//   box       SIZE 1..1025; every coefficient is 1 / SIZE^2.
//   binomial  SIZE 1..1025; row SIZE of Pascal's triangle, outer product, divided by 4^(SIZE-1)
//             so the coefficients sum to 1 (binomial:5 is [1 4 6 4 1]^T [1 4 6 4 1] / 256).
//   sobel     SIZE 3..31 (OpenCV's limit; OpenCV turns ksize 1 into a 3x3 special case, so 1 is
//             refused); DX, DY >= 0, each < SIZE, DX + DY >= 1. Unnormalized integers, equal to
//             ky * kx^T for cv::getDerivKernels(kx, ky, DX, DY, SIZE, false, CV_64F).
//   log       SIZE 3..1025 (a 1x1 LoG is all zero); SIGMA defaults to (SIZE - 1) / 6, so the grid
//             reaches 3 sigma as for a Gaussian (log:9 has sigma 4/3). The Laplacian of Gaussian
//             -(1 / (pi sigma^4)) (1 - r^2 / (2 sigma^2)) exp(-r^2 / (2 sigma^2)) sampled at
//             integer (x, y), then shifted by its mean so the coefficients sum to zero (up to
//             rounding): the truncated tails would otherwise leave a response to flat regions.

#include <string>

#include "kernel/kernel.hpp"

namespace sepconv {

/// True when `spec` starts with a generator name and a colon ("gaussian:..."): parse_kernel then
/// reports generator errors rather than "unknown kernel".
bool is_generator_spec(const std::string& spec);

/// Builds the kernel a generator spec describes, named `spec`. Throws Error naming `spec`.
Kernel generate_kernel(const std::string& spec);

/// OpenCV's sigma for a Gaussian of side `size` (getGaussianKernel with sigma <= 0).
double default_gaussian_sigma(int size);

/// sepconv's sigma for log:SIZE: (SIZE - 1) / 6.
double default_log_sigma(int size);

/// The generators themselves, for callers that already hold numbers; they validate them the same
/// way and name the kernel canonically ("gaussian:5:1.1").
Kernel gaussian_kernel(int size, double sigma);
Kernel box_kernel(int size);
Kernel binomial_kernel(int size);
Kernel sobel_kernel(int size, int dx, int dy);
Kernel log_kernel(int size, double sigma);

}  // namespace sepconv
