// Network files: parsing one layer a line, scaling by width and resolution, and counting.

#include "netcost/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/file_problem.hpp"
#include "core/filters_dir.hpp"
#include "netcost/checked.hpp"

namespace sepconv::netcost {
namespace {

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string trim(const std::string& text) {
  // The same blanks as split_words (std::isspace), so a line trim keeps always has a word.
  const auto first = text.find_first_not_of(" \t\r\n\v\f");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n\v\f");
  return text.substr(first, last - first + 1);
}

std::optional<LayerKind> kind_from_word(const std::string& word) {
  for (const LayerKind kind : {LayerKind::conv, LayerKind::dw, LayerKind::pw, LayerKind::avgpool,
                               LayerKind::maxpool, LayerKind::fc}) {
    if (word == layer_kind_name(kind)) return kind;
  }
  return std::nullopt;
}

bool is_pool(LayerKind kind) {
  return kind == LayerKind::avgpool || kind == LayerKind::maxpool;
}

/// A "sN" or "mN" word: the prefix letter and a positive number after it.
bool has_prefix_number(const std::string& word, char prefix) {
  return word.size() > 1 && word[0] == prefix && std::isdigit(static_cast<unsigned char>(word[1]));
}

/// Fills `layer` from the words after its kind. The first word is the kernel (conv, dw, pools) or
/// the channel count (pw, fc); the rest are sN (stride), mN (dw multiplier), same|valid, and the
/// output channel count of conv. Throws Error(reason) with an empty subject; the caller adds where.
void parse_layer_words(Layer& layer, const std::vector<std::string>& words) {
  const std::string kind = layer_kind_name(layer.kind);
  const bool takes_kernel =
      layer.kind == LayerKind::conv || layer.kind == LayerKind::dw || is_pool(layer.kind);
  if (words.empty()) {
    throw Error(
        "", fmt::format("{} needs {}", kind, takes_kernel ? "a kernel size" : "a channel count"));
  }
  bool stride_given = false;
  bool channels_given = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (i == 0 && takes_kernel) {
      if (is_pool(layer.kind) && word == "global") {
        layer.global = true;
      } else {
        layer.kernel = parse_kernel_size(word, "kernel");
      }
    } else if (i == 0 || (layer.kind == LayerKind::conv && !channels_given &&
                          std::isdigit(static_cast<unsigned char>(word[0])))) {
      layer.out_channels = parse_positive(word, "channels");
      channels_given = true;
    } else if (takes_kernel && has_prefix_number(word, 's')) {
      layer.stride = parse_positive(word.substr(1), "stride");
      stride_given = true;
    } else if (layer.kind == LayerKind::dw && has_prefix_number(word, 'm')) {
      layer.multiplier = parse_positive(word.substr(1), "multiplier");
    } else if ((layer.kind == LayerKind::conv || layer.kind == LayerKind::dw) &&
               (word == "same" || word == "valid")) {
      layer.padding = parse_padding(word, "padding");
    } else {
      throw Error("", fmt::format("unexpected '{}' in a {} line", word, kind));
    }
  }
  if (layer.kind == LayerKind::pw || layer.kind == LayerKind::fc) channels_given = true;
  if (layer.kind == LayerKind::conv && !channels_given) {
    throw Error("", "conv needs its output channel count, e.g. 'conv 3x3 s2 32'");
  }
  if (is_pool(layer.kind)) {
    layer.padding = Padding::valid;
    // Pools tile their input unless told otherwise.
    if (!stride_given && !layer.global) layer.stride = layer.kernel.h;
  }
}

/// One non-blank line: "input HxWxC" or a layer.
void parse_line(Network& network, const std::string& line, int number) {
  const auto words = split_words(line);
  if (words[0] == "input") {
    if (words.size() != 2) throw Error("", "expected 'input HxWxC', e.g. 'input 224x224x3'");
    if (network.input.c != 0) throw Error("", "a second 'input' line");
    if (!network.layers.empty()) throw Error("", "'input' must come before the layers");
    network.input = parse_shape(words[1], "input");
    return;
  }
  const auto kind = kind_from_word(words[0]);
  if (!kind) {
    throw Error("", fmt::format("unknown layer kind '{}' (expected input, conv, dw, pw, avgpool, "
                                "maxpool or fc)",
                                words[0]));
  }
  if (network.input.c == 0) throw Error("", "the first line must be 'input HxWxC'");
  Layer layer;
  layer.kind = *kind;
  layer.line = number;
  layer.text = line;
  parse_layer_words(layer, std::vector<std::string>(words.begin() + 1, words.end()));
  network.layers.push_back(layer);
}

std::string where(const Network& network, int line) {
  return fmt::format("{}:{}", network.source, line);
}

std::string read_file(const std::filesystem::path& path, const std::string& argument) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(argument, "cannot open the network file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(argument, "cannot read the network file");
  return text.str();
}

/// Bundled networks, for the error message when a name is not found.
std::string bundled_names(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.path().extension() == ".txt") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names.empty() ? "none found" : fmt::format("{}", fmt::join(names, ", "));
}

