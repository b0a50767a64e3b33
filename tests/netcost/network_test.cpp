// Network files and the bundled MobileNet v1 against the paper's printed figures (Howard et al.
// 2017, arXiv 1704.04861: Table 4 for 1.0 MobileNet-224, Tables 2, 6 and 7 for shares and the
// multipliers).

#include "netcost/network.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "build_paths.hpp"
#include "core/error.hpp"

namespace sepconv::netcost {
namespace {

const std::string kMobileNet = SEPCONV_SOURCE_DIR "/filters/networks/mobilenet_v1.txt";

NetworkCost mobilenet(double alpha = 1.0, std::optional<std::int64_t> resolution = std::nullopt) {
  return network_cost(scaled(load_network(kMobileNet), alpha, resolution));
}

/// Rounds to the paper's precision: `value` in units of `unit`, to `digits` decimals.
double rounded(std::int64_t value, double unit, int digits = 0) {
  const double scale = std::pow(10.0, digits);
  return std::round(static_cast<double>(value) / unit * scale) / scale;
}

TEST(CostMobileNet, Table4SeparableTotals) {
  const NetworkCost c = mobilenet();
  EXPECT_EQ(rounded(c.as_written.mults, 1e6), 569);      // 569 million mult-adds
  EXPECT_EQ(rounded(c.as_written.params, 1e6, 1), 4.2);  // 4.2 million parameters
  EXPECT_EQ(c.as_written.mults, 568740352);
  EXPECT_EQ(c.as_written.params, 4209088);
  EXPECT_EQ(c.pairs_replaced, 13);
}

TEST(CostMobileNet, Table4StandardTotals) {
  const NetworkCost c = mobilenet();
  EXPECT_EQ(rounded(c.standard.params, 1e6, 1), 29.3);  // 29.3 million parameters
  EXPECT_EQ(c.standard.mults, 4867293184);
  EXPECT_EQ(c.standard.params, 29281120);
  // The paper prints 4866 million. No counting rule shared by both networks gives 569 and 4866
  // together (569 needs the fc layer, 4866 does not have it), so we keep the one rule and are 0.03%
  // above the printed figure: the paper's number is our total without the fc layer's 1,024,000.
  EXPECT_EQ(rounded(c.standard.mults, 1e6), 4867);
  EXPECT_EQ(rounded(c.standard.mults - 1000 * 1024, 1e6), 4866);
}

// Table 2's shares by layer type are what fixes the conventions: fc 24.33% of the parameters means
// no fc bias (24.35% with it), and pw 94.86% of the mult-adds means the pool counts nothing.
TEST(CostMobileNet, Table2Shares) {
  const NetworkCost c = mobilenet();
  std::int64_t mults[4] = {}, params[4] = {};  // pw, dw, conv, fc
  for (const LayerRow& row : c.rows) {
    const int k = row.layer.kind == LayerKind::pw     ? 0
                  : row.layer.kind == LayerKind::dw   ? 1
                  : row.layer.kind == LayerKind::conv ? 2
                  : row.layer.kind == LayerKind::fc   ? 3
                                                      : -1;
    if (k < 0) continue;
    mults[k] += row.as_written.mults;
    params[k] += row.as_written.params;
  }
  const auto share = [](std::int64_t part, std::int64_t total) {
    return std::round(10000.0 * static_cast<double>(part) / static_cast<double>(total)) / 100;
  };
  EXPECT_EQ(share(mults[0], c.as_written.mults), 94.86);
  EXPECT_EQ(share(params[0], c.as_written.params), 74.59);
  EXPECT_EQ(share(mults[1], c.as_written.mults), 3.06);
  EXPECT_EQ(share(params[1], c.as_written.params), 1.06);
  EXPECT_EQ(share(mults[2], c.as_written.mults), 1.91);  // printed as 1.19 in the paper
  EXPECT_EQ(share(params[2], c.as_written.params), 0.02);
  EXPECT_EQ(share(mults[3], c.as_written.mults), 0.18);
  EXPECT_EQ(share(params[3], c.as_written.params), 24.33);
}

TEST(CostMobileNet, Table6WidthMultiplier) {
  const NetworkCost c75 = mobilenet(0.75);
  EXPECT_EQ(rounded(c75.as_written.mults, 1e6), 325);
  EXPECT_EQ(rounded(c75.as_written.params, 1e6, 1), 2.6);
  const NetworkCost c50 = mobilenet(0.5);
  EXPECT_EQ(rounded(c50.as_written.mults, 1e6), 149);
  EXPECT_EQ(rounded(c50.as_written.params, 1e6, 1), 1.3);
  const NetworkCost c25 = mobilenet(0.25);
  EXPECT_EQ(rounded(c25.as_written.mults, 1e6), 41);
  EXPECT_EQ(rounded(c25.as_written.params, 1e6, 1), 0.5);
}

TEST(CostMobileNet, Table7Resolution) {
  EXPECT_EQ(rounded(mobilenet(1.0, 192).as_written.mults, 1e6), 418);
  EXPECT_EQ(rounded(mobilenet(1.0, 128).as_written.mults, 1e6), 186);
  // The paper prints 290; the exact count is 290.68 million (569 * (160/224)^2 = 290.3 would print
  // 290, so the paper may have scaled rather than counted).
  EXPECT_EQ(mobilenet(1.0, 160).as_written.mults, 290675200);
  EXPECT_EQ(rounded(mobilenet(1.0, 128).as_written.params, 1e6, 1),
            4.2);  // resolution keeps params
}

// Two layers worked by hand, independently of the code's formulas.
TEST(CostMobileNet, LayersByHand) {
  const NetworkCost c = mobilenet();
  // Layer 1: 3x3 conv, stride 2, 224x224x3 -> 112x112x32: 112*112 outputs, each 3*3*3 per channel.
  const LayerRow& conv = c.rows[0];
  EXPECT_EQ(conv.output.h, 112);
  EXPECT_EQ(conv.output.c, 32);
  EXPECT_EQ(conv.as_written.mults, 10838016);  // 12544 * 27 * 32
  EXPECT_EQ(conv.as_written.params, 864);
  // Layers 4 and 5: dw 3x3 s2 on 112x112x64 -> 56x56x64, then pw to 128.
  const LayerRow& dw = c.rows[3];
  const LayerRow& pw = c.rows[4];
  EXPECT_EQ(dw.input.h, 112);
  EXPECT_EQ(dw.output.h, 56);
  EXPECT_EQ(dw.as_written.mults, 1806336);  // 3136 positions * 64 channels * 9
  EXPECT_EQ(dw.as_written.params, 576);
  EXPECT_EQ(pw.as_written.mults, 25690112);  // 3136 * 64 * 128
  EXPECT_EQ(pw.as_written.params, 8192);
  // Their standard replacement: 3x3 conv, 64 -> 128, stride 2: 3136 * 9 * 64 * 128.
  ASSERT_TRUE(dw.standard.has_value());
  EXPECT_EQ(dw.standard->mults, 231211008);
  EXPECT_EQ(dw.standard->params, 73728);
  EXPECT_FALSE(pw.standard.has_value());
  // The fc layer: 1024 * 1000 weights, no bias.
  EXPECT_EQ(c.rows.back().as_written.mults, 1024000);
  EXPECT_EQ(c.rows.back().as_written.params, 1024000);
}

TEST(CostNetwork, SmallFileByHand) {
  const Network net = parse_network_text(
      "# a toy\n"
      "input 8x8x4   # comment after\n"
      "\n"
      "conv 3x3 s1 valid 6\n"  // 6x6x6: 36 * 6 * 4 * 9 = 7776
      "dw 3x3 s2 m2\n"         // same: 3x3x12: 9 * 12 * 9 = 972
      "pw 5\n"                 // 3x3x5: 9 * 12 * 5 = 540
      "maxpool 3\n"            // 1x1x5
      "fc 10\n",               // 50
      "toy.txt");
  EXPECT_EQ(net.layers.size(), 5u);
  EXPECT_EQ(net.layers[0].line, 4);
  const NetworkCost c = network_cost(net);
  EXPECT_EQ(c.rows[0].as_written.mults, 7776);
  EXPECT_EQ(c.rows[1].output.c, 12);
  EXPECT_EQ(c.rows[1].as_written.mults, 972);
  EXPECT_EQ(c.rows[2].as_written.mults, 540);
  EXPECT_EQ(c.rows[3].output.h, 1);
  EXPECT_EQ(c.as_written.mults, 7776 + 972 + 540 + 50);
  EXPECT_EQ(c.as_written.params, 216 + 108 + 60 + 50);
  // Standard: conv 3x3 s2, 6 -> 5 channels on 3x3 outputs: 9 * 9 * 6 * 5 = 2430.
  EXPECT_EQ(c.rows[1].standard->mults, 2430);
  EXPECT_EQ(c.standard.mults, 7776 + 2430 + 50);
}

TEST(CostNetwork, WidthRounding) {
  EXPECT_EQ(scale_channels(1024, 0.75), 768);
  EXPECT_EQ(scale_channels(100, 0.29), 29);
  EXPECT_EQ(scale_channels(32, 0.1), 8);  // TensorFlow's minimum depth of 8
  EXPECT_EQ(scale_channels(4, 0.5), 4);   // ... but never more than the layer had
  EXPECT_EQ(scale_channels(30, 0.5), 15);
}

/// The message of the Error thrown by parsing `text`.
std::string parse_error(const std::string& text) {
  try {
    network_cost(parse_network_text(text, "net.txt"));
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// Found by fuzz_network_parser: a line of a vertical tab survived trim() but had no word, and the
// parser read the first word of an empty list.
TEST(CostNetwork, LinesOfOnlyBlanksAreSkipped) {
  EXPECT_EQ(parse_error("\v"), "net.txt: no 'input HxWxC' line");
  EXPECT_EQ(parse_error("\f\n\v \t\n"), "net.txt: no 'input HxWxC' line");
}

TEST(CostNetwork, ErrorsNameFileAndLine) {
  EXPECT_EQ(parse_error("input 8x8x3\n\nconvv 3x3 8\n"),
            "net.txt:3: unknown layer kind 'convv' (expected input, conv, dw, pw, avgpool, "
            "maxpool or fc)");
  EXPECT_EQ(parse_error("conv 3x3 8\n"), "net.txt:1: the first line must be 'input HxWxC'");
  EXPECT_EQ(parse_error("input 8x8\n"),
            "net.txt:1: input: '8x8' is not HxWxC (for example 224x224x3)");
  EXPECT_EQ(parse_error("input 8x8x3\nconv 3x3\n"),
            "net.txt:2: conv needs its output channel count, e.g. 'conv 3x3 s2 32'");
  EXPECT_EQ(parse_error("input 8x8x3\npw 0\n"), "net.txt:2: channels: '0' must be positive");
  EXPECT_EQ(parse_error("input 8x8x3\ndw 3x3 s2 extra\n"),
            "net.txt:2: unexpected 'extra' in a dw line");
  EXPECT_EQ(parse_error("input 8x8x3\nconv 9x9 valid 4\n"),
            "net.txt:2: kernel 9 is larger than the input 8 with valid padding (use --padding "
            "same)");
  EXPECT_EQ(parse_error("# nothing\n"), "net.txt: no 'input HxWxC' line");
  EXPECT_EQ(parse_error("input 8x8x3\n"), "net.txt: no layers");
}

TEST(CostNetwork, MissingFile) {
  try {
    load_network("/no/such/network.txt");
    FAIL() << "no Error thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), "/no/such/network.txt");
    EXPECT_EQ(e.code(), ExitCode::failure);
  }
}

TEST(CostNetwork, ResolutionTooSmallForAValidPool) {
  const Network net = parse_network_text("input 14x14x3\navgpool 7\nfc 10\n", "net.txt");
  EXPECT_EQ(network_cost(net).rows[0].output.h, 2);
  EXPECT_THROW(network_cost(scaled(net, 1.0, 6)), Error);
}

}  // namespace
}  // namespace sepconv::netcost
