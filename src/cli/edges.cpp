// `sepconv edges INPUT...`: gradient magnitude (Sobel, Scharr or Prewitt) through the separable
// engine, 8-bit scaled so the strongest possible response is 255, or exact float, or a binary map.

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <opencv2/imgproc.hpp>

#include "cli/batch.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report.hpp"
#include "compare/gradient.hpp"
#include "core/depth.hpp"
#include "core/error.hpp"
#include "io/image_io.hpp"

namespace sepconv::cli {
namespace {

struct EdgesOptions {
  BatchOptions batch;
  std::string op = "sobel";
  int ksize = 3;
  std::string magnitude = "l2";
  std::string threshold;  ///< a level 0..255, "otsu", or empty for the magnitude itself
  bool normalize = false;
  std::string depth = "u8";
  std::string border = "reflect101";
};

struct Setup {
  EdgeKernels kernels;
  MagnitudeNorm norm = MagnitudeNorm::l2;
  Border border;
  bool f32 = false;
  bool normalize = false;
  bool otsu = false;
  std::optional<double> level;  ///< fixed threshold
  /// The strongest possible magnitude for samples in [0, 1]; times the input's range it maps to
  /// 255.
  double unit_strongest = 0;
};

struct Outcome {
  std::string input, output;
  cv::Size size, out_size;
  int channels = 0;
  Gradient gradient;
  double full_scale = 0;            ///< the magnitude written as 255 (8-bit output)
  std::optional<double> threshold;  ///< the level used (Otsu's as found)
  double read_ms = 0, filter_ms = 0, write_ms = 0;
};

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// The image to write and the scale and threshold used.
cv::Mat edge_image(const Setup& setup, Outcome& o, int input_depth) {
  if (setup.f32) {
    cv::Mat out;
    o.gradient.magnitude.convertTo(out, CV_32F);
    return out;
  }
  o.full_scale = setup.unit_strongest * depth_top(input_depth);
  if (setup.normalize) {
    double top = 0;
    cv::minMaxLoc(o.gradient.magnitude, nullptr, &top);
    o.full_scale = top;
  }
  cv::Mat1b eight_bit = to_eight_bit(o.gradient.magnitude, o.full_scale);
  if (!setup.otsu && !setup.level) return eight_bit;
  cv::Mat binary;
  const double used =
      cv::threshold(eight_bit, binary, setup.level.value_or(0), 255,
                    setup.otsu ? cv::THRESH_BINARY | cv::THRESH_OTSU : cv::THRESH_BINARY);
  o.threshold = used;
  return binary;
}

Outcome process(const Setup& setup, const BatchItem& item, const std::string& format) {
  Outcome o;
  o.input = item.input;
  o.output = item.outputs.front();
  const std::string checked_name = o.output == "-" ? "stdout." + format : o.output;
  if (const std::string reason =
          unsupported_output_reason(checked_name, setup.f32 ? CV_32F : CV_8U);
      !reason.empty()) {
    throw Error(o.output, reason);
  }
  auto start = Clock::now();
  const cv::Mat image = read_input(item.input);
  o.read_ms = ms_since(start);
  o.size = image.size();
  o.channels = image.channels();

  start = Clock::now();
  o.gradient = gradient_magnitude(luma(image), setup.kernels, setup.border, setup.norm);
  const cv::Mat out = edge_image(setup, o, image.depth());
  o.filter_ms = ms_since(start);
  o.out_size = out.size();

  start = Clock::now();
  write_output(o.output, out, format);
  o.write_ms = ms_since(start);
  return o;
}

nlohmann::json outcome_json(const EdgesOptions& options, const Setup& setup, const Outcome& o) {
  const EdgeKernels& k = setup.kernels;
  const auto sum = [](const std::optional<OpCount>& a, const std::optional<OpCount>& b) {
    return a && b ? ops_json(*a + *b) : nlohmann::json(nullptr);
  };
  nlohmann::json threshold = nullptr;
  if (o.threshold) threshold = {{"kind", setup.otsu ? "otsu" : "fixed"}, {"level", *o.threshold}};
  nlohmann::json json = image_json(o.input, o.output, o.size, o.channels, o.out_size);
  json.update(
      {{"operator", options.op},
       {"ksize", options.ksize},
       {"magnitude", options.magnitude},
       {"kernels", {{"x", kernel_json(k.x, k.x_analysis)}, {"y", kernel_json(k.y, k.y_analysis)}}},
       {"mode", "separable"},
       {"border", border_name(setup.border)},
       {"depth", setup.f32 ? "f32" : "u8"},
       {"full_scale", setup.f32 ? nlohmann::json(nullptr) : nlohmann::json(o.full_scale)},
       {"normalize", setup.normalize},
       {"threshold", threshold},
       {"ops",
        {{"per_pixel",
          ops_json(o.gradient.x_plan.ops_per_pixel() + o.gradient.y_plan.ops_per_pixel())},
         {"full_per_pixel", ops_json(k.x_analysis.full_per_pixel + k.y_analysis.full_per_pixel)},
         {"separable_per_pixel",
          sum(k.x_analysis.separable_per_pixel, k.y_analysis.separable_per_pixel)},
         {"total", ops_json(o.gradient.total)}}},
       {"time_ms", {{"read", o.read_ms}, {"filter", o.filter_ms}, {"write", o.write_ms}}}});
  return json;
}

std::string outcome_text(const EdgesOptions& options, const Setup& setup, const Outcome& o) {
  const OpCount per_pixel = o.gradient.x_plan.ops_per_pixel() + o.gradient.y_plan.ops_per_pixel();
  const OpCount full =
      setup.kernels.x_analysis.full_per_pixel + setup.kernels.y_analysis.full_per_pixel;
  std::string scale = "exact magnitude (f32)";
  if (!setup.f32) {
    scale = fmt::format("magnitude {:.6g} = 255{}", o.full_scale,
                        setup.normalize ? " (the image's maximum)" : " (the strongest possible)");
  }
  if (o.threshold) {
    scale += fmt::format(", threshold {} ({})", format_number(*o.threshold),
                         setup.otsu ? "Otsu" : "fixed");
  }
  return fmt::format(
      "{} -> {}: {}x{}, {} {}x{} {} magnitude, border {}\n"
      "  per pixel: {} mul + {} add for both derivatives (full kernels: {} mul + {} add)\n"
      "  total:     {} mul + {} add\n"
      "  output:    {}x{}, {}\n"
      "  time:      read {:.1f} ms, filter {:.1f} ms, write {:.1f} ms",
      o.input, o.output, o.size.width, o.size.height, options.op, options.ksize, options.ksize,
      options.magnitude, border_name(setup.border), per_pixel.mul, per_pixel.add, full.mul,
      full.add, with_thousands(o.gradient.total.mul), with_thousands(o.gradient.total.add),
      o.out_size.width, o.out_size.height, scale, o.read_ms, o.filter_ms, o.write_ms);
}

Setup make_setup(const EdgesOptions& options) {
  Setup setup;
  setup.kernels = edge_kernels(options.op, options.ksize);
  setup.norm = options.magnitude == "l1" ? MagnitudeNorm::l1 : MagnitudeNorm::l2;
  setup.border = parse_border(options.border);
  setup.f32 = options.depth == "f32";
  setup.normalize = options.normalize;
  setup.otsu = options.threshold == "otsu";
  if (!options.threshold.empty() && !setup.otsu) {
    char* end = nullptr;
    const double level = std::strtod(options.threshold.c_str(), &end);
    if (*end != '\0' || !(level >= 0 && level <= 255)) {
      throw usage_error("--threshold", fmt::format("'{}' is neither a level from 0 to 255 nor otsu",
                                                   options.threshold));
    }
    setup.level = level;
  }
  if (setup.f32 && (setup.otsu || setup.level || setup.normalize)) {
    throw usage_error("--depth",
                      "f32 writes the exact magnitude: --threshold and --normalize need u8");
  }
  setup.unit_strongest = strongest_response(setup.kernels.x, setup.kernels.y, setup.norm);
  return setup;
}

int run_edges(const EdgesOptions& options) {
  std::vector<BatchItem> items = expand_inputs(options.batch.inputs, options.batch.recursive);
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
  command->add_flag("--normalize", options->normalize,
                    "Scale by the image's own largest magnitude instead of the strongest possible");
  command->add_option("--depth", options->depth, "u8 (scaled) or f32 (the exact magnitude; .tif)")
      ->check(CLI::IsMember({"u8", "f32"}))
      ->capture_default_str();
  add_border_option(*command, options->border);
  command->callback([options, &status] { status = run_edges(*options); });
}

}  // namespace sepconv::cli