Count add(const Count& a, const Count& b, const std::string& what) {
  return {checked_add(a.mults, b.mults, what), checked_add(a.params, b.params, what)};
}

/// A convolution-like layer's count: `weights` per output position, `positions` outputs.
Count conv_count(std::int64_t weights, std::int64_t positions, const std::string& what) {
  return {checked_mul(weights, positions, what), weights};
}

/// The shape after `layer` and what it costs, given its input.
LayerRow count_layer(const Layer& layer, const Shape& in, const std::string& what) {
  LayerRow row{layer, in, in, {}, std::nullopt};
  switch (layer.kind) {
    case LayerKind::conv:
    case LayerKind::dw: {
      const std::int64_t ho = output_size(in.h, layer.kernel.h, layer.stride, layer.padding, what);
      const std::int64_t wo = output_size(in.w, layer.kernel.w, layer.stride, layer.padding, what);
      const bool depthwise = layer.kind == LayerKind::dw;
      const std::int64_t out_c =
          depthwise ? checked_mul(in.c, layer.multiplier, what) : layer.out_channels;
      // A depthwise filter sees one input channel; a standard one sees all of them.
      const std::int64_t weights =
          checked_product({out_c, depthwise ? 1 : in.c, layer.kernel.h, layer.kernel.w}, what);
      row.output = {ho, wo, out_c};
      row.as_written = conv_count(weights, checked_mul(ho, wo, what), what);
      break;
    }
    case LayerKind::pw:
      row.output = {in.h, in.w, layer.out_channels};
      row.as_written = conv_count(checked_mul(in.c, layer.out_channels, what),
                                  checked_mul(in.h, in.w, what), what);
      break;
    case LayerKind::avgpool:
    case LayerKind::maxpool:
      // Pools have no weights and no multiply-adds (sums or maxima, one division for avg);
      // MobileNet's Table 2 shares add up to 100% without them.
      row.output =
          layer.global
              ? Shape{1, 1, in.c}
              : Shape{output_size(in.h, layer.kernel.h, layer.stride, Padding::valid, what),
                      output_size(in.w, layer.kernel.w, layer.stride, Padding::valid, what), in.c};
      break;
    case LayerKind::fc:
      // Fully connected on the flattened input.
      row.output = {1, 1, layer.out_channels};
      row.as_written =
          conv_count(checked_product({in.h, in.w, in.c, layer.out_channels}, what), 1, what);
      break;
  }
  return row;
}

/// The standard convolution replacing a dw row followed by a pw row: dw's kernel, stride and
/// padding, pw's output channels, applied to dw's input.
Count replacement_count(const LayerRow& dw, const LayerRow& pw, const std::string& what) {
  const std::int64_t weights =
      checked_product({pw.output.c, dw.input.c, dw.layer.kernel.h, dw.layer.kernel.w}, what);
  return conv_count(weights, checked_mul(pw.output.h, pw.output.w, what), what);
}

}  // namespace

const char* layer_kind_name(LayerKind kind) {
  switch (kind) {
    case LayerKind::conv:
      return "conv";
    case LayerKind::dw:
      return "dw";
    case LayerKind::pw:
      return "pw";
    case LayerKind::avgpool:
      return "avgpool";
    case LayerKind::maxpool:
      return "maxpool";
    case LayerKind::fc:
      return "fc";
  }
  return "?";
}

