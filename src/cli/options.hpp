#pragma once
// Options several commands share, declared once so their spelling, help and validation agree.

#include <CLI/CLI.hpp>
#include <string>

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

/// --border BORDER, checked by parse_border.
inline CLI::Option* add_border_option(CLI::App& command, std::string& border) {
  return command
      .add_option("--border", border,
                  "reflect101, reflect, replicate, constant[:VALUE], wrap or valid")
      ->check(parsed_by([](const std::string& text) { return parse_border(text); }, "BORDER"))
      ->capture_default_str();
}

/// --quality and --compression, the encoder settings of every output (io's image_io.hpp), given
/// before or after the command like --max-pixels. Owned by io.
inline void add_encoder_options(CLI::App& app) {
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

}  // namespace sepconv::cli
