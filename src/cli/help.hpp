#pragma once
// What every command shares on the way in and out of the parser: help text that fits 100 columns
// with the defaults and examples shown, one-line parse errors with a suggestion for a mistyped
// option or command, --quiet, and --version.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace sepconv::cli {

/// The width every --help line fits in.
constexpr int kHelpWidth = 100;

/// A CLI11 formatter that wraps descriptions to kHelpWidth, names value types without validator
/// noise ("N", not "INT:INT in [1 - 256]"), and shows each default as "(default: X)".
std::shared_ptr<CLI::Formatter> make_help_formatter();

/// Sets a command's examples, shown at the end of its --help (2 to 4 lines "sepconv ...  # why").
void set_examples(CLI::App& command, const std::vector<std::string>& examples);

/// Two to four examples at the end of every command's --help, kept in one place (help.cpp).
void add_command_examples(CLI::App& app);

/// The candidate closest to `typed` by edit distance, or "" when none is close enough to be a
/// typing slip (at most 2 edits, and fewer than half of the word).
std::string closest(const std::string& typed, const std::vector<std::string>& candidates);

/// The one line (without the "sepconv: " prefix) that reports a parse error, with "did you mean"
/// when an unknown option or command in `argv` is close to a known one.
std::string parse_error_line(const CLI::App& app, const CLI::ParseError& error, int argc,
                             const char* const* argv);

/// -q/--quiet: nothing but errors on stderr. Read from argv before parsing, since the commands run
/// from inside the parser.
bool quiet_requested(int argc, const char* const* argv);
void set_quiet(bool quiet);
bool quiet();

/// What --version prints: version, git commit, SIMD targets (compiled, and the one in use),
/// OpenCV's version and the codec libraries'.
std::string version_text();

}  // namespace sepconv::cli
