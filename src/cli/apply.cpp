// `sepconv apply INPUT... -k KERNEL`: filter images with a kernel, full or separated, and report
// what it cost. Parses options, then hands each input to the plan and the engines; never loops over
// pixels.

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <optional>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "cli/batch.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report.hpp"
#include "core/convert.hpp"
#include "core/depth.hpp"
#include "core/echo.hpp"
#include "core/error.hpp"
#include "engine/engine.hpp"
#include "engine/image_filter.hpp"
#include "engine/passes_fixed.hpp"
#include "io/image_io.hpp"
#include "io/row_io.hpp"
#include "kernel/parse.hpp"
#include "pipeline/banded.hpp"

namespace sepconv::cli {
namespace {

struct ApplyOptions {
  BatchOptions batch;
  std::string kernel;
  std::string mode = "auto";
  std::string border = "reflect101";
  bool convolve = false;
  std::string depth = "same";
  std::string map = "auto";
  std::optional<double> tolerance;
  std::optional<double> approx_tolerance;
  std::string precision = "exact";
};

/// Everything about the run that does not depend on the input image.
struct Setup {
  Kernel kernel;
  Analysis analysis;
  PlanRequest mode;
  Border border;
  OutputDepth depth;
  ValueMap map;
  Precision precision = Precision::exact;
};

/// What one input produced, for the statistics.
struct Outcome {
  std::string input, output;
  cv::Size size, out_size;
  int channels = 0, filtered_channels = 0;
  Plan plan;
  FixedPointForm fixed;  ///< --precision fixed: whether it ran, and its error bound
  ValueMap map = ValueMap::clamp;
  int out_depth = CV_8U;
  OpCount total;
  OpCount executed;  ///< what the engine ran: zero taps skipped, rows recomputed at strip edges
  double read_ms = 0, filter_ms = 0, write_ms = 0;
  int band_rows = 0;  ///< rows a band when streamed from decoder to encoder; 0: read whole
};

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// The plan and output settings for an input of `depth` and `outcome.size`; refuses an output
/// that cannot hold the result's depth or size (`checked_name`: the output, "stdout.FORMAT" for -).
void decide(const Setup& setup, int depth, Outcome& outcome, const std::string& checked_name) {
  outcome.out_depth = resolve_depth(setup.depth, depth);
  if (const std::string reason = unsupported_output_reason(checked_name, outcome.out_depth);
      !reason.empty()) {
    throw Error(outcome.output, reason);
  }
  outcome.out_size = output_size(outcome.size, setup.kernel.values.size(), setup.border);
  if (const std::string reason = unsupported_output_size_reason(checked_name, outcome.out_size);
      !reason.empty()) {
    throw Error(outcome.output, reason);
  }
  outcome.plan = make_plan(setup.kernel, setup.analysis, setup.mode, depth, setup.border);
  outcome.map = resolve_map(setup.map, setup.analysis.zero_sum, outcome.out_depth);
  outcome.plan.precision = setup.precision;
  outcome.fixed =
      fixed_point_form(outcome.plan, depth, outcome.out_depth, outcome.map, setup.border);
}

/// Filters an input a band of rows at a time from decoder to encoder (pipeline/banded.hpp), when
/// the input, the output and the plan allow it; nothing when the whole image must be read (then
/// nothing has been written). The plans that need more than a window of rows (FFT, the wrap
/// border, the normalize map) and the formats without a row codec take the whole-image path.
/// Any file the row readers know has its header read here first, so an output that cannot hold
/// the image (its depth, or a side too long for WebP or JPEG) is refused before a pixel is read.
std::optional<Outcome> process_banded(const Setup& setup, const BatchItem& item,
                                      const std::string& format) {
  const std::string& output = item.outputs.front();
  if (item.input == "-") return std::nullopt;
  std::unique_ptr<RowReader> reader = open_row_reader(item.input);
  if (!reader) return std::nullopt;
  Outcome outcome;
  outcome.input = item.input;
  outcome.output = output;
  outcome.size = reader->size();
  outcome.channels = CV_MAT_CN(reader->type());
  const int depth = CV_MAT_DEPTH(reader->type());
  decide(setup, depth, outcome, checked_output_name(output, format));
  const int out_type = CV_MAKETYPE(outcome.out_depth, outcome.channels);
  if (!streams_into(output, out_type, setup.border) || outcome.plan.mode == Mode::fft ||
      outcome.map == ValueMap::normalize) {
    return std::nullopt;
  }
  const Plan& plan = outcome.plan;
  const BandGeometry geometry =
      band_geometry(plan.rows, plan.anchor.y, setup.border.kind == BorderKind::valid);
  const int band_rows = band_rows_for(outcome.size, reader->type(), plan.rows);
  outcome.band_rows = band_rows;
  const BandFilter filter = [&](const cv::Mat& band) {
    FilteredImage filtered = filter_image(band, plan, setup.border, outcome.out_depth, outcome.map);
    outcome.executed += filtered.executed;
    outcome.filtered_channels = filtered.filtered_channels;
    return filtered.pixels;
  };
  BandedTimes times;
  write_rows_atomically(
      output, outcome.out_size, out_type,
      [&](RowWriter& writer) { times = run_banded(*reader, writer, geometry, band_rows, filter); },
      reader->metadata());
  outcome.read_ms = times.read_ms;
  outcome.filter_ms = times.filter_ms;
  outcome.write_ms = times.write_ms;
  outcome.total = planned_ops(plan, outcome.size, setup.border) * outcome.filtered_channels;
  return outcome;
}

Outcome process(const Setup& setup, const BatchItem& item, const std::string& format) {
  if (std::optional<Outcome> banded = process_banded(setup, item, format)) {
    return std::move(*banded);
  }
  Outcome outcome;
  outcome.input = item.input;
  outcome.output = item.outputs.front();
  const std::string& output = outcome.output;
  auto start = Clock::now();
  Metadata metadata;  // EXIF, ICC, XMP: carried to the output
  cv::Mat image = read_input(item.input, &metadata);
  outcome.read_ms = ms_since(start);
  outcome.size = image.size();
  outcome.channels = image.channels();
  decide(setup, image.depth(), outcome, checked_output_name(output, format));

  start = Clock::now();
  const FilteredImage filtered =
      filter_image(image, outcome.plan, setup.border, outcome.out_depth, outcome.map);
  outcome.filter_ms = ms_since(start);
  outcome.out_size = filtered.pixels.size();
  outcome.filtered_channels = filtered.filtered_channels;
  outcome.executed = filtered.executed;
  outcome.total =
      planned_ops(outcome.plan, image.size(), setup.border) * filtered.filtered_channels;
  image.release();  // the encoder may hold the whole encoded output: not with the input as well

  start = Clock::now();
  write_output(output, filtered.pixels, format, metadata);
  outcome.write_ms = ms_since(start);
  return outcome;
}

/// --precision: what ran, and for fixed point its bound (grey levels): the output is within
/// error_bound + 0.5 of the exact value and at most levels_from_exact from the exact output.
nlohmann::json precision_json(const Outcome& o) {
  if (o.fixed.applies) {
    return {{"used", "fixed"},
            {"error_bound", o.fixed.error_bound + 0.5},
            {"levels_from_exact", o.fixed.level_bound()}};
  }
  nlohmann::json json = {{"used", "exact"}};
  if (o.plan.precision == Precision::fixed) json["fixed_not_used"] = o.fixed.reason;
  return json;
}

nlohmann::json outcome_json(const Setup& setup, const Outcome& o) {
  nlohmann::json json = image_json(o.input, o.output, o.size, o.channels, o.out_size);
  json.update(
      {{"filtered_channels", o.filtered_channels},
       {"depth", depth_label(o.out_depth)},
       {"map", value_map_name(o.map)},
       {"kernel", kernel_json(setup.kernel, setup.analysis)},
       {"mode", mode_name(o.plan.mode)},
       {"plan", o.plan.name()},
       {"terms", o.plan.terms.size()},
       {"approximate", o.plan.approximate},
       {"approximation_error", o.plan.approximation_error},
       {"arithmetic", arithmetic_name(o.plan.arithmetic)},
       {"precision", precision_json(o)},
       {"border", border_name(setup.border)},
       {"ops",
        {{"per_pixel", ops_json(o.plan.ops_per_pixel())},
         {"full_per_pixel", ops_json(setup.analysis.full_per_pixel)},
         {"separable_per_pixel", ops_json(setup.analysis.separable_per_pixel)},
         {"total", ops_json(o.total)},
         {"executed", o.plan.mode == Mode::fft ? nlohmann::json(nullptr) : ops_json(o.executed)}}},
       {"time_ms", {{"read", o.read_ms}, {"filter", o.filter_ms}, {"write", o.write_ms}}},
       {"band_rows", o.band_rows > 0 ? nlohmann::json(o.band_rows) : nlohmann::json(nullptr)}});
  return json;
}

std::string outcome_text(const Setup& setup, const Outcome& o) {
  std::string text;
  const OpCount per_pixel = o.plan.ops_per_pixel();
  const OpCount& full = setup.analysis.full_per_pixel;
  text += fmt::format(
      "{} -> {}: {}x{}, {} channel{} filtered, {} {}x{} rank {}, {} plan ({}), border {}\n",
      o.input, o.output, o.size.width, o.size.height, o.filtered_channels,
      o.filtered_channels == 1 ? "" : "s", echo(setup.kernel.name), setup.kernel.rows(),
      setup.kernel.cols(), setup.analysis.rank, o.plan.name(),
      o.plan.arithmetic == Arithmetic::integer ? "exact integer"
                                               : arithmetic_name(o.plan.arithmetic),
      border_name(setup.border));
  std::string comparison;
  if (o.plan.mode != Mode::full) {
    comparison = fmt::format(" (full: {} mul + {} add; {:.0f}% fewer multiplications)", full.mul,
                             full.add, 100.0 * (full.mul - per_pixel.mul) / full.mul);
  } else if (setup.analysis.separable_per_pixel) {
    comparison =
        fmt::format(" (separable: {} mul + {} add)", setup.analysis.separable_per_pixel->mul,
                    setup.analysis.separable_per_pixel->add);
  }
  text += fmt::format("  per pixel: {} mul + {} add{}\n", per_pixel.mul, per_pixel.add, comparison);
  text += fmt::format("  total:     {} mul + {} add\n", with_thousands(o.total.mul),
                      with_thousands(o.total.add));
  if (o.plan.mode != Mode::fft) {
    text += fmt::format("  executed:  {} mul + {} add (zero taps skipped)\n",
                        with_thousands(o.executed.mul), with_thousands(o.executed.add));
  }
  if (o.fixed.applies) {
    text += fmt::format(
        "  precision: 16-bit fixed point, within {:.3f} of the exact value ({} level{} at most "
        "from exact)\n",
        o.fixed.error_bound + 0.5, o.fixed.level_bound(), o.fixed.level_bound() == 1 ? "" : "s");
  } else if (o.plan.precision == Precision::fixed) {
    text += fmt::format("  precision: exact ({})\n", o.fixed.reason);
  }
  if (o.plan.approximate) {
    text += fmt::format("  approximate: relative error {:.3g} (Frobenius, of the kernel)\n",
                        o.plan.approximation_error);
  }
  text += fmt::format("  output:    {}x{} {}, map {}\n", o.out_size.width, o.out_size.height,
                      depth_label(o.out_depth), value_map_name(o.map));
  text += fmt::format("  time:      read {:.1f} ms, filter {:.1f} ms, write {:.1f} ms{}\n",
                      o.read_ms, o.filter_ms, o.write_ms, streamed_note(o.band_rows));
  text.pop_back();  // the batch layer ends the report's last line
  return text;
}

int run_apply(const ApplyOptions& options) {
  std::vector<BatchItem> items = expand_inputs(options.batch);
  check_output_options(options.batch, items);
  Kernel kernel = parse_kernel(options.kernel);
  if (options.convolve) kernel = flipped(kernel);
  const Analysis analysis = analyze_kernel(kernel, options.tolerance);
  PlanRequest request = parse_mode(options.mode);
  request.approx_tolerance = options.approx_tolerance;
  const Setup setup{kernel,
                    analysis,
                    request,
                    parse_border(options.border),
                    parse_output_depth(options.depth),
                    parse_value_map(options.map),
                    options.precision == "fixed" ? Precision::fixed : Precision::exact};
  make_plan(kernel, analysis, setup.mode, CV_8U);  // a kernel the mode cannot run fails up front

  for (BatchItem& item : items) item.outputs = {output_path_for(options.batch, item)};
  const std::string format = options.batch.format;
  const ItemWorker worker = [&setup, &format](const BatchItem& item) {
    const Outcome outcome = process(setup, item, format);
    return ItemResult{outcome_json(setup, outcome), outcome_text(setup, outcome), outcome.total};
  };
  return run_batch(options.batch, std::move(items), worker, {"apply", TextTarget::stderr_stream});
}

}  // namespace

void add_apply_command(CLI::App& app, int& status) {
  auto options = std::make_shared<ApplyOptions>();
  CLI::App* command = app.add_subcommand("apply",
                                         "Filter images with a kernel (correlation, as OpenCV's "
                                         "filter2D; --convolve flips the kernel)");
  add_batch_options(*command, options->batch);
  add_kernel_option(*command, options->kernel);
  command
      ->add_option("--mode", options->mode,
                   "auto (the cheapest exact plan), full, separable, lowrank, lowrank:R or fft")
      ->check(parsed_by(parse_mode, "MODE"))
      ->capture_default_str();
  add_border_option(*command, options->border);
  add_precision_option(*command, options->precision);
  command->add_flag("--convolve", options->convolve,
                    "True convolution: flip the kernel (default is correlation)");
  command->add_option("--depth", options->depth, "Output depth: same, u8, u16, s16 or f32")
      ->check(parsed_by(parse_output_depth, "DEPTH"))
      ->capture_default_str();
  command
      ->add_option("--map", options->map,
                   "Fit values into the output depth: auto (abs for zero-sum kernels into u8 "
                   "or u16, else clamp), clamp, abs, offset or normalize")
      ->check(parsed_by(parse_value_map, "MAP"))
      ->capture_default_str();
  command->add_option("--tol", options->tolerance, "Relative rank tolerance (see analyze)")
      ->check(finite_number(0, HUGE_VAL, true));
  command
      ->add_option("--approx-tol", options->approx_tolerance,
                   "Allow a low-rank plan with the fewest terms whose relative error (Frobenius) "
                   "is at most E: lossy, reported in the statistics")
      ->check(finite_number(0, 1));
  command->callback([options, &status] {
    apply_quiet(options->batch);
    status = run_apply(*options);
  });
}

}  // namespace sepconv::cli
