// `sepconv compare INPUT... -k KERNEL`: runs every plan that applies to the kernel on the same
// input, and reports how far each is from the full plan, what it costs and how fast it ran.

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "cli/batch.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report.hpp"
#include "compare/comparison.hpp"
#include "compare/metrics.hpp"
#include "compare/plans.hpp"
#include "compare/render.hpp"
#include "core/convert.hpp"
#include "core/depth.hpp"
#include "core/echo.hpp"
#include "core/error.hpp"
#include "io/image_io.hpp"
#include "kernel/parse.hpp"

namespace sepconv::cli {
namespace {
namespace fs = std::filesystem;

struct CompareOptions {
  BatchOptions batch;
  std::string kernel;
  std::string border = "reflect101";
  bool convolve = false;
  std::string depth = "same";
  std::string map = "auto";
  std::optional<double> tolerance;
  int runs = 5;
  std::string diff;     ///< heat-map path; "{}" stands for the input's name without extension
  std::string montage;  ///< montage path, the same way
  bool json = false;
};

struct Setup {
  Kernel kernel;
  Analysis analysis;
  Border border;
  OutputDepth depth;
  ValueMap map;
  int runs = 5;
};

/// What compare found for one input: the numbers (compare/comparison.hpp) and where its pictures
/// go.
struct Comparison : PlanComparison {
  std::string input;
  std::string diff_path, montage_path;
};

/// A --diff/--montage template for one input: "{}" becomes the input's name without extension.
std::string expand_template(const std::string& pattern, const BatchItem& item) {
  const fs::path relative(item.relative);
  const std::string stem = (relative.parent_path() / relative.stem()).string();
  std::string path = pattern;
  if (const auto at = path.find("{}"); at != std::string::npos) path.replace(at, 2, stem);
  return path;
}

std::string plan_label(const PlanRun& run) {
  return fmt::format("{}: {} mul/px", run.plan.name(), run.plan.ops_per_pixel().mul);
}

void write_pictures(const Comparison& c, const cv::Mat& image,
                    const std::vector<cv::Mat>& outputs) {
  const PlanRun& shown = c.runs.size() > 1 ? c.runs[1] : c.runs[0];
  const cv::Mat1d difference = abs_difference_map(c.runs[0].values, shown.values);
  const std::string title = fmt::format("|full - {}|, max {:.3g}", shown.plan.name(), c.heat_top);
  if (!c.diff_path.empty()) {
    write_image_atomically(c.diff_path, heat_map_image(difference, c.heat_top, title));
  }
  if (c.montage_path.empty()) return;
  const int height = montage_height(image.rows);
  const std::vector<Panel> panels = {
      {display_bgr(image), fmt::format("input {}", fs::path(c.input).filename().string())},
      {display_bgr(outputs[0]), plan_label(c.runs[0])},
      {display_bgr(outputs.size() > 1 ? outputs[1] : outputs[0]), plan_label(shown)},
      {heat_with_scale(difference, c.heat_top, height), title}};
  write_image_atomically(c.montage_path, montage(panels));
}

Comparison compare_one(const Setup& setup, const BatchItem& item, const CompareOptions& options) {
  const cv::Mat image = read_input(item.input);
  Comparison c;
  static_cast<PlanComparison&>(c) = compare_plans(
      image, setup.kernel, setup.analysis, {setup.border, setup.depth, setup.map, setup.runs});
  c.input = item.input;
  if (!options.diff.empty()) c.diff_path = expand_template(options.diff, item);
  if (!options.montage.empty()) c.montage_path = expand_template(options.montage, item);
  write_pictures(c, image, c.outputs);
  return c;
}

/// PSNR for JSON: null stands for +infinity (identical), which JSON cannot hold.
nlohmann::json psnr_json(double psnr) {
  return std::isinf(psnr) ? nlohmann::json(nullptr) : nlohmann::json(psnr);
}

nlohmann::json metrics_json(const DiffMetrics& m) {
  return {{"max_abs", m.max_abs},
          {"mean_abs", m.mean_abs},
          {"psnr_db", psnr_json(m.psnr_db)},
          {"identical", m.mse == 0},
          {"identical_fraction", m.identical_fraction},
          {"differing_samples", m.differing},
          {"peak", m.peak}};
}

nlohmann::json comparison_json(const Setup& setup, const Comparison& c) {
  nlohmann::json plans = nlohmann::json::array();
  for (const PlanRun& run : c.runs) {
    plans.push_back(
        {{"mode", mode_name(run.plan.mode)},
         {"plan", run.plan.name()},
         {"arithmetic", arithmetic_name(run.plan.arithmetic)},
         {"time_ms", run.time_ms},
         {"times_ms", run.times_ms},
         {"ops",
          {{"per_pixel", ops_json(run.plan.ops_per_pixel())}, {"total", ops_json(run.total)}}},
         {"speedup_measured", measured_speedup(c.runs.front(), run)},
         {"speedup_predicted", predicted_speedup(c.runs.front().plan, run.plan)}});
  }
  nlohmann::json diffs = nlohmann::json::array();
  for (const PairDiff& d : c.diffs) {
    nlohmann::json entry = {{"a", d.a}, {"b", d.b}, {"compared", "filtered values (doubles)"}};
    entry.update(metrics_json(d.values));
    nlohmann::json output = {{"depth", depth_label(c.out_depth)}, {"map", value_map_name(c.map)}};
    output.update(metrics_json(d.output));
    entry["output"] = output;
    diffs.push_back(entry);
  }
  const auto path_or_null = [](const std::string& path) {
    return path.empty() ? nlohmann::json(nullptr) : nlohmann::json(path);
  };
  return {{"input", c.input},
          {"width", c.size.width},
          {"height", c.size.height},
          {"channels", c.channels},
          {"kernel", kernel_json(setup.kernel, setup.analysis)},
          {"border", border_name(setup.border)},
          {"runs", setup.runs},
          {"plans", plans},
          {"diffs", diffs},
          {"diff_image", path_or_null(c.diff_path)},
          {"diff_scale", {{"min", 0}, {"max", c.heat_top}}},
          {"montage", path_or_null(c.montage_path)}};
}

std::string psnr_text(double psnr) {
  return std::isinf(psnr) ? "inf" : fmt::format("{:.2f}", psnr);
}

std::string metrics_text(const DiffMetrics& m) {
  return fmt::format(
      "max |diff| {:.6g}, mean {:.6g}, PSNR {} dB, identical {:.3f}% ({} samples differ)",
      m.max_abs, m.mean_abs, psnr_text(m.psnr_db), 100 * m.identical_fraction,
      with_thousands(m.differing));
}

std::string comparison_text(const Setup& setup, const Comparison& c) {
  std::string text = fmt::format(
      "{}: {}x{}, {} channel{}; kernel {} {}x{} rank {}, border {}, median of {} runs\n", c.input,
      c.size.width, c.size.height, c.channels, c.channels == 1 ? "" : "s", echo(setup.kernel.name),
      setup.kernel.rows(), setup.kernel.cols(), setup.analysis.rank, border_name(setup.border),
      setup.runs);
  text += fmt::format("  {:<12} {:>10} {:>7} {:>7} {:>16} {:>16} {:>9} {:>9}\n", "plan", "time ms",
                      "mul/px", "add/px", "total mul", "total add", "speed-up", "predicted");
  for (const PlanRun& run : c.runs) {
    const OpCount per_pixel = run.plan.ops_per_pixel();
    text += fmt::format("  {:<12} {:>10.3f} {:>7} {:>7} {:>16} {:>16} {:>8.2f}x {:>8.2f}x\n",
                        run.plan.name(), run.time_ms, per_pixel.mul, per_pixel.add,
                        with_thousands(run.total.mul), with_thousands(run.total.add),
                        measured_speedup(c.runs.front(), run),
                        predicted_speedup(c.runs.front().plan, run.plan));
  }
  for (const PairDiff& d : c.diffs) {
    text += fmt::format("  {} vs {}, filtered values: {}\n", d.b, d.a, metrics_text(d.values));
    text += fmt::format("  {} vs {}, {} output ({}): {}\n", d.b, d.a, depth_label(c.out_depth),
                        value_map_name(c.map), metrics_text(d.output));
  }
  if (!c.diff_path.empty()) {
    text += fmt::format("  difference heat map: {} (colour scale 0 .. {:.6g})\n", c.diff_path,
                        c.heat_top);
  }
  if (!c.montage_path.empty()) text += fmt::format("  montage: {}\n", c.montage_path);
  text.pop_back();
  return text;
}

void check_templates(const CompareOptions& options, size_t inputs) {
  for (const auto& [name, pattern] :
       {std::pair{"--diff", options.diff}, {"--montage", options.montage}}) {
    if (pattern.empty()) continue;
    if (inputs > 1 && pattern.find("{}") == std::string::npos) {
      throw usage_error(name,
                        fmt::format("{} inputs need a name with {{}} (the input's name), such "
                                    "as out/{{}}_diff.png",
                                    inputs));
    }
    if (const std::string reason = unsupported_output_reason(pattern, CV_8U); !reason.empty()) {
      throw usage_error(name, fmt::format("{}: {}", pattern, reason));
    }
  }
}

int run_compare(CompareOptions options) {
  if (options.json) options.batch.stats = "json";
  std::vector<BatchItem> items = expand_inputs(options.batch);
  check_templates(options, items.size());
  Kernel kernel = parse_kernel(options.kernel);
  if (options.convolve) kernel = flipped(kernel);
  const Setup setup{kernel,
                    analyze_kernel(kernel, options.tolerance),
                    parse_border(options.border),
                    parse_output_depth(options.depth),
                    parse_value_map(options.map),
                    options.runs};
  for (BatchItem& item : items) {
    for (const std::string& pattern : {options.diff, options.montage}) {
      if (!pattern.empty()) item.outputs.push_back(expand_template(pattern, item));
    }
  }
  const ItemWorker worker = [&setup, &options](const BatchItem& item) {
    const Comparison c = compare_one(setup, item, options);
    OpCount total;
    for (const PlanRun& run : c.runs) total += run.total;
    return ItemResult{comparison_json(setup, c), comparison_text(setup, c), total};
  };
  return run_batch(options.batch, std::move(items), worker, {"compare", TextTarget::stdout_stream});
}

}  // namespace

void add_compare_command(CLI::App& app, int& status) {
  auto options = std::make_shared<CompareOptions>();
  options->batch.jobs = 1;  // timings are truer one input at a time
  CLI::App* command = app.add_subcommand(
      "compare",
      "Run every plan that applies to a kernel (full, separable, lowrank) on each input and "
      "compare outputs, operation counts and times");
  add_batch_options(*command, options->batch, false);
  command->get_option("--jobs")->description(
      "Inputs processed in parallel (default 1: timings are truer one input at a time)");
  add_kernel_option(*command, options->kernel);
  add_border_option(*command, options->border);
  command->add_flag("--convolve", options->convolve, "True convolution: flip the kernel");
  command
      ->add_option("--depth", options->depth,
                   "Output depth the converted outputs are compared in: same, u8, u16, s16, f32")
      ->capture_default_str();
  command->add_option("--map", options->map, "auto, clamp, abs, offset or normalize (as apply)")
      ->capture_default_str();
  command->add_option("--tol", options->tolerance, "Relative rank tolerance (see analyze)")
      ->check(finite_number(0, HUGE_VAL, true));
  command->add_option("--runs", options->runs, "Timed runs per plan; the median is reported")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command->add_option(
      "--diff", options->diff,
      "Write |full - separated| as a heat map with its colour scale ({} = input name)");
  command->add_option("--montage", options->montage,
                      "Write input, full, separated and difference side by side, labelled ({} = "
                      "input name)");
  command->add_flag("--json", options->json, "One JSON object per input per line (--stats json)");
  // -q needs nothing here: compare's report is its product, on stdout.
  command->callback([options, &status] { status = run_compare(*options); });
}

}  // namespace sepconv::cli
