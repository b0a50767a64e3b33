// One layer, standard against depthwise + pointwise, checked against numbers worked by hand.

#include "netcost/layer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "core/error.hpp"

namespace sepconv::netcost {
namespace {

LayerSpec primer() {
  LayerSpec spec;
  spec.input = {12, 12, 3};
  spec.kernel = {5, 5};
  spec.out_channels = 256;
  return spec;  // stride 1, valid padding, multiplier 1
}

// The primer's worked example: 12x12x3 input, 5x5 kernel, 256 outputs, no padding: 8x8 output.
TEST(CostLayerCost, PrimerExample) {
  const LayerCost c = layer_cost(primer());
  EXPECT_EQ(c.output.h, 8);
  EXPECT_EQ(c.output.w, 8);
  EXPECT_EQ(c.output.c, 256);
  EXPECT_EQ(c.standard.mults, 1228800);  // 256*3*5*5*8*8
  EXPECT_EQ(c.depthwise.mults, 4800);    // 3*5*5*8*8
  EXPECT_EQ(c.pointwise.mults, 49152);   // 256*3*8*8
  EXPECT_EQ(c.separable.mults, 53952);
  EXPECT_EQ(c.standard.params, 19200);  // 256*3*5*5
  EXPECT_EQ(c.depthwise.params, 75);    // 3*5*5
  EXPECT_EQ(c.pointwise.params, 768);   // 256*3
  EXPECT_EQ(c.separable.params, 843);
  EXPECT_NEAR(c.ratio, 1228800.0 / 53952.0, 1e-12);
  EXPECT_EQ(std::round(c.ratio * 10) / 10, 22.8);
  // 1/256 + 1/25 is exactly the ratio of the counts, since Ho*Wo*C cancels.
  EXPECT_NEAR(c.formula, 1.0 / 256 + 1.0 / 25, 1e-15);
  EXPECT_NEAR(c.formula, 53952.0 / 1228800.0, 1e-15);
}

TEST(CostLayerCost, MultiplierWidensDepthwiseAndPointwise) {
  LayerSpec spec = primer();
  spec.multiplier = 2;
  const LayerCost c = layer_cost(spec);
  EXPECT_EQ(c.standard.mults, 1228800);  // the standard convolution has no multiplier
  EXPECT_EQ(c.depthwise.mults, 9600);    // 3*2*5*5*8*8
  EXPECT_EQ(c.pointwise.mults, 98304);   // 256*3*2*8*8
  EXPECT_EQ(c.depthwise.params, 150);    // 3*2*5*5
  EXPECT_EQ(c.pointwise.params, 1536);   // 256*3*2
  EXPECT_NEAR(c.formula, 2 * (1.0 / 256 + 1.0 / 25), 1e-15);
}

TEST(CostLayerCost, StrideAndSamePadding) {
  LayerSpec spec = primer();
  spec.stride = 2;
  EXPECT_EQ(layer_cost(spec).output.h, 4);  // floor((12 - 5) / 2) + 1
  spec.padding = Padding::same;
  EXPECT_EQ(layer_cost(spec).output.h, 6);  // ceil(12 / 2)
  spec.input = {13, 13, 3};
  EXPECT_EQ(layer_cost(spec).output.h, 7);  // ceil(13 / 2)
  EXPECT_EQ(layer_cost(spec).standard.mults, 256 * 3 * 5 * 5 * 7 * 7);
}

TEST(CostLayerCost, NonSquareKernel) {
  LayerSpec spec = primer();
  spec.kernel = {5, 3};
  const LayerCost c = layer_cost(spec);
  EXPECT_EQ(c.output.h, 8);
  EXPECT_EQ(c.output.w, 10);
  EXPECT_EQ(c.standard.mults, 256 * 3 * 5 * 3 * 8 * 10);
  EXPECT_EQ(c.depthwise.mults, 3 * 5 * 3 * 8 * 10);
}

TEST(CostOutputSize, ValidAndSame) {
  EXPECT_EQ(output_size(224, 3, 2, Padding::same, "x"), 112);
  EXPECT_EQ(output_size(7, 3, 2, Padding::same, "x"), 4);
  EXPECT_EQ(output_size(7, 3, 2, Padding::valid, "x"), 3);
  EXPECT_EQ(output_size(5, 5, 1, Padding::valid, "x"), 1);
  EXPECT_THROW(output_size(4, 5, 1, Padding::valid, "x"), Error);
  EXPECT_EQ(output_size(4, 5, 1, Padding::same, "x"), 4);
}

TEST(CostParse, ShapesAndKernels) {
  const Shape s = parse_shape("224x160x3", "--input");
  EXPECT_EQ(s.h, 224);
  EXPECT_EQ(s.w, 160);
  EXPECT_EQ(s.c, 3);
  EXPECT_EQ(parse_kernel_size("5", "--kernel").w, 5);
  EXPECT_EQ(parse_kernel_size("5x3", "--kernel").w, 3);
  EXPECT_EQ(parse_padding("same", "--padding"), Padding::same);
}

/// The error thrown by `f`, for checking its subject and exit code.
template <typename F>
Error error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no Error thrown";
  return Error("", "");
}

TEST(CostErrors, MalformedArgumentsNameTheArgument) {
  for (const char* bad : {"12x12", "12x12x3x1", "12xx3", "ax12x3", "12x12x0", "-1x12x3", "",
                          "12x12x3 ", "99999999999999999999x1x1"}) {
    const Error e = error_of([&] { parse_shape(bad, "--input"); });
    EXPECT_EQ(e.subject(), "--input") << bad;
    EXPECT_EQ(e.code(), ExitCode::usage) << bad;
  }
  for (const char* bad : {"0", "3x", "x3", "3x3x3", "three"}) {
    EXPECT_EQ(error_of([&] { parse_kernel_size(bad, "--kernel"); }).subject(), "--kernel") << bad;
  }
  EXPECT_EQ(error_of([] { parse_padding("full", "--padding"); }).subject(), "--padding");
}

TEST(CostErrors, KernelLargerThanInputWithValidPadding) {
  LayerSpec spec = primer();
  spec.kernel = {13, 13};
  const Error e = error_of([&] { layer_cost(spec); });
  EXPECT_EQ(e.subject(), "--kernel");
  EXPECT_NE(e.reason().find("larger than the input"), std::string::npos);
}

TEST(CostErrors, ZeroSizes) {
  LayerSpec spec = primer();
  spec.out_channels = 0;
  EXPECT_EQ(error_of([&] { layer_cost(spec); }).subject(), "--out-channels");
  spec = primer();
  spec.input.c = 0;
  EXPECT_EQ(error_of([&] { layer_cost(spec); }).subject(), "--input");
}

TEST(CostErrors, OverflowIsAnErrorNotAWrappedCount) {
  LayerSpec spec;
  spec.input = {3037000500, 3037000500, 3};  // H*W alone is just past 2^63
  spec.kernel = {1, 1};
  spec.out_channels = 1;
  EXPECT_THROW(layer_cost(spec), Error);
  spec.input = {1000000, 1000000, 1000};  // 10^12 positions * 1000 in * 10^4 out = 10^19
  spec.out_channels = 10000;
  EXPECT_NE(error_of([&] { layer_cost(spec); }).reason().find("too large"), std::string::npos);
}

}  // namespace
}  // namespace sepconv::netcost
