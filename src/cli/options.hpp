#pragma once
// Options several commands share, declared once so their spelling, help and validation agree.

#include <CLI/CLI.hpp>
#include <string>

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
