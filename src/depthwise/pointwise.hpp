#pragma once
// Finding the pointwise matrix a --pointwise argument names, and the depthwise kernels a -k list
// names.

#include <string>
#include <vector>

#include "kernel/kernel.hpp"

namespace sepconv {

/// Reads a pointwise matrix: a bundled name from filters/pointwise/ ("rgb_to_luma"), else anything
/// parse_kernel accepts (a file in the kernel-file format, an inline "[0.5 0.5 0]" matrix). Rows
/// are output channels, columns depthwise planes. Throws Error naming the argument.
Kernel parse_pointwise(const std::string& spec);

/// Names of the bundled pointwise matrices, sorted.
std::vector<std::string> bundled_pointwise_names();

/// Reads the -k arguments (each given with its own -k) into kernels. Each argument is first read as
/// one kernel; only when that fails is it split at its commas, every part then having to be a
/// kernel. So "sobel_x,sobel_y" is two kernels, while "[1,2,1]" and ImageMagick's "3: 1,2,1" stay
/// one.
std::vector<Kernel> parse_kernel_list(const std::vector<std::string>& arguments);

}  // namespace sepconv
