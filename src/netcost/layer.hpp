#pragma once
// The arithmetic of one convolution layer done two ways: a standard convolution against a depthwise
// convolution followed by a pointwise (1x1) one, as in MobileNet (Howard et al. 2017, section 3.1).
// Counts are mult-adds (one multiply-add per weight use) and weights; biases are never counted.

#include <cstdint>
#include <string>

namespace sepconv::netcost {

/// A feature map's height, width and channels.
struct Shape {
  std::int64_t h = 0;
  std::int64_t w = 0;
  std::int64_t c = 0;
};

/// valid: no padding, the kernel stays inside the input; same: padded so the output is
/// ceil(in/stride).
enum class Padding { valid, same };

/// Kernel height and width.
struct KernelSize {
  std::int64_t h = 0;
  std::int64_t w = 0;
};

/// "HxWxC" -> Shape, every part a positive integer. Errors (usage, exit 2) name `argument`.
Shape parse_shape(const std::string& text, const std::string& argument);

/// "K" (square) or "KHxKW" -> KernelSize, positive. Errors (usage, exit 2) name `argument`.
KernelSize parse_kernel_size(const std::string& text, const std::string& argument);

/// "valid" or "same"; anything else is a usage error naming `argument`.
Padding parse_padding(const std::string& text, const std::string& argument);

/// A positive decimal integer that fits in 64 bits; a usage error naming `argument` otherwise.
std::int64_t parse_positive(const std::string& text, const std::string& argument);

const char* padding_name(Padding padding);

/// "12x12x3".
std::string format_shape(const Shape& shape);

/// Output size along one axis: valid floor((in - k) / stride) + 1, same ceil(in / stride). Throws
/// Error naming `what` when a valid kernel is larger than the input.
std::int64_t output_size(std::int64_t in, std::int64_t k, std::int64_t stride, Padding padding,
                         const std::string& what);

/// One layer's question: input, kernel, output channels N, stride, padding, depth multiplier M.
struct LayerSpec {
  Shape input;
  KernelSize kernel;
  std::int64_t out_channels = 0;
  std::int64_t stride = 1;
  Padding padding = Padding::valid;
  std::int64_t multiplier = 1;
};

/// Multiply-adds (one per weight use) and weights of one step.
struct Count {
  std::int64_t mults = 0;
  std::int64_t params = 0;
};

/// The answer for one layer. Ho, Wo are the output height and width.
struct LayerCost {
  Shape output;     ///< Ho x Wo x N
  Count standard;   ///< N*C*KH*KW*Ho*Wo mults, N*C*KH*KW weights
  Count depthwise;  ///< C*M*KH*KW*Ho*Wo mults, C*M*KH*KW weights
  Count pointwise;  ///< N*C*M*Ho*Wo mults, N*C*M weights
  Count separable;  ///< depthwise + pointwise
  /// standard / separable: how many times fewer mult-adds the separable form needs.
  double ratio = 0;
  /// M * (1/N + 1/(KH*KW)): MobileNet's closed form for separable / standard (M = 1 in the paper).
  double formula = 0;
};

/// Checks the spec (positive sizes, valid kernel fits) and counts both forms. Throws Error on bad
/// sizes or 64-bit overflow.
LayerCost layer_cost(const LayerSpec& spec);

}  // namespace sepconv::netcost
