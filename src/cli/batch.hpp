#pragma once
// The batch options on the command line: add_batch_options wires src/batch/'s BatchOptions to a
// command, and the batch names the commands use are brought into sepconv::cli.

#include <CLI/CLI.hpp>

#include "batch/batch.hpp"
#include "batch/inputs.hpp"
#include "batch/outputs.hpp"
#include "batch/runner.hpp"
#include "batch/stdio.hpp"

namespace sepconv::cli {

using batch::available_cores;
using batch::BatchItem;
using batch::BatchOptions;
using batch::BatchReport;
using batch::check_output_options;
using batch::checked_output_name;
using batch::expand_inputs;
using batch::ItemResult;
using batch::ItemWorker;
using batch::kStdoutClosedStatus;
using batch::output_path_for;
using batch::read_input;
using batch::run_batch;
using batch::TextTarget;
using batch::write_output;

/// Adds the shared options to a command. `outputs` says whether -o/--out-dir/--suffix/--format and
/// --skip-existing/--overwrite make sense for it (compare names its images otherwise). There is no
/// batch -q: the program's -q (main.cpp) also quiets the batch (no progress bar, no text report on
/// stderr).
void add_batch_options(CLI::App& command, BatchOptions& options, bool outputs = true);

}  // namespace sepconv::cli
