// `sepconv cost`: the arithmetic of depthwise separable convolution, for one layer or a network.
// This file only reads options, calls the model in src/netcost and prints; docs/cost.md is its
// manual.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "netcost/layer.hpp"
#include "netcost/network.hpp"

namespace sepconv::cli {
namespace {

using netcost::Count;
using netcost::Shape;

struct CostOptions {
  std::string input;
  std::string kernel;
  std::int64_t out_channels = 0;
  std::int64_t stride = 1;
  std::string padding = "valid";
  std::int64_t multiplier = 1;
  std::string network;
  double width_multiplier = 1.0;
  std::int64_t resolution = 0;  ///< 0: the network file's own input size
  bool json = false;
};

/// 1228800 -> "1,228,800".
std::string grouped(std::int64_t value) {
  std::string digits = std::to_string(value);
  const std::size_t sign = value < 0 ? 1 : 0;
  for (std::ptrdiff_t at = static_cast<std::ptrdiff_t>(digits.size()) - 3;
       at > static_cast<std::ptrdiff_t>(sign); at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

/// "568,740,352 mult-adds (568.74 million)"; below a million, no millions.
std::string amount(std::int64_t value, const char* noun) {
  if (value < 1000000) return fmt::format("{} {}", grouped(value), noun);
  return fmt::format("{} {} ({:.2f} million)", grouped(value), noun,
                     static_cast<double>(value) / 1e6);
}

/// Prints rows as columns; `right[i]` right-aligns column i. Columns are joined by two spaces.
void print_table(const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& right) {
  std::vector<std::size_t> width(right.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i == 0 ? "" : "  ";
      line += right[i] ? fmt::format("{:>{}}", row[i], width[i])
                       : fmt::format("{:<{}}", row[i], width[i]);
    }
    fmt::print("{}\n", line.substr(0, line.find_last_not_of(' ') + 1));
  }
}

nlohmann::json shape_json(const Shape& s) {
  return {{"h", s.h}, {"w", s.w}, {"c", s.c}};
}

nlohmann::json count_json(const Count& c) {
  return {{"mult_adds", c.mults}, {"params", c.params}};
}

/// The single-layer question from the options.
netcost::LayerSpec layer_spec(const CostOptions& opt) {
  if (opt.input.empty()) throw usage_error("--input", "required (or give --network)");
  if (opt.kernel.empty()) throw usage_error("--kernel", "required (or give --network)");
  if (opt.out_channels == 0) throw usage_error("--out-channels", "required (or give --network)");
  netcost::LayerSpec spec;
  spec.input = netcost::parse_shape(opt.input, "--input");
  spec.kernel = netcost::parse_kernel_size(opt.kernel, "--kernel");
  spec.out_channels = opt.out_channels;
  spec.stride = opt.stride;
  spec.padding = netcost::parse_padding(opt.padding, "--padding");
  spec.multiplier = opt.multiplier;
  return spec;
}

void print_layer_json(const netcost::LayerSpec& spec, const netcost::LayerCost& c) {
  const nlohmann::json out = {
      {"input", shape_json(spec.input)},
      {"kernel", {{"h", spec.kernel.h}, {"w", spec.kernel.w}}},
      {"out_channels", spec.out_channels},
      {"stride", spec.stride},
      {"padding", netcost::padding_name(spec.padding)},
      {"multiplier", spec.multiplier},
      {"output", shape_json(c.output)},
      {"standard", count_json(c.standard)},
      {"depthwise", count_json(c.depthwise)},
      {"pointwise", count_json(c.pointwise)},
      {"separable", count_json(c.separable)},
      {"ratio", c.ratio},
      {"formula", c.formula},
      {"biases_counted", false},
  };
  fmt::print("{}\n", out.dump(2));
}

/// "a*b*c" of the factors.
std::string product(const std::vector<std::int64_t>& factors) {
  return fmt::format("{}", fmt::join(factors, "*"));
}

void print_layer_text(const netcost::LayerSpec& spec, const netcost::LayerCost& c) {
  const std::int64_t n = spec.out_channels, ch = spec.input.c, m = spec.multiplier;
  const std::int64_t kh = spec.kernel.h, kw = spec.kernel.w, ho = c.output.h, wo = c.output.w;
  const bool square = kh == kw;
  const std::string k_sym = square ? "K*K" : "KH*KW";
  const std::string cm_sym = m == 1 ? "C" : "C*M";
  // Written out as the primer does, with M only when it is not 1.
  std::vector<std::int64_t> cm = {ch};
  if (m != 1) cm.push_back(m);
  auto join = [](std::vector<std::int64_t> a, const std::vector<std::int64_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };

  fmt::print(
      "input {}, kernel {}x{}, stride {}, padding {}, {} output channels{}: output {}\n\n",
      netcost::format_shape(spec.input), kh, kw, spec.stride, netcost::padding_name(spec.padding),
      n, m == 1 ? "" : fmt::format(", depth multiplier {}", m), netcost::format_shape(c.output));
  // One line a step, "formula = product = value", as the primer writes it.
  const auto line = [](const char* step, const std::string& formula, const std::string& factors,
                       std::int64_t value, const std::string& note = "") {
    fmt::print("  {:<10} {} = {} = {}{}\n", step, formula, factors, grouped(value), note);
  };
  const auto fewer = [](std::int64_t standard, std::int64_t separable) {
    return fmt::format(" ({:.1f}x fewer)",
                       static_cast<double>(standard) / static_cast<double>(separable));
  };
  fmt::print("mult-adds (one multiply-add per weight use)\n");
  line("standard", "N*C*" + k_sym + "*Ho*Wo", product({n, ch, kh, kw, ho, wo}), c.standard.mults);
  line("depthwise", cm_sym + "*" + k_sym + "*Ho*Wo", product(join(cm, {kh, kw, ho, wo})),
       c.depthwise.mults);
  line("pointwise", "N*" + cm_sym + "*Ho*Wo", product(join(join({n}, cm), {ho, wo})),
       c.pointwise.mults);
  line("separable", "depthwise + pointwise",
       grouped(c.depthwise.mults) + " + " + grouped(c.pointwise.mults), c.separable.mults,
       fewer(c.standard.mults, c.separable.mults));
  fmt::print("parameters (weights only; biases are not counted)\n");
  line("standard", "N*C*" + k_sym, product({n, ch, kh, kw}), c.standard.params);
  line("depthwise", cm_sym + "*" + k_sym, product(join(cm, {kh, kw})), c.depthwise.params);
  line("pointwise", "N*" + cm_sym, product(join({n}, cm)), c.pointwise.params);
  line("separable", "depthwise + pointwise",
       grouped(c.depthwise.params) + " + " + grouped(c.pointwise.params), c.separable.params,
       fewer(c.standard.params, c.separable.params));
  fmt::print("\nseparable / standard = {} / {} = {:.6f}\n", grouped(c.separable.mults),
             grouped(c.standard.mults), 1.0 / c.ratio);
  const std::string k_term = square ? "1/K^2" : "1/(KH*KW)";
  fmt::print("MobileNet formula {}1/N + {}{} = {}1/{} + 1/{}{} = {:.6f}\n", m == 1 ? "" : "M * (",
             k_term, m == 1 ? "" : ")", m == 1 ? "" : fmt::format("{} * (", m), n, kh * kw,
             m == 1 ? "" : ")", c.formula);
}

void run_layer(const CostOptions& opt) {
  const netcost::LayerSpec spec = layer_spec(opt);
  const netcost::LayerCost c = netcost::layer_cost(spec);
  if (opt.json) {
    print_layer_json(spec, c);
  } else {
    print_layer_text(spec, c);
  }
}

void print_network_json(const netcost::Network& net, const netcost::NetworkCost& c,
                        const CostOptions& opt) {
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    const netcost::LayerRow& row = c.rows[i];
    layers.push_back({
        {"index", i + 1},
        {"line", row.layer.line},
        {"kind", netcost::layer_kind_name(row.layer.kind)},
        {"text", row.layer.text},
        {"input", shape_json(row.input)},
        {"output", shape_json(row.output)},
        {"mult_adds", row.as_written.mults},
        {"params", row.as_written.params},
        // null on the pw row of a replaced pair: its work is in the dw row's replacement.
        {"standard", row.standard ? count_json(*row.standard) : nlohmann::json()},
    });
  }
  const nlohmann::json out = {
      {"network", net.source},
      {"input", shape_json(net.input)},
      {"width_multiplier", opt.width_multiplier},
      {"layers", layers},
      {"pairs_replaced", c.pairs_replaced},
      {"total", {{"as_written", count_json(c.as_written)}, {"standard", count_json(c.standard)}}},
      {"conventions",
       "mult-adds of conv, dw, pw and fc layers; pools count 0; "
       "params are weights only (no biases, no batch norm)"},
  };
  fmt::print("{}\n", out.dump(2));
}

void print_network_text(const netcost::Network& net, const netcost::NetworkCost& c) {
  fmt::print("network {}: input {}, {} layers, {} depthwise + pointwise pair{}\n", net.source,
             netcost::format_shape(net.input), c.rows.size(), c.pairs_replaced,
             c.pairs_replaced == 1 ? "" : "s");
  fmt::print("mult-adds and parameters (weights only: no biases, batch norm or pooling)\n\n");
  std::vector<std::vector<std::string>> rows = {{"#", "line", "layer", "input", "output",
                                                 "mult-adds", "params", "|", "standard mult-adds",
                                                 "params"}};
  for (std::size_t i = 0; i < c.rows.size(); ++i) {
    const netcost::LayerRow& row = c.rows[i];
    std::vector<std::string> cells = {std::to_string(i + 1),
                                      std::to_string(row.layer.line),
                                      row.layer.text,
                                      netcost::format_shape(row.input),
                                      netcost::format_shape(row.output),
                                      grouped(row.as_written.mults),
                                      grouped(row.as_written.params),
                                      "|"};
    cells.push_back(row.standard ? grouped(row.standard->mults) : "(in the row above)");
    cells.push_back(row.standard ? grouped(row.standard->params) : "");
    rows.push_back(cells);
  }
  rows.push_back({"total", "", "", "", "", grouped(c.as_written.mults),
                  grouped(c.as_written.params), "|", grouped(c.standard.mults),
                  grouped(c.standard.params)});
  print_table(rows, {true, true, false, false, false, true, true, false, true, true});
  const auto ratio = [](std::int64_t a, std::int64_t b) {
    return static_cast<double>(a) / static_cast<double>(b);
  };
  fmt::print("\nas written: {}, {}\n", amount(c.as_written.mults, "mult-adds"),
             amount(c.as_written.params, "parameters"));
  fmt::print("standard:   {}, {}\n", amount(c.standard.mults, "mult-adds"),
             amount(c.standard.params, "parameters"));
  fmt::print("standard / as written: {:.1f}x the mult-adds, {:.1f}x the parameters\n",
             ratio(c.standard.mults, c.as_written.mults),
             ratio(c.standard.params, c.as_written.params));
}

void run_network(const CostOptions& opt) {
  const std::optional<std::int64_t> resolution =
      opt.resolution > 0 ? std::optional<std::int64_t>(opt.resolution) : std::nullopt;
  const netcost::Network net =
      netcost::scaled(netcost::load_network(opt.network), opt.width_multiplier, resolution);
  const netcost::NetworkCost c = netcost::network_cost(net);
  if (opt.json) {
    print_network_json(net, c, opt);
  } else {
    print_network_text(net, c);
  }
}

/// A CLI11 validator from one of the model's parsers, so a bad size is reported as CLI11 reports
/// every other bad option.
template <typename Parse>
CLI::Validator from_parser(Parse parse, const std::string& name, const std::string& argument) {
  return CLI::Validator(
      [parse, argument](std::string& text) {
        try {
          parse(text, argument);
        } catch (const Error& e) {
          return e.reason();
        }
        return std::string();
      },
      name);
}

/// A positive, finite real number, e.g. the width multiplier 0.75.
CLI::Validator positive_real() {
  return CLI::Validator(
      [](std::string& text) {
        double value = 0;
        std::size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          return fmt::format("'{}' is not a number", text);
        }
        if (used != text.size() || !std::isfinite(value) || value <= 0) {
          return fmt::format("'{}' is not a positive number", text);
        }
        return std::string();
      },
      "POSITIVE");
}

/// A positive 64-bit integer, as parse_positive reads it.
CLI::Validator positive_integer(const std::string& argument) {
  return from_parser(netcost::parse_positive, "POSITIVE", argument);
}

}  // namespace

