// `sepconv bench`: sepconv's engines against OpenCV's filter calls on the same synthetic image, in
// one process, timed in alternation, with the medians, the median ratio and a memcpy floor.

#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>

#include "bench/cases.hpp"
#include "bench/plot.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "engine/passes.hpp"
#include "io/atomic_file.hpp"

namespace sepconv::cli {
namespace {

struct BenchOptions {
  std::string size = "3840x2160";
  int threads = 0;
  int runs = 15;
  bool json = false;
  bool sweep = false;
  bool sizes = false;
  std::string size_list;  ///< --sizes W1xH1,W2xH2; empty: 256x256 to 7680x4320
  std::string sizes_kernel = "gaussian:7:1.5";  ///< the kernel --sizes runs
  std::string plot;                             ///< an SVG of the sweep, when given
  std::string simd;                             ///< empty: the best target this processor has
  std::string precision = "exact";
  std::string only;  ///< run only the cases whose name contains this
};

/// The processor's name as the kernel reports it (/proc/cpuinfo), or "unknown".
std::string processor_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
  }
  return "unknown";
}

/// Restricts the SIMD passes to --simd's target; a usage error naming the targets there are.
void choose_simd_target(const std::string& name) {
  if (name.empty() || use_simd_target(name)) return;
  std::string names;
  for (const std::string& available : available_simd_targets())
    names += (names.empty() ? "" : ", ") + available;
  throw usage_error("--simd",
                    fmt::format("'{}' is not a SIMD target this processor runs ({})", name, names));
}

cv::Size parse_size(const std::string& text) {
  int width = 0, height = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &width, &x, &height, &extra) != 3 || x != 'x' ||
      width < 1 || height < 1 || width > 65536 || height > 65536) {
    throw usage_error("--size", fmt::format("'{}' is not WIDTHxHEIGHT (1 to 65536 each)", text));
  }
  return {width, height};
}

/// --sizes' list, "640x480,1280x720", or every size from 256x256 to 7680x4320 when empty.
std::vector<cv::Size> sweep_sizes(const std::string& list) {
  if (list.empty()) return bench::sweep_image_sizes();
  std::vector<cv::Size> sizes;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    try {
      sizes.push_back(parse_size(list.substr(start, comma - start)));
    } catch (const Error& e) {
      throw usage_error("--sizes", e.reason());
    }
    start = comma + 1;
  }
  return sizes;
}

nlohmann::json result_json(const bench::Result& r, const std::string& processor) {
  return {{"case", r.which.name},
          {"threads", r.threads},
          {"simd_target", simd_target_name()},
          {"processor", processor},
          // OpenCV dispatches on its own (4.6 builds its filters for up to AVX2): what it may use
          {"opencv_cpu_features", cv::getCPUFeaturesLine()},
          {"plan", r.plan},
          {"sepconv_ms", r.sepconv_ms},
          {"opencv_ms", r.opencv_ms},
          {"opencv_call", r.opencv_call},
          {"ratio", r.ratio},
          {"floor_ms", r.floor_ms},
          {"matches_opencv", r.matches_opencv},
          {"max_difference", r.max_difference},
          {"width", r.size.width},
          {"height", r.size.height}};
}

/// A sweep's line: the case's fields, the kernel's family, side and rank, and each plan timed
/// alone.
nlohmann::json sweep_json(const bench::Result& r, const std::string& processor) {
  nlohmann::json line = result_json(r, processor);
  line["family"] = r.family;
  line["kernel_side"] = r.kernel_side;
  line["rank"] = r.rank;
  nlohmann::json plans = nlohmann::json::object();
  for (const auto& [mode, ms] : r.plan_ms) plans[mode] = ms;
  line["plan_ms"] = plans;
  return line;
}

/// "full 1.20 fft 3.40": each plan timed alone, for the text table of a sweep.
std::string plan_times(const bench::Result& r) {
  std::string text;
  for (const auto& [mode, ms] : r.plan_ms) text += fmt::format(" {} {:.2f}", mode, ms);
  return text;
}

