#include "batch/runner.hpp"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <opencv2/core.hpp>
#include <thread>

#include "batch/inputs.hpp"
#include "batch/outputs.hpp"
#include "batch/reporter.hpp"
#include "core/error.hpp"

namespace sepconv::batch {
namespace {

// ---------------------------------------------------------------------------------------------
// Signals: stop taking new inputs, let running ones finish (so no temporary file is left behind).

std::atomic<int> g_signal{0};
/// Set when a write to standard output failed with EPIPE: its reader is gone (`| head -1`).
std::atomic<bool> g_stdout_closed{false};

extern "C" void on_stop_signal(int signal) {
  int none = 0;
  g_signal.compare_exchange_strong(none, signal);
}

/// Installs the handler for SIGINT and SIGTERM for its lifetime, and restores the previous ones.
class StopSignals {
 public:
  StopSignals() {
    g_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a read of standard input returns instead of waiting on
    sigaction(SIGINT, &action, &previous_int_);
    sigaction(SIGTERM, &action, &previous_term_);
    // A closed standard output must not kill the process between two files, with a temporary
    // left behind and no word: writes fail with EPIPE instead, and the batch stops cleanly.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &previous_pipe_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &previous_int_, nullptr);
    sigaction(SIGTERM, &previous_term_, nullptr);
    sigaction(SIGPIPE, &previous_pipe_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
  struct sigaction previous_pipe_ {};
};

bool stop_requested() {
  return g_signal.load() != 0 || g_stdout_closed.load();
}

/// Runs `worker` on the item at `position` and tells the reporter; never throws.
void process_one(const BatchItem& item, size_t position, const ItemWorker& worker,
                 bool skip_existing, Reporter& reporter) {
  const auto failed = [&](const std::string& message) { reporter.failed(item, position, message); };
  if (!item.error.empty()) {
    failed(item.error.rfind(item.input, 0) == 0 ? item.error : item.input + ": " + item.error);
    return;
  }
  if (skip_existing && outputs_exist(item)) {
    reporter.skipped(item);
    return;
  }
  reporter.started(item);
  try {
    reporter.succeeded(worker(item));
  } catch (const Error& e) {
    failed(e.what());
  } catch (const cv::Exception& e) {
    failed(fmt::format("{}: OpenCV failed: {}", item.input, e.err));
  } catch (const std::exception& e) {
    failed(fmt::format("{}: {}", item.input, e.what()));
  }
}

int jobs_for(const BatchOptions& options, size_t items) {
  const int jobs = options.jobs > 0 ? options.jobs : available_cores();
  return static_cast<int>(std::max<size_t>(1, std::min<size_t>(jobs, items)));
}

/// Takes the inputs in order on `jobs` threads until they run out or a stop is requested.
void run_workers(int jobs, const std::vector<BatchItem>& items, const ItemWorker& worker,
                 bool skip_existing, Reporter& reporter) {
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t i; !stop_requested() && (i = next++) < items.size();) {
      process_one(items[i], i, worker, skip_existing, reporter);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
}

}  // namespace

int stop_signal() {
  return g_signal.load();
}

bool stdout_was_closed() {
  return g_stdout_closed.load();
}

void note_stdout_closed() {
  g_stdout_closed = true;
}

int available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int run_batch(const BatchOptions& options, std::vector<BatchItem> items, const ItemWorker& worker,
              const BatchReport& report) {
  keep_shard(items, options.shard);
  prepare_outputs(items, options);

  const int jobs = jobs_for(options, items.size());
  // Parallelism is across files; OpenCV's own threads would only compete with the workers.
  const int opencv_threads = cv::getNumThreads();
  if (jobs > 1) cv::setNumThreads(std::max(1, available_cores() / jobs));

  Reporter reporter(options, report, items.size());
  {
    const StopSignals signals;
    g_stdout_closed = false;
    run_workers(jobs, items, worker, options.skip_existing, reporter);
    reporter.finish(options.summary, report.command);
  }
  cv::setNumThreads(opencv_threads);
  if (g_signal == SIGINT) return 130;
  if (g_signal == SIGTERM) return 143;
  if (g_stdout_closed) return kStdoutClosedStatus;
  return reporter.any_failed() || reporter.statistics_lost() ? static_cast<int>(ExitCode::failure)
                                                             : 0;
}

}  // namespace sepconv::batch
