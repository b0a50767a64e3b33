#pragma once
// Options several commands share, declared once so their spelling, help and validation agree.

#include <CLI/CLI.hpp>
#include <string>

#include "cli/batch.hpp"
#include "cli/help.hpp"
#include "core/error.hpp"
#include "engine/border.hpp"

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

/// -q/--quiet for a batch command: no text statistics, no summary and no JSON on stderr (JSON goes
/// there when the image itself is written to standard output); errors are still printed.
inline void apply_quiet(BatchOptions& batch) {
  if (!quiet()) return;
  batch.verbose = false;
  const bool json_on_stdout = batch.stats == "json" && batch.output != "-";
  if (!json_on_stdout) {
    batch.stats = "none";
    batch.summary = false;
  }
}

}  // namespace sepconv::cli
