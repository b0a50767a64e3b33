// `sepconv bench`: sepconv's engines against OpenCV's filter calls on the same synthetic image, in
// one process, timed in alternation, with the medians, the median ratio and a memcpy floor.

#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>

#include "bench/cases.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "engine/passes.hpp"

namespace sepconv::cli {
namespace {

struct BenchOptions {
  std::string size = "3840x2160";
  int threads = 0;
  int runs = 15;
  bool json = false;
  bool sweep = false;
  std::string simd;  ///< empty: the best target this processor has
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
          {"max_difference", r.max_difference}};
}

int run_bench(const BenchOptions& options) {
  const cv::Size size = parse_size(options.size);
  const int threads = options.threads > 0 ? options.threads : std::max(1, cv::getNumberOfCPUs());
  choose_simd_target(options.simd);
  const std::string processor = processor_name();
  if (!options.json) {
    fmt::print("sepconv bench: {}x{}, {} thread{}, median of {} runs, SIMD target {}, {}\n",
               size.width, size.height, threads, threads == 1 ? "" : "s", options.runs,
               simd_target_name(), processor);
    fmt::print("{:<26} {:<18} {:>10} {:>10} {:<12} {:>6} {:>9} {:>7}\n", "case", "plan",
               "sepconv ms", "opencv ms", "opencv call", "ratio", "floor ms", "matches");
  }
  bool all_match = true;
  std::vector<bench::Result> sweep;
  if (options.sweep) sweep = bench::run_sweep(size, threads, options.runs);
  const std::vector<bench::Case> cases =
      options.sweep ? std::vector<bench::Case>{} : bench::standard_cases();
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
      fmt::print("{}\n", result_json(r, processor).dump());
    } else {
      fmt::print("{:<26} {:<18} {:>10.2f} {:>10.2f} {:<12} {:>6.2f} {:>9.2f} {:>7}\n", which.name,
                 r.plan, r.sepconv_ms, r.opencv_ms, r.opencv_call, r.ratio, r.floor_ms,
                 r.matches_opencv ? "yes" : "NO");
    }
    std::fflush(stdout);
  }
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
  command->add_flag("--sweep", options->sweep,
                    "Instead of the standard cases: auto against filter2D for every odd kernel "
                    "size from 3 to 31, random dense and Gaussian");
  command
      ->add_option("--simd", options->simd,
                   "Run the SIMD passes on this target only: avx3 (avx512), avx2, sse4, ssse3 or "
                   "scalar (default: the best the processor has)")
      ->check(CLI::IsMember({"avx3", "avx512", "avx2", "sse4", "ssse3", "scalar"}));
  add_precision_option(*command, options->precision);
  command->add_option("--case", options->only,
                      "Only the standard cases whose name contains this text, as \"gaussian 7x7\"");
  command->callback([options, &status] { status = run_bench(*options); });
}

}  // namespace sepconv::cli
