// sepconv's entry point: wires the commands together and turns every error into one line on stderr
// and the documented exit status. No command logic lives here.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <opencv2/core.hpp>
#include <string>

#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "engine/engine.hpp"
#include "io/image_io.hpp"

namespace {

/// A message that may hold a library's line breaks (OpenCV, libtiff) as the one line every
/// sepconv error is.
std::string one_line(std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!message.empty() && message.back() == ' ') message.pop_back();
  return message;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sepconv: image convolution that finds and uses separable kernels.\n"
      "Kernels are applied as correlation (as OpenCV's filter2D does) unless --convolve is given.",
      "sepconv"};
  // Set before the commands are added: each command copies it.
  app.formatter(sepconv::cli::make_help_formatter());
  app.require_subcommand(1);
  app.set_version_flag(
      "--version", [] { return sepconv::cli::version_text(); },
      "Print the version, commit, SIMD targets and library versions");
  sepconv::cli::set_examples(
      app, {"sepconv analyze sobel_x                  # rank, separable factors, cost",
            "sepconv apply photo.png -k gaussian:7 -o blur.png",
            "sepconv edges shots/ -r --out-dir edges/ --stats json > edges.jsonl",
            "sepconv COMMAND --help                   # a command's options and examples"});
  app.add_flag("-q,--quiet", "Print nothing on stderr but errors");
  sepconv::cli::set_quiet(sepconv::cli::quiet_requested(argc, argv));
  // Top-level options are accepted after the command too: `sepconv apply ... --max-pixels N`.
  app.fallthrough();
  app.add_option_function<std::string>(
         "--max-pixels",
         [](const std::string& pixels) {
           sepconv::set_max_pixels(sepconv::cli::parse_whole_number(
               "--max-pixels", pixels, 1, std::numeric_limits<long long>::max()));
         },
         "Refuse images of more pixels (width x height) than this, from the file's header before "
         "decoding (default 2^30 = 1073741824)")
      ->type_name("N");
  app.add_option_function<std::uint64_t>(
         "--max-bytes", [](std::uint64_t bytes) { sepconv::set_max_bytes(bytes); },
         "Refuse images whose decoded samples (width x height x channels x bytes a sample), or "
         "whose file or standard input, pass this many bytes (default 4 GiB = 4294967296)")
      ->type_name("N");
  app.add_option_function<int>(
         "--threads",
         [](int threads) {
           sepconv::set_engine_threads(threads);
           // More than the cores makes TBB print "limited to 1" on stderr; the engine's own strips
           // still follow --threads.
           cv::setNumThreads(std::min(threads, cv::getNumberOfCPUs()));
         },
         "Threads that filter one image together, over row strips (default: every core)")
      ->check(CLI::Range(1, 256));

  app.add_flag_callback(
      "--no-sync", [] { sepconv::set_sync_writes(false); },
      "Do not fsync outputs before reporting success (faster; for scratch outputs)");

  sepconv::cli::add_encoder_options(app);
  int status = 0;
  sepconv::cli::add_apply_command(app, status);
  sepconv::cli::add_analyze_command(app, status);
  sepconv::cli::add_kernels_command(app, status);
  sepconv::cli::add_cost_command(app, status);
  sepconv::cli::add_depthwise_command(app, status);
  sepconv::cli::add_compare_command(app, status);
  sepconv::cli::add_edges_command(app, status);
  sepconv::cli::add_bench_command(app, status);
  sepconv::cli::add_command_examples(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with status 0, printed on stdout; every real parse error
    // is a usage error, reported in one line.
    if (e.get_exit_code() == 0) return app.exit(e);
    fmt::print(stderr, "sepconv: {}\n", sepconv::cli::parse_error_line(app, e, argc, argv));
    return static_cast<int>(sepconv::ExitCode::usage);
  } catch (const sepconv::Error& e) {
    fmt::print(stderr, "sepconv: {}\n", one_line(e.what()));
    return static_cast<int>(e.code());
  } catch (const cv::Exception& e) {
    fmt::print(stderr, "sepconv: OpenCV failed: {}\n", one_line(e.err));
    return static_cast<int>(sepconv::ExitCode::failure);
  } catch (const std::exception& e) {
    fmt::print(stderr, "sepconv: {}\n", one_line(e.what()));
    return static_cast<int>(sepconv::ExitCode::failure);
  }
  return status;
}
