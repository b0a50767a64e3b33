// `sepconv edges INPUT...`: gradient magnitude (Sobel, Scharr or Prewitt) through the separable
// engine, clamped into 8 or 16 bits (as OpenCV's convertScaleAbs) or scaled, exact float, or a
// binary map. The pixel work is in edges/.

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "cli/batch.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report.hpp"
#include "core/depth.hpp"
#include "core/error.hpp"
#include "edges/edge_map.hpp"
#include "edges/gradient.hpp"
#include "engine/engine.hpp"
#include "io/image_io.hpp"
#include "io/row_io.hpp"
#include "pipeline/banded.hpp"

namespace sepconv::cli {
namespace {

struct EdgesOptions {
  BatchOptions batch;
  std::string op = "sobel";
  int ksize = 3;
  std::string magnitude = "l2";
  std::string threshold;  ///< a level 0..255, "otsu", or empty for the magnitude itself
  std::string scale = "clamp";
  bool normalize = false;  ///< shorthand for --scale normalize
  std::string depth = "u8";
  std::string border = "reflect101";
};

struct Setup {
  EdgeKernels kernels;
  MagnitudeNorm norm = MagnitudeNorm::l2;
  Border border;
  EdgeMapRequest map;
};

struct Outcome {
  std::string input, output;
  cv::Size size, out_size;
  int channels = 0;
  Gradient gradient;
  std::optional<double> full_scale;  ///< the magnitude written as the output's top (integer output)
  std::optional<double> threshold;   ///< the level used (Otsu's as found)
  double read_ms = 0, filter_ms = 0, write_ms = 0;
  int band_rows = 0;  ///< rows a band when streamed from decoder to encoder; 0: read whole
};

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Refuses an output (`checked_name`: the output, "stdout.FORMAT" for -) that cannot hold the edge
/// map's depth or, once known, its size.
void check_output_fits(const Setup& setup, const std::string& output,
                       const std::string& checked_name, std::optional<cv::Size> out_size) {
  if (const std::string reason = unsupported_output_reason(checked_name, setup.map.depth);
      !reason.empty()) {
    throw Error(output, reason);
  }
  if (!out_size) return;
  if (const std::string reason = unsupported_output_size_reason(checked_name, *out_size);
      !reason.empty()) {
    throw Error(output, reason);
  }
}

cv::Size edges_output_size(const Setup& setup, cv::Size input) {
  return output_size(input, setup.kernels.x.values.size(), setup.border);
}

/// Computes edges a band of rows at a time from decoder to encoder (pipeline/banded.hpp), when the
/// input, the output and the request allow it; nothing when the whole image must be read (then
/// nothing has been written). Otsu's threshold and --scale normalize need the whole image's
/// magnitudes, the wrap border the far side of the image. Any file the row readers know has its
/// header read here first, so an output that cannot hold the image (its depth, or a side too long
/// for WebP or JPEG) is refused before a pixel is read.
std::optional<Outcome> process_banded(const Setup& setup, const BatchItem& item,
                                      const std::string& format) {
  const std::string& output = item.outputs.front();
  const int out_type = CV_MAKETYPE(setup.map.depth, 1);
  if (item.input == "-") return std::nullopt;
  std::unique_ptr<RowReader> reader = open_row_reader(item.input);
  if (!reader) return std::nullopt;
  check_output_fits(setup, output, checked_output_name(output, format),
                    edges_output_size(setup, reader->size()));
  if (!streams_into(output, out_type, setup.border) || setup.map.otsu ||
      setup.map.scale == EdgeScale::normalize) {
    return std::nullopt;
  }
  Outcome o;
  o.input = item.input;
  o.output = output;
  o.size = reader->size();
  o.channels = CV_MAT_CN(reader->type());
  const int depth = CV_MAT_DEPTH(reader->type());
  const Kernel& kx = setup.kernels.x;
  const Kernel& ky = setup.kernels.y;
  CV_Assert(kx.values.size() == ky.values.size() && kx.anchor == ky.anchor);
  o.out_size = edges_output_size(setup, o.size);
  o.band_rows = band_rows_for(o.size, reader->type(), kx.rows());
  const BandFilter filter = [&](const cv::Mat& band) {
    o.gradient = gradient_magnitude(luma(band), setup.kernels, setup.border, setup.norm);
    EdgeMap map = edge_map(o.gradient.magnitude, depth, setup.map);
    o.full_scale = map.full_scale;
    o.threshold = map.threshold;
    return std::move(map.pixels);
  };
  BandedTimes times;
  write_rows_atomically(
      output, o.out_size, out_type,
      [&](RowWriter& writer) {
        times = run_banded(
            *reader, writer,
            band_geometry(kx.rows(), kx.anchor.y, setup.border.kind == BorderKind::valid),
            o.band_rows, filter);
      },
      reader->metadata());
  o.gradient.total = planned_ops(o.gradient.x_plan, o.size, setup.border) +
                     planned_ops(o.gradient.y_plan, o.size, setup.border);
  o.read_ms = times.read_ms;
  o.filter_ms = times.filter_ms;
  o.write_ms = times.write_ms;
  return o;
}

Outcome process(const Setup& setup, const BatchItem& item, const std::string& format) {
  if (std::optional<Outcome> banded = process_banded(setup, item, format)) {
    return std::move(*banded);
  }
  Outcome o;
  o.input = item.input;
  o.output = item.outputs.front();
  const std::string checked_name = checked_output_name(o.output, format);
  check_output_fits(setup, o.output, checked_name, std::nullopt);
  auto start = Clock::now();
  Metadata metadata;  // EXIF, ICC, XMP: carried to the output
  const cv::Mat image = read_input(item.input, &metadata);
  o.read_ms = ms_since(start);
  o.size = image.size();
  o.channels = image.channels();
  check_output_fits(setup, o.output, checked_name, edges_output_size(setup, o.size));

  start = Clock::now();
  o.gradient = gradient_magnitude(luma(image), setup.kernels, setup.border, setup.norm);
  EdgeMap map = edge_map(o.gradient.magnitude, image.depth(), setup.map);
  o.full_scale = map.full_scale;
  o.threshold = map.threshold;
  const cv::Mat out = std::move(map.pixels);
  o.filter_ms = ms_since(start);
  o.out_size = out.size();

  start = Clock::now();
  write_output(o.output, out, format, metadata);
  o.write_ms = ms_since(start);
  return o;
}

nlohmann::json outcome_json(const EdgesOptions& options, const Setup& setup, const Outcome& o) {
  const EdgeKernels& k = setup.kernels;
  const auto sum = [](const std::optional<OpCount>& a, const std::optional<OpCount>& b) {
    return a && b ? ops_json(*a + *b) : nlohmann::json(nullptr);
  };
  nlohmann::json threshold = nullptr;
  if (o.threshold)
    threshold = {{"kind", setup.map.otsu ? "otsu" : "fixed"}, {"level", *o.threshold}};
  nlohmann::json json = image_json(o.input, o.output, o.size, o.channels, o.out_size);
  json.update(
      {{"operator", options.op},
       {"ksize", options.ksize},
       {"magnitude", options.magnitude},
       {"kernels", {{"x", kernel_json(k.x, k.x_analysis)}, {"y", kernel_json(k.y, k.y_analysis)}}},
       {"mode", "separable"},
       {"border", border_name(setup.border)},
       {"depth", depth_label(setup.map.depth)},
       {"scale", setup.map.depth == CV_32F ? nlohmann::json(nullptr)
                                           : nlohmann::json(edge_scale_name(setup.map.scale))},
       {"full_scale", o.full_scale ? nlohmann::json(*o.full_scale) : nlohmann::json(nullptr)},
       {"normalize", setup.map.scale == EdgeScale::normalize},
       {"threshold", threshold},
       {"ops",
        {{"per_pixel",
          ops_json(o.gradient.x_plan.ops_per_pixel() + o.gradient.y_plan.ops_per_pixel())},
         {"full_per_pixel", ops_json(k.x_analysis.full_per_pixel + k.y_analysis.full_per_pixel)},
         {"separable_per_pixel",
          sum(k.x_analysis.separable_per_pixel, k.y_analysis.separable_per_pixel)},
         {"total", ops_json(o.gradient.total)}}},
       {"time_ms", {{"read", o.read_ms}, {"filter", o.filter_ms}, {"write", o.write_ms}}},
       {"band_rows", o.band_rows > 0 ? nlohmann::json(o.band_rows) : nlohmann::json(nullptr)}});
  return json;
}

std::string outcome_text(const EdgesOptions& options, const Setup& setup, const Outcome& o) {
  const OpCount per_pixel = o.gradient.x_plan.ops_per_pixel() + o.gradient.y_plan.ops_per_pixel();
  const OpCount full =
      setup.kernels.x_analysis.full_per_pixel + setup.kernels.y_analysis.full_per_pixel;
  std::string scale = "exact magnitude (f32)";
  if (o.full_scale) {
    scale =
        setup.map.scale == EdgeScale::clamp
            ? fmt::format("magnitude clamped into 0..{}", depth_top(setup.map.depth))
            : fmt::format("magnitude {:.6g} = {} ({})", *o.full_scale, depth_top(setup.map.depth),
                          setup.map.scale == EdgeScale::strongest ? "the strongest possible"
                                                                  : "the image's maximum");
  }
  if (o.threshold) {
    scale += fmt::format(", threshold {} ({})", format_number(*o.threshold),
                         setup.map.otsu ? "Otsu" : "fixed");
  }
  return fmt::format(
      "{} -> {}: {}x{}, {} {}x{} {} magnitude, border {}\n"
      "  per pixel: {} mul + {} add for both derivatives (full kernels: {} mul + {} add)\n"
      "  total:     {} mul + {} add\n"
      "  output:    {}x{}, {}\n"
      "  time:      read {:.1f} ms, filter {:.1f} ms, write {:.1f} ms{}",
      o.input, o.output, o.size.width, o.size.height, options.op, options.ksize, options.ksize,
      options.magnitude, border_name(setup.border), per_pixel.mul, per_pixel.add, full.mul,
      full.add, with_thousands(o.gradient.total.mul), with_thousands(o.gradient.total.add),
      o.out_size.width, o.out_size.height, scale, o.read_ms, o.filter_ms, o.write_ms,
      streamed_note(o.band_rows));
}

Setup make_setup(const EdgesOptions& options) {
  Setup setup;
  setup.kernels = edge_kernels(options.op, options.ksize);
  setup.norm = options.magnitude == "l1" ? MagnitudeNorm::l1 : MagnitudeNorm::l2;
  setup.border = parse_border(options.border);
  EdgeMapRequest& map = setup.map;
  map.depth = options.depth == "f32" ? CV_32F : options.depth == "u16" ? CV_16U : CV_8U;
  map.scale = parse_edge_scale(options.scale);
  if (options.normalize) {
    if (map.scale == EdgeScale::strongest) {
      throw usage_error("--normalize", "contradicts --scale strongest");
    }
    map.scale = EdgeScale::normalize;
  }
  map.otsu = options.threshold == "otsu";
  if (!options.threshold.empty() && !map.otsu) {
    char* end = nullptr;
    const double level = std::strtod(options.threshold.c_str(), &end);
    if (*end != '\0' || !(level >= 0 && level <= 255)) {
      throw usage_error("--threshold", fmt::format("'{}' is neither a level from 0 to 255 nor otsu",
                                                   options.threshold));
    }
    map.level = level;
  }
  check_edge_map_request(map);
  map.unit_strongest = strongest_response(setup.kernels.x, setup.kernels.y, setup.norm);
  return setup;
}

int run_edges(const EdgesOptions& options) {
  std::vector<BatchItem> items = expand_inputs(options.batch);
  check_output_options(options.batch, items);
  const Setup setup = make_setup(options);
  for (BatchItem& item : items) item.outputs = {output_path_for(options.batch, item)};
  const ItemWorker worker = [&](const BatchItem& item) {
    const Outcome o = process(setup, item, options.batch.format);
    return ItemResult{outcome_json(options, setup, o), outcome_text(options, setup, o),
                      o.gradient.total};
  };
  return run_batch(options.batch, std::move(items), worker, {"edges", TextTarget::stderr_stream});
}

}  // namespace

void add_edges_command(CLI::App& app, int& status) {
  auto options = std::make_shared<EdgesOptions>();
  CLI::App* command = app.add_subcommand(
      "edges",
      "Gradient magnitude (edge strength) with separable derivative kernels; colour images "
      "are converted to luma first");
  add_batch_options(*command, options->batch);
  command->add_option("--operator", options->op, "sobel, scharr or prewitt")
      ->check(CLI::IsMember({"sobel", "scharr", "prewitt"}))
      ->capture_default_str();
  command->add_option("--ksize", options->ksize, "Kernel size: 3, 5 or 7 (sobel only; others 3)")
      ->check(CLI::IsMember({3, 5, 7}))
      ->capture_default_str();
  command->add_option("--magnitude", options->magnitude, "l2: sqrt(gx^2 + gy^2); l1: |gx| + |gy|")
      ->check(CLI::IsMember({"l2", "l1"}))
      ->capture_default_str();
  command->add_option("--threshold", options->threshold,
                      "Write a binary edge map: 255 where the 8-bit magnitude is above T (0..255), "
                      "or otsu for Otsu's level");
  command
      ->add_option("--scale", options->scale,
                   "clamp: the magnitude rounded and clamped into the output range (OpenCV's "
                   "convertScaleAbs); strongest: the strongest possible response is the top; "
                   "normalize: the image's largest magnitude is the top")
      ->check(CLI::IsMember({"clamp", "strongest", "normalize"}))
      ->capture_default_str();
  command->add_flag("--normalize", options->normalize, "Same as --scale normalize");
  command
      ->add_option("--depth", options->depth,
                   "u8, u16 (the magnitude fitted by --scale) or f32 (the exact magnitude; .tif)")
      ->check(CLI::IsMember({"u8", "u16", "f32"}))
      ->capture_default_str();
  add_border_option(*command, options->border);
  command->callback([options, &status] {
    apply_quiet(options->batch);
    status = run_edges(*options);
  });
}

}  // namespace sepconv::cli
