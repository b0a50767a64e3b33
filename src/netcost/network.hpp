#pragma once
// A network as a list of layers (docs/cost.md "Network files"), its per-layer and total mult-adds
// and weights, and the same network with every depthwise + pointwise pair replaced by one standard
// convolution, as in MobileNet's Table 4 (Howard et al. 2017, arXiv 1704.04861).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "netcost/layer.hpp"

namespace sepconv::netcost {

enum class LayerKind { conv, dw, pw, avgpool, maxpool, fc };

const char* layer_kind_name(LayerKind kind);

/// One line of a network file. Which fields matter depends on the kind.
struct Layer {
  LayerKind kind = LayerKind::conv;
  int line = 0;                     ///< 1-based line number in the source
  std::string text;                 ///< the line without its comment, for printing
  KernelSize kernel{1, 1};          ///< conv, dw, pools
  bool global = false;              ///< pools: the kernel is the whole input map
  std::int64_t stride = 1;          ///< conv, dw, pools (pools default to their kernel size)
  Padding padding = Padding::same;  ///< conv, dw (same by default); pools valid
  std::int64_t out_channels = 0;    ///< conv, pw, fc
  std::int64_t multiplier = 1;      ///< dw: output channels per input channel
};

/// A parsed network file: the input shape and the layers in order.
struct Network {
  std::string source;  ///< the file, for messages
  Shape input;
  std::vector<Layer> layers;
};

/// Parses network text; errors name "<source>:<line>".
Network parse_network_text(const std::string& text, const std::string& source);

/// Reads `argument` as a file if it exists, else as a bundled network name looked up in
/// filters_dir()/networks/<name>.txt. Throws Error naming the argument when neither exists.
Network load_network(const std::string& argument);

/// Channels scaled by the width multiplier as TensorFlow's MobileNet does: floor(c * alpha), but at
/// least min(c, 8).
std::int64_t scale_channels(std::int64_t channels, double alpha);

/// The network thinned by `alpha` (output channels of conv and pw layers; the image channels and
/// fc outputs, which are classes, stay) and with its input resized to resolution x resolution.
Network scaled(Network network, double alpha, std::optional<std::int64_t> resolution);

/// Multiply-adds and weights of one layer of the network.
struct LayerRow {
  Layer layer;
  Shape input;
  Shape output;
  Count as_written;
  /// The layer's part of the all-standard network: the replacing convolution on the dw row of a
  /// dw + pw pair, nothing (nullopt) on its pw row, the same count as written everywhere else.
  std::optional<Count> standard;
};

/// Per-layer rows and the totals of the network as written and with standard convolutions.
struct NetworkCost {
  std::vector<LayerRow> rows;
  Count as_written;
  Count standard;
  int pairs_replaced = 0;
};

/// Walks the network's shapes and counts it. Throws Error naming "<source>:<line>" when a layer
/// cannot apply (a valid kernel larger than its input) or a count overflows.
NetworkCost network_cost(const Network& network);

}  // namespace sepconv::netcost
