#pragma once
// One function per command, each defined in its own file (apply.cpp, analyze.cpp, ...). Each adds
// its subcommand to the app with its options; the subcommand's callback runs the command and stores
// its exit status in `status`. Errors about an argument are thrown as sepconv::Error and printed by
// main.

#include <CLI/CLI.hpp>

namespace sepconv::cli {

void add_apply_command(CLI::App& app, int& status);
void add_analyze_command(CLI::App& app, int& status);
void add_kernels_command(CLI::App& app, int& status);
void add_cost_command(CLI::App& app, int& status);
void add_depthwise_command(CLI::App& app, int& status);
void add_compare_command(CLI::App& app, int& status);
void add_edges_command(CLI::App& app, int& status);
void add_bench_command(CLI::App& app, int& status);

}  // namespace sepconv::cli
