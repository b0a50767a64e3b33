// Single-layer counts. Every product goes through checked_product so a huge size is an error, not a
// wrapped number.

#include "netcost/layer.hpp"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "core/error.hpp"
#include "netcost/checked.hpp"

namespace sepconv::netcost {
namespace {

/// Splits "a x b x c" on 'x' without trimming: spaces inside a size are an error, not ignored.
std::vector<std::string> split_on_x(const std::string& text) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  for (;;) {
    const auto end = text.find('x', start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

std::int64_t parse_positive(const std::string& text, const std::string& argument) {
  std::int64_t value = 0;
  const char* const last = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), last, value);
  if (ec == std::errc::result_out_of_range) {
    throw usage_error(argument, fmt::format("'{}' does not fit in 64 bits", text));
  }
  if (text.empty() || ec != std::errc() || ptr != last) {
    throw usage_error(argument, fmt::format("'{}' is not an integer", text));
  }
  if (value <= 0) throw usage_error(argument, fmt::format("'{}' must be positive", text));
  return value;
}

Shape parse_shape(const std::string& text, const std::string& argument) {
  const auto parts = split_on_x(text);
  if (parts.size() != 3) {
    throw usage_error(argument, fmt::format("'{}' is not HxWxC (for example 224x224x3)", text));
  }
  return {parse_positive(parts[0], argument), parse_positive(parts[1], argument),
          parse_positive(parts[2], argument)};
}

KernelSize parse_kernel_size(const std::string& text, const std::string& argument) {
  const auto parts = split_on_x(text);
  if (parts.size() == 1) {
    const std::int64_t k = parse_positive(parts[0], argument);
    return {k, k};
  }
  if (parts.size() != 2) {
    throw usage_error(argument, fmt::format("'{}' is not K or KHxKW (for example 3x3)", text));
  }
  return {parse_positive(parts[0], argument), parse_positive(parts[1], argument)};
}

Padding parse_padding(const std::string& text, const std::string& argument) {
  if (text == "valid") return Padding::valid;
  if (text == "same") return Padding::same;
  throw usage_error(argument, fmt::format("'{}' is not valid or same", text));
}

const char* padding_name(Padding padding) {
  return padding == Padding::same ? "same" : "valid";
}

std::string format_shape(const Shape& shape) {
  return fmt::format("{}x{}x{}", shape.h, shape.w, shape.c);
}

std::int64_t output_size(std::int64_t in, std::int64_t k, std::int64_t stride, Padding padding,
                         const std::string& what) {
  if (in <= 0 || k <= 0 || stride <= 0) {
    throw Error(what, fmt::format("sizes must be positive (input {}, kernel {}, stride {})", in, k,
                                  stride));
  }
  // ceil(in / stride) without the overflow of in + stride - 1.
  if (padding == Padding::same) return in / stride + (in % stride != 0);
  if (k > in) {
    throw Error(what, fmt::format("kernel {} is larger than the input {} with valid padding "
                                  "(use --padding same)",
                                  k, in));
  }
  return (in - k) / stride + 1;
}

LayerCost layer_cost(const LayerSpec& spec) {
  const Shape& in = spec.input;
  if (in.h <= 0 || in.w <= 0 || in.c <= 0) {
    throw usage_error("--input", fmt::format("sizes must be positive, got {}", format_shape(in)));
  }
  if (spec.out_channels <= 0) throw usage_error("--out-channels", "must be positive");
  if (spec.multiplier <= 0) throw usage_error("--multiplier", "must be positive");
  if (spec.stride <= 0) throw usage_error("--stride", "must be positive");
  std::int64_t ho = 0, wo = 0;
  try {
    ho = output_size(in.h, spec.kernel.h, spec.stride, spec.padding, "--kernel");
    wo = output_size(in.w, spec.kernel.w, spec.stride, spec.padding, "--kernel");
  } catch (const Error& e) {
    // Here the sizes came from the command line: a usage error (exit 2), not a failed input.
    throw usage_error(e.subject(), e.reason());
  }
  const std::int64_t n = spec.out_channels, m = spec.multiplier, kh = spec.kernel.h,
                     kw = spec.kernel.w;

  LayerCost cost;
  cost.output = {ho, wo, n};
  cost.standard.params = checked_product({n, in.c, kh, kw}, "standard parameters");
  cost.standard.mults = checked_product({cost.standard.params, ho, wo}, "standard mult-adds");
  cost.depthwise.params = checked_product({in.c, m, kh, kw}, "depthwise parameters");
  cost.depthwise.mults = checked_product({cost.depthwise.params, ho, wo}, "depthwise mult-adds");
  cost.pointwise.params = checked_product({n, in.c, m}, "pointwise parameters");
  cost.pointwise.mults = checked_product({cost.pointwise.params, ho, wo}, "pointwise mult-adds");
  cost.separable.params =
      checked_add(cost.depthwise.params, cost.pointwise.params, "separable parameters");
  cost.separable.mults =
      checked_add(cost.depthwise.mults, cost.pointwise.mults, "separable mult-adds");
  cost.ratio = static_cast<double>(cost.standard.mults) / static_cast<double>(cost.separable.mults);
  cost.formula =
      static_cast<double>(m) * (1.0 / static_cast<double>(n) + 1.0 / static_cast<double>(kh * kw));
  return cost;
}

}  // namespace sepconv::netcost
