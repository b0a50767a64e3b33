#pragma once
// What a batch prints while and after it runs: the progress bar, the statistics (JSON lines or
// text), each failure, the list of failures in input order, and --summary. One mutex guards
// everything printed, so lines never interleave.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "batch/batch.hpp"

namespace sepconv::batch {

class Reporter {
 public:
  /// Decides from the options where statistics go and whether a progress bar is drawn, and
  /// draws it at once, before the first input is done.
  Reporter(const BatchOptions& options, const BatchReport& report, size_t total);

  /// An input is about to be processed: the progress bar names it.
  void started(const BatchItem& item);
  void succeeded(const ItemResult& result);
  /// The input at `position` in the batch failed: one line now, and a place in the final list.
  void failed(const BatchItem& item, size_t position, const std::string& message);
  void skipped(const BatchItem& item);

  /// The failures, the interruption and --summary; called once the workers have stopped.
  void finish(bool summary, const std::string& command);

  bool any_failed() const { return !failed_.empty(); }
  /// Whether a line of statistics could not be written (a full disk, /dev/full).
  bool statistics_lost() const { return !lost_.empty(); }

 private:
  using Clock = std::chrono::steady_clock;

  void emit(std::FILE* stream, const std::string& line);
  void clear_progress();
  void redraw();
  void print_failures();
  void print_stop_reason();
  void print_summary(const std::string& command);

  std::mutex mutex_;
  size_t total_ = 0, done_ = 0, skipped_ = 0;
  std::vector<std::pair<size_t, std::string>> failed_;  ///< (position, input), in finish order
  std::string lost_;     ///< why statistics could not be written, once
  std::string current_;  ///< the input started last, for the progress bar
  OpCount total_ops_;
  Clock::time_point start_;
  bool json_ = false, text_ = false, progress_ = false, drawn_ = false;
  std::FILE* json_stream_ = stdout;
  std::FILE* text_stream_ = stderr;
};

/// A JSON line that never throws: file names are bytes, and bytes that are not UTF-8 become
/// U+FFFD (nlohmann-json's replace handler) instead of an exception in the middle of a batch.
std::string json_text(const nlohmann::json& json);

}  // namespace sepconv::batch
