#pragma once
// Running a command's worker over the inputs: --shard, the outputs settled up front, --jobs
// threads taking inputs in order, and a clean stop on SIGINT, SIGTERM or a closed standard output
// (the inputs started are finished, so no temporary file is left; no new one is started).

#include <vector>

#include "batch/batch.hpp"

namespace sepconv::batch {

/// Runs the batch: shards, checks output clashes, creates output folders (one that cannot be made
/// fails its inputs only), skips existing outputs, runs `worker` on --jobs threads, streams
/// statistics, prints the failures and the summary. Returns the exit status: 0, 1 when an input
/// failed or statistics could not be written, 130 after SIGINT, 143 after SIGTERM and 141 when
/// standard output was closed (the inputs started are finished, no new one is).
int run_batch(const BatchOptions& options, std::vector<BatchItem> items, const ItemWorker& worker,
              const BatchReport& report);

/// The number of CPUs this process may run on (sched_getaffinity), at least 1.
int available_cores();

/// SIGINT or SIGTERM when one arrived during the current batch, else 0.
int stop_signal();
/// Whether a write to standard output failed with EPIPE during the current batch: its reader is
/// gone (`| head -1`), so no new input is started.
bool stdout_was_closed();
/// Records that standard output's reader is gone (called where a write failed with EPIPE).
void note_stdout_closed();

}  // namespace sepconv::batch
