#pragma once
// Options several commands share, declared once so their spelling, help and validation agree.

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/batch.hpp"
#include "cli/help.hpp"
#include "core/echo.hpp"
#include "core/error.hpp"
#include "engine/border.hpp"
#include "io/image_io.hpp"

namespace sepconv::cli {

/// A CLI11 validator from one of sepconv's parsers, so a bad value is a usage error (exit 2) with
/// the parser's own reason.
template <typename Parser>
CLI::Validator parsed_by(Parser parser, const std::string& name) {
  return CLI::Validator(
      [parser](std::string& value) -> std::string {
        try {
          parser(value);
          return "";
        } catch (const Error& e) {
          return e.reason();
        }
      },
      name);
}

/// A number that must be finite and within [low, high]: NaN and infinities are refused (CLI11's
/// PositiveNumber and Range let NaN through), and the message says the range in plain numbers,
/// not as a 300-digit bound. `low_open`: the number must be above `low`, not equal to it.
inline CLI::Validator finite_number(double low, double high, bool low_open = false) {
  const std::string range =
      low_open && high == HUGE_VAL
          ? "a number above " + CLI::detail::to_string(low)
          : "a number from " + CLI::detail::to_string(low) + " to " + CLI::detail::to_string(high);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        const bool ok = !text.empty() && *end == '\0' && std::isfinite(value) &&
                        (low_open ? value > low : value >= low) && value <= high;
        return ok ? "" : "must be " + range + ", not '" + echo(text) + "'";
      },
      "NUMBER");
}

/// `text` as a whole number within [low, high]; a usage Error naming `option` otherwise, said
/// plainly ("-1" is not read as a huge unsigned number).
inline long long parse_whole_number(const std::string& option, const std::string& text,
                                    long long low, long long high) {
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < low || value > high) {
    throw usage_error(option, "must be a whole number from " + std::to_string(low) + " to " +
                                  std::to_string(high) + ", not '" + echo(text) + "'");
  }
  return value;
}

/// A CLI11 validator for parse_whole_number.
inline CLI::Validator whole_number(long long low, long long high) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        try {
          parse_whole_number("", text, low, high);
          return "";
        } catch (const Error& e) {
          return e.reason();
        }
      },
      "N");
}

/// --border BORDER, checked by parse_border.
inline CLI::Option* add_border_option(CLI::App& command, std::string& border) {
  return command
      .add_option("--border", border,
                  "reflect101, reflect, replicate, constant[:VALUE], wrap or valid")
      ->check(parsed_by([](const std::string& text) { return parse_border(text); }, "BORDER"))
      ->capture_default_str();
}

/// --quality and --compression, the encoder settings of every output (io's image_io.hpp), and
/// --no-autorotate and --strip (io's metadata.hpp), given before or after the command like
/// --max-pixels. Owned by io.
inline void add_encoder_options(CLI::App& app) {
  app.add_flag_callback(
      "--no-autorotate", [] { set_autorotate(false); },
      "Filter the pixels as stored and keep the EXIF Orientation (default: turn them as the image "
      "is displayed, then write Orientation 1)");
  app.add_flag_callback(
      "--strip", [] { set_strip_metadata(true); },
      "Write outputs without the input's EXIF, ICC profile and XMP (default: carried over)");
  app.add_option_function<int>(
         "--quality", [](int quality) { set_write_quality(quality); },
         "JPEG and WebP quality, 1-100 (default: JPEG 95, WebP lossless); also out.jpg[Q=90]")
      ->type_name("Q")
      ->check(CLI::Range(1, 100));
  app.add_option_function<std::string>(
         "--compression", [](const std::string& text) { set_write_compression(text); },
         "PNG zlib level 0-9 (default 1, for speed) or TIFF none|lzw|deflate (default: lzw for "
         "integers, deflate for float); also out.png[compression=9]")
      ->type_name("C")
      ->check(parsed_by([](const std::string& text) { set_write_compression_check(text); },
                        "COMPRESSION"));
}

/// What KERNEL may be, in every command's help.
inline const char* const kKernelHelp =
    "A bundled name (sepconv kernels), a file, \"[1 2 1; ...]\", a generator (gaussian:5:1) or an "
    "ImageMagick string (\"3x3: ...\")";

/// -k/--kernel KERNEL, the same spelling, help and value name for every command that filters with
/// one kernel; parse_kernel reads it when the command runs. `also_positional`: the kernel may be
/// given without -k too (`sepconv analyze sobel_x`).
inline CLI::Option* add_kernel_option(CLI::App& command, std::string& kernel,
                                      bool also_positional = false) {
  return command
      .add_option(also_positional ? "kernel,-k,--kernel" : "-k,--kernel", kernel, kKernelHelp)
      ->type_name("KERNEL")
      ->required();
}

/// -k/--kernel KERNEL[,KERNEL...] for a command that takes a kernel per plane (depthwise): the
/// same spelling and help, repeated or comma-separated.
inline CLI::Option* add_kernel_list_option(CLI::App& command, std::vector<std::string>& kernels,
                                           const std::string& how_many) {
  return command.add_option("-k,--kernel", kernels, std::string(kKernelHelp) + "; " + how_many)
      ->type_name("KERNEL")
      ->required()
      ->allow_extra_args(false);
}

/// -q/--quiet for a batch command: no text statistics, no summary and no JSON on stderr (JSON goes
/// there when the image itself is written to standard output); errors are still printed. -v also
/// shows the codecs' harmless warnings (an incorrect sRGB profile).
inline void apply_quiet(BatchOptions& batch) {
  set_codec_verbose(batch.verbose && !quiet());
  if (!quiet()) return;
  batch.verbose = false;
  const bool json_on_stdout = batch.stats == "json" && batch.output != "-";
  if (!json_on_stdout) {
    batch.stats = "none";
    batch.summary = false;
  }
}

/// --precision exact|fixed (engine/passes_fixed.hpp): fixed runs 8-bit images through separable
/// kernels in 16-bit fixed point where that stays within one grey level of exact, else exactly.
inline CLI::Option* add_precision_option(CLI::App& command, std::string& precision) {
  return command
      .add_option("--precision", precision,
                  "exact, or fixed: 8-bit images through separable kernels in 16-bit fixed point, "
                  "at most one grey level from exact (else exact runs)")
      ->check(CLI::IsMember({"exact", "fixed"}))
      ->capture_default_str();
}

}  // namespace sepconv::cli
