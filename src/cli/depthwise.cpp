// `sepconv depthwise INPUT -k KERNEL --pointwise MATRIX -o OUTPUT`: a depthwise separable
// convolution on a real image, optionally against the equivalent standard convolution. Parses
// options, calls the model in src/depthwise and prints; docs/depthwise.md is its manual.

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report.hpp"
#include "core/convert.hpp"
#include "core/depth.hpp"
#include "core/echo.hpp"
#include "core/error.hpp"
#include "depthwise/channels.hpp"
#include "depthwise/layer.hpp"
#include "depthwise/pipeline.hpp"
#include "depthwise/pointwise.hpp"
#include "depthwise/steps.hpp"
#include "io/image_io.hpp"

namespace sepconv::cli {
namespace {

struct DepthwiseOptions {
  std::string input;
  std::vector<std::string> kernels;
  int multiplier = 1;
  std::string pointwise;
  std::string output;
  std::string border = "reflect101";
  std::string depth = "same";
  std::string map = "clamp";
  std::string stats = "text";
  bool compare_full = false;
  bool overwrite = false;
};

using Outcome = DepthwiseOutcome;

/// "R", "G", "B" for colour, "Y" for gray, "c3" beyond; with a multiplier, "R:1" for kernel 1 of R.
std::string plane_label(const DepthwiseLayer& layer, int plane) {
  static const char* const rgb[] = {"R", "G", "B"};
  const int c = plane / layer.multiplier;
  std::string label = layer.channels == 1   ? "Y"
                      : layer.channels == 3 ? rgb[c]
                                            : fmt::format("c{}", c);
  if (layer.multiplier > 1) label += fmt::format(":{}", plane % layer.multiplier);
  return label;
}

nlohmann::json step_json(const StepOps& step) {
  return {{"per_pixel", ops_json(step.per_pixel)}, {"total", ops_json(step.total)}};
}

nlohmann::json kernels_json(const DepthwiseLayer& layer, const std::vector<Plan>& plans) {
  nlohmann::json list = nlohmann::json::array();
  for (int j = 0; j < layer.depthwise_planes(); ++j) {
    const Kernel& kernel = layer.kernels[j];
    list.push_back({{"plane", j},
                    {"channel", j / layer.multiplier},
                    {"index", j % layer.multiplier},
                    {"name", kernel.name},
                    {"rows", kernel.rows()},
                    {"cols", kernel.cols()},
                    {"anchor", {kernel.anchor.x, kernel.anchor.y}},
                    {"plan", plans[j].name()}});
  }
  return list;
}

nlohmann::json outcome_json(const DepthwiseOptions& options, const DepthwiseLayer& layer,
                            const Border& border, const Outcome& o) {
  std::vector<std::vector<double>> matrix;
  for (int n = 0; n < layer.pointwise.rows; ++n) {
    matrix.emplace_back(layer.pointwise[n], layer.pointwise[n] + layer.pointwise.cols);
  }
  nlohmann::json json = image_json(options.input, options.output, o.size, o.channels, o.out_size);
  json.update({{"depthwise_channels", layer.channels},
               {"multiplier", layer.multiplier},
               {"depthwise_planes", layer.depthwise_planes()},
               {"out_channels", layer.out_channels()},
               {"pages", fits_one_image(layer.out_channels()) ? 1 : layer.out_channels()},
               {"depth", depth_label(o.out_depth)},
               {"map", value_map_name(o.map)},
               {"kernels", kernels_json(layer, o.plans)},
               {"pointwise",
                {{"name", layer.pointwise_name},
                 {"rows", layer.pointwise.rows},
                 {"cols", layer.pointwise.cols},
                 {"matrix", matrix}}},
               {"border", border_name(border)},
               {"ops",
                {{"depthwise", step_json(o.ops.depthwise)},
                 {"pointwise", step_json(o.ops.pointwise)},
                 {"separable", step_json(o.ops.separable)},
                 {"standard", step_json(o.ops.standard)}}},
               {"time_ms",
                {{"read", o.read_ms},
                 {"depthwise", o.depthwise_ms},
                 {"pointwise", o.pointwise_ms},
                 {"write", o.write_ms}}}});
  if (o.compare_full) {
    json["compare_full"] = {{"max_abs", o.compare_full->max_abs},
                            {"mean_abs", o.compare_full->mean_abs}};
    json["time_ms"]["full"] = o.full_ms;
  }
  return json;
}

/// "gaussian3 3x3 (separable) on every plane", or "R sobel_x (separable), G ...".
std::string kernels_text(const DepthwiseLayer& layer, const std::vector<Plan>& plans) {
  const Kernel& first = layer.kernels.front();
  bool same = true;
  for (const Kernel& kernel : layer.kernels) same = same && kernel.name == first.name;
  if (same) {
    return fmt::format("{} {}x{} ({}) on every plane", echo(first.name), first.rows(), first.cols(),
                       plans.front().name());
  }
  std::vector<std::string> parts;
  for (int j = 0; j < layer.depthwise_planes(); ++j) {
    parts.push_back(fmt::format("{} {} ({})", plane_label(layer, j), echo(layer.kernels[j].name),
                                plans[j].name()));
  }
  return fmt::format("{}x{}: {}", first.rows(), first.cols(), fmt::join(parts, ", "));
}

/// "18 mul + 12 add", each number right-aligned to its column's width.
std::string ops_text(const OpCount& ops, std::size_t mul_width, std::size_t add_width) {
  return fmt::format("{:>{}} mul + {:>{}} add", with_thousands(ops.mul), mul_width,
                     with_thousands(ops.add), add_width);
}

/// The four rows of counts, per pixel and in total, with aligned columns.
void print_ops_table(const LayerOps& ops, const std::string& standard_note) {
  const std::pair<const char*, const StepOps*> rows[] = {{"depthwise", &ops.depthwise},
                                                         {"pointwise", &ops.pointwise},
                                                         {"together", &ops.separable},
                                                         {"standard", &ops.standard}};
  std::size_t widths[4] = {0, 0, 0, 0};  // per-pixel mul, add; total mul, add
  for (const auto& [name, step] : rows) {
    const OpCount counts[] = {step->per_pixel, step->total};
    for (int i = 0; i < 2; ++i) {
      widths[2 * i] = std::max(widths[2 * i], with_thousands(counts[i].mul).size());
      widths[2 * i + 1] = std::max(widths[2 * i + 1], with_thousands(counts[i].add).size());
    }
  }
  for (const auto& [name, step] : rows) {
    fmt::print(stderr, "  {:<10}  {} per pixel, {} in total{}\n", name,
               ops_text(step->per_pixel, widths[0], widths[1]),
               ops_text(step->total, widths[2], widths[3]),
               step == &ops.standard ? standard_note : "");
  }
}

void print_outcome_text(const DepthwiseOptions& options, const DepthwiseLayer& layer,
                        const Border& border, const Outcome& o) {
  const int n = layer.out_channels();
  fmt::print(stderr,
             "{} -> {}: {}x{}, {} channel{} x multiplier {} -> pointwise {} -> {} channel{}{}, "
             "border {}\n",
             options.input, options.output, o.size.width, o.size.height, layer.channels,
             layer.channels == 1 ? "" : "s", layer.multiplier, layer.pointwise_name, n,
             n == 1 ? "" : "s", fits_one_image(n) ? "" : " (TIFF pages)", border_name(border));
  fmt::print(stderr, "  kernels     {}\n", kernels_text(layer, o.plans));
  const OpCount& standard = o.ops.standard.total;
  print_ops_table(o.ops,
                  fmt::format(" ({}x{} kernels of {}x{}: {:.2f}x the multiplications)", n,
                              layer.channels, layer.kernel_size().height, layer.kernel_size().width,
                              static_cast<double>(standard.mul) / o.ops.separable.total.mul));
  if (o.compare_full) {
    fmt::print(stderr,
               "  compare     standard convolution differs by at most {:.3g} (mean {:.3g})\n",
               o.compare_full->max_abs, o.compare_full->mean_abs);
  }
  fmt::print(stderr, "  output      {}x{} {}, map {}\n", o.out_size.width, o.out_size.height,
             depth_label(o.out_depth), value_map_name(o.map));
  fmt::print(stderr,
             "  time        read {:.1f} ms, depthwise {:.1f} ms, pointwise {:.1f} ms{}, write "
             "{:.1f} ms\n",
             o.read_ms, o.depthwise_ms, o.pointwise_ms,
             o.compare_full ? fmt::format(", standard {:.1f} ms", o.full_ms) : "", o.write_ms);
}

int run_depthwise(const DepthwiseOptions& options) {
  if (same_file(options.input, options.output) && !options.overwrite) {
    throw Error(options.output, "is the input file itself; pass --overwrite to replace it");
  }
  const std::vector<Kernel> kernels = parse_kernel_list(options.kernels);
  const Kernel pointwise = parse_pointwise(options.pointwise);
  const Border border = parse_border(options.border);
  const DepthwiseRequest request{options.multiplier, border, parse_output_depth(options.depth),
                                 parse_value_map(options.map), options.compare_full};
  const Outcome outcome =
      run_depthwise_files(options.input, options.output, kernels, pointwise, request);
  const DepthwiseLayer& layer = outcome.layer;
  if (options.stats == "json")
    fmt::print("{}\n", outcome_json(options, layer, border, outcome).dump());
  if (options.stats == "text" && !quiet()) print_outcome_text(options, layer, border, outcome);
  return 0;
}

}  // namespace

void add_depthwise_command(CLI::App& app, int& status) {
  auto options = std::make_shared<DepthwiseOptions>();
  CLI::App* command = app.add_subcommand(
      "depthwise",
      "Depthwise separable convolution (MobileNet): a spatial kernel per channel, then a pointwise "
      "matrix mixing the channels");
  command->add_option("input", options->input, "Input image")->required();
  add_kernel_list_option(*command, options->kernels,
                         "one for every plane, or one per plane: repeat -k or separate with "
                         "commas, channel-major (R, G, B; with --multiplier M, M kernels per "
                         "channel)");
  command
      ->add_option("--multiplier", options->multiplier,
                   "Kernels per input channel (Keras' "
                   "depth_multiplier)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  command
      ->add_option("--pointwise", options->pointwise,
                   "N x C*M matrix: rgb_to_luma, rgb_to_ycbcr, identity3, a file or "
                   "\"[0.5 0.5 0]\"; columns in R, G, B order")
      ->required();
  command
      ->add_option("-o,--output", options->output,
                   "Output image (1, 3 or 4 channels), else a multi-page .tif")
      ->required();
  add_border_option(*command, options->border);
  command->add_option("--depth", options->depth, "Output depth: same, u8, u16, s16 or f32")
      ->check(parsed_by(parse_output_depth, "DEPTH"))
      ->capture_default_str();
  command
      ->add_option("--map", options->map,
                   "Fit values into the output depth: clamp, abs, offset or normalize")
      ->check(parsed_by(parse_value_map, "MAP"))
      ->capture_default_str();
  command->add_option("--stats", options->stats, "text (stderr), json (stdout) or none")
      ->check(CLI::IsMember({"text", "json", "none"}))
      ->capture_default_str();
  command->add_flag("--compare-full", options->compare_full,
                    "Also run the equivalent standard convolution and report the difference");
  command->add_flag("--overwrite", options->overwrite, "Allow the output to replace the input");
  command->callback([options, &status] { status = run_depthwise(*options); });
}

}  // namespace sepconv::cli