/// Adds one result's points (each plan alone, auto and OpenCV's call, in ms per megapixel) at
/// `x` to `panel`, a series per name.
void add_points(bench::PlotPanel& panel, const bench::Result& r, double x) {
  const auto add = [&](const std::string& name, double ms) {
    auto series = std::find_if(panel.series.begin(), panel.series.end(),
                               [&](const bench::PlotSeries& s) { return s.name == name; });
    if (series == panel.series.end()) series = panel.series.insert(panel.series.end(), {name, {}});
    series->points.push_back({x, bench::ms_per_megapixel(ms, r.size)});
  };
  for (const auto& [mode, ms] : r.plan_ms) add(mode, ms);
  add("auto", r.sepconv_ms);
  add(r.opencv_call, r.opencv_ms);
}

std::string family_title(const std::string& family) {
  if (family == "random") return "random dense (full rank)";
  if (family == "gaussian") return "Gaussian (rank 1)";
  if (family == "log") return "Laplacian of Gaussian (rank 2-3)";
  return family;
}

/// The kernel-size sweep as one panel per family; the image-size sweep as one panel.
std::string sweep_svg(const std::vector<bench::Result>& results, bool over_sizes, int threads) {
  std::vector<bench::PlotPanel> panels;
  for (const bench::Result& r : results) {
    auto panel = std::find_if(panels.begin(), panels.end(),
                              [&](const bench::PlotPanel& p) { return p.key == r.family; });
    if (panel == panels.end()) {
      bench::PlotPanel made;
      made.key = r.family;
      made.title = over_sizes ? fmt::format("{} on float32", r.family) : family_title(r.family);
      made.x_label = over_sizes ? "image size (megapixels)" : "kernel size (side)";
      made.log_x = over_sizes;
      panel = panels.insert(panels.end(), made);
    }
    add_points(
        *panel, r,
        over_sizes ? static_cast<double>(r.size.width) * r.size.height / 1e6 : r.kernel_side);
  }
  const cv::Size size = results.empty() ? cv::Size{} : results.front().size;
  const std::string title =
      over_sizes ? fmt::format("sepconv bench --sizes: {} thread{}, SIMD target {}", threads,
                               threads == 1 ? "" : "s", simd_target_name())
                 : fmt::format("sepconv bench --sweep: {}x{} float32, {} thread{}, SIMD target {}",
                               size.width, size.height, threads, threads == 1 ? "" : "s",
                               simd_target_name());
  return bench::svg_plot(title, "time per megapixel (ms, log scale)", panels);
}

void write_plot(const std::string& path, const std::string& svg) {
  write_bytes_atomically(path, std::vector<std::uint8_t>(svg.begin(), svg.end()));
}