void add_cost_command(CLI::App& app, int& status) {
  auto opt = std::make_shared<CostOptions>();
  CLI::App* cmd = app.add_subcommand(
      "cost",
      "Multiplications and parameters of a standard convolution against depthwise + pointwise "
      "(MobileNet), for one layer or a network file.");
  auto* input = cmd->add_option("--input", opt->input, "Input feature map HxWxC, e.g. 12x12x3")
                    ->check(from_parser(netcost::parse_shape, "HxWxC", "--input"));
  auto* kernel = cmd->add_option("--kernel", opt->kernel, "Kernel size K (square) or KHxKW")
                     ->check(from_parser(netcost::parse_kernel_size, "K", "--kernel"));
  auto* out = cmd->add_option("--out-channels", opt->out_channels, "Output channels N")
                  ->check(positive_integer("--out-channels"));
  auto* stride = cmd->add_option("--stride", opt->stride, "Stride S (default 1)")
                     ->check(positive_integer("--stride"));
  auto* padding = cmd->add_option("--padding", opt->padding, "valid (default) or same")
                      ->check(CLI::IsMember({"valid", "same"}));
  auto* multiplier =
      cmd->add_option("--multiplier", opt->multiplier, "Depth multiplier M (default 1)")
          ->check(positive_integer("--multiplier"));
  auto* network = cmd->add_option("--network", opt->network,
                                  "Network file (one layer a line, in the format of the bundled "
                                  "filters/networks/mobilenet_v1.txt), or a bundled network name: "
                                  "mobilenet_v1");
  cmd->add_option("--width-multiplier", opt->width_multiplier,
                  "With --network: MobileNet's alpha, scaling conv and pw output channels")
      ->check(positive_real())
      ->needs(network);
  cmd->add_option("--resolution", opt->resolution,
                  "With --network: input resolution R (RxR) replacing the file's")
      ->check(positive_integer("--resolution"))
      ->needs(network);
  cmd->add_flag("--json", opt->json, "Print JSON instead of text");
  for (CLI::Option* single : {input, kernel, out, stride, padding, multiplier}) {
    network->excludes(single);
  }
  cmd->callback([opt, &status]() {
    if (opt->network.empty()) {
      run_layer(*opt);
    } else {
      run_network(*opt);
    }
    status = static_cast<int>(ExitCode::ok);
  });
}

}  // namespace sepconv::cli