Network parse_network_text(const std::string& text, const std::string& source) {
  Network network;
  network.source = source;
  std::istringstream in(text);
  int number = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++number;
    const std::string line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    try {
      parse_line(network, line, number);
    } catch (const Error& e) {
      // Every line error is about the file, not the command line: exit status 1, file:line first.
      throw Error(where(network, number), e.what());
    }
  }
  if (network.input.c == 0) throw Error(source, "no 'input HxWxC' line");
  if (network.layers.empty()) throw Error(source, "no layers");
  return network;
}

Network load_network(const std::string& argument) {
  const std::filesystem::path given(argument);
  std::error_code ec;
  if (input_file_problem(argument).empty()) {  // a regular file or a FIFO (<(...))
    return parse_network_text(read_file(given, argument), argument);
  }
  const std::filesystem::path folder = filters_dir() / "networks";
  for (const std::string& name : {argument + ".txt", argument}) {
    const std::filesystem::path bundled = folder / name;
    if (argument.find('/') == std::string::npos && std::filesystem::is_regular_file(bundled, ec)) {
      return parse_network_text(read_file(bundled, bundled.string()), bundled.string());
    }
  }
  // A path that exists in some form (a device, a loop of links) gets its own reason.
  if (const std::string problem = input_file_problem(argument); problem != "no such file") {
    throw Error(argument, problem);
  }
  throw Error(argument, fmt::format("no such file, nor a bundled network (bundled: {})",
                                    bundled_names(folder)));
}

std::int64_t scale_channels(std::int64_t channels, double alpha) {
  // The small epsilon keeps 100 * 0.29 at 29 instead of 28.999...; exact products are unchanged.
  const double scaled = std::floor(static_cast<double>(channels) * alpha + 1e-9);
  const std::int64_t floor_value = std::min<std::int64_t>(channels, 8);
  if (!(scaled < 9.2e18)) throw Error("--width-multiplier", "scaled channel count is too large");
  return std::max(static_cast<std::int64_t>(scaled), floor_value);
}

Network scaled(Network network, double alpha, std::optional<std::int64_t> resolution) {
  if (!(alpha > 0) || !std::isfinite(alpha)) {
    throw usage_error("--width-multiplier", "must be a positive number");
  }
  if (resolution) {
    if (*resolution <= 0) throw usage_error("--resolution", "must be positive");
    network.input.h = network.input.w = *resolution;
  }
  for (Layer& layer : network.layers) {
    if (layer.kind == LayerKind::conv || layer.kind == LayerKind::pw) {
      layer.out_channels = scale_channels(layer.out_channels, alpha);
    }
  }
  return network;
}

NetworkCost network_cost(const Network& network) {
  NetworkCost cost;
  Shape shape = network.input;
  for (const Layer& layer : network.layers) {
    const std::string what = where(network, layer.line);
    cost.rows.push_back(count_layer(layer, shape, what));
    shape = cost.rows.back().output;
  }
  for (std::size_t i = 0; i < cost.rows.size(); ++i) {
    LayerRow& row = cost.rows[i];
    const std::string what = where(network, row.layer.line);
    cost.as_written = add(cost.as_written, row.as_written, "network total");
    const bool pair = row.layer.kind == LayerKind::dw && i + 1 < cost.rows.size() &&
                      cost.rows[i + 1].layer.kind == LayerKind::pw;
    if (!pair) {
      row.standard = row.as_written;
      cost.standard = add(cost.standard, row.as_written, "standard network total");
      continue;
    }
    row.standard = replacement_count(row, cost.rows[i + 1], what);
    cost.standard = add(cost.standard, *row.standard, "standard network total");
    ++cost.pairs_replaced;
    // The pw row's work is inside the replacing convolution: count its as-written part only.
    ++i;
    cost.as_written = add(cost.as_written, cost.rows[i].as_written, "network total");
  }
  return cost;
}

}  // namespace sepconv::netcost