int run_bench(const BenchOptions& options) {
  const cv::Size size = parse_size(options.size);
  const int threads = options.threads > 0 ? options.threads : std::max(1, cv::getNumberOfCPUs());
  choose_simd_target(options.simd);
  if (!options.plot.empty() && !options.sweep && !options.sizes)
    throw usage_error("--plot", "draws a sweep: give --sweep or --sizes with it");
  const std::vector<cv::Size> image_sizes =
      options.sizes ? sweep_sizes(options.size_list) : std::vector<cv::Size>{size};
  const std::string processor = processor_name();
  if (!options.json) {
    const std::string images = options.sizes ? fmt::format("{} on {} image sizes",
                                                           options.sizes_kernel, image_sizes.size())
                                             : fmt::format("{}x{}", size.width, size.height);
    fmt::print("sepconv bench: {}, {} thread{}, median of {} runs, SIMD target {}, {}\n", images,
               threads, threads == 1 ? "" : "s", options.runs, simd_target_name(), processor);
    fmt::print("{:<26} {:<18} {:>10} {:>10} {:<12} {:>6} {:>9} {:>7}\n", "case", "plan",
               "sepconv ms", "opencv ms", "opencv call", "ratio", "floor ms", "matches");
  }
  bool all_match = true;
  std::vector<bench::Result> sweep;
  if (options.sweep) sweep = bench::run_sweep(size, threads, options.runs);
  if (options.sizes)
    sweep = bench::run_size_sweep(options.sizes_kernel, image_sizes, threads, options.runs);
  const bool sweeping = options.sweep || options.sizes;
  const std::vector<bench::Case> cases =
      sweeping ? std::vector<bench::Case>{} : bench::standard_cases();
  std::vector<bench::Result> results = sweep;
  for (const bench::Case& which : cases)
    if (which.name.find(options.only) != std::string::npos)
      results.push_back(
          bench::run_case(which, size, threads, options.runs,
                          options.precision == "fixed" ? Precision::fixed : Precision::exact));
  for (const bench::Result& r : results) {
    const bench::Case& which = r.which;
    all_match = all_match && r.matches_opencv;
    if (options.json) {
      fmt::print("{}\n", (sweeping ? sweep_json(r, processor) : result_json(r, processor)).dump());
    } else {
      fmt::print("{:<26} {:<18} {:>10.2f} {:>10.2f} {:<12} {:>6.2f} {:>9.2f} {:>7}{}\n", which.name,
                 r.plan, r.sepconv_ms, r.opencv_ms, r.opencv_call, r.ratio, r.floor_ms,
                 r.matches_opencv ? "yes" : "NO", plan_times(r));
    }
    std::fflush(stdout);
  }
  if (!options.plot.empty()) write_plot(options.plot, sweep_svg(results, options.sizes, threads));
  return all_match ? 0 : static_cast<int>(ExitCode::failure);
}

}  // namespace

void add_bench_command(CLI::App& app, int& status) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* command = app.add_subcommand(
      "bench", "Time sepconv's engines against OpenCV's filter2D, sepFilter2D and Sobel");
  command->add_option("--size", options->size, "Synthetic image size WxH")->capture_default_str();
  command
      ->add_option("--threads", options->threads,
                   "Threads for sepconv and OpenCV alike (default: every core)")
      ->check(CLI::Range(1, 256));
  command->add_option("--runs", options->runs, "Timed runs per case (the median is reported)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command->add_flag("--json", options->json, "One JSON object per case, one per line");
  CLI::Option* sweep = command->add_flag(
      "--sweep", options->sweep,
      "Instead of the standard cases: every odd kernel size from 3 to 31, random dense, Gaussian "
      "and Laplacian of Gaussian, auto and each plan alone against filter2D");
  CLI::Option* sizes =
      command
          ->add_option("--sizes", options->size_list,
                       "Instead of the standard cases: one kernel (--sizes-kernel) on every image "
                       "size from 256x256 to 7680x4320 (or these, as 640x480,1280x720), auto and "
                       "each plan alone against filter2D")
          ->expected(0, 1)
          ->type_name("[SIZES]");
  sizes->excludes(sweep);
  command->add_option("--sizes-kernel", options->sizes_kernel, "The kernel --sizes runs (a KERNEL)")
      ->capture_default_str();
  command
      ->add_option("--plot", options->plot,
                   "With --sweep or --sizes: also draw the numbers (time per megapixel, log "
                   "scale) into this SVG file")
      ->type_name("FILE");
  command
      ->add_option("--simd", options->simd,
                   "Run the SIMD passes on this target only: avx3 (avx512), avx2, sse4, ssse3 or "
                   "scalar (default: the best the processor has)")
      ->check(CLI::IsMember({"avx3", "avx512", "avx2", "sse4", "ssse3", "scalar"}));
  add_precision_option(*command, options->precision);
  command->add_option("--case", options->only,
                      "Only the standard cases whose name contains this text, as \"gaussian 7x7\"");
  command->callback([options, sizes, &status] {
    options->sizes = sizes->count() > 0;
    status = run_bench(*options);
  });
}

}  // namespace sepconv::cli
