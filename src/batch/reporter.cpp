#include "batch/reporter.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "batch/runner.hpp"
#include "core/echo.hpp"
#include "core/number_text.hpp"

namespace sepconv::batch {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string duration_text(double seconds) {
  const auto whole = static_cast<long>(seconds + 0.5);
  if (whole >= 3600)
    return fmt::format("{}:{:02}:{:02}", whole / 3600, whole / 60 % 60, whole % 60);
  return fmt::format("{}:{:02}", whole / 60, whole % 60);
}

/// Writes one line and flushes it; the system's reason when that fails ("" on success). EPIPE on
/// standard output stops the batch.
std::string write_line(std::FILE* stream, const std::string& line) {
  errno = 0;
  if (std::fputs(line.c_str(), stream) >= 0 && std::fputc('\n', stream) != EOF &&
      std::fflush(stream) == 0) {
    return "";
  }
  const int error = errno != 0 ? errno : EIO;
  if (error == EPIPE && stream == stdout) note_stdout_closed();
  std::clearerr(stream);
  return std::strerror(error);
}

}  // namespace

std::string json_text(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Reporter::Reporter(const BatchOptions& options, const BatchReport& report, size_t total)
    : total_(total), start_(Clock::now()) {
  const bool writes_stdout = options.output == "-";
  json_ = options.stats == "json";
  json_stream_ = writes_stdout ? stderr : stdout;
  text_stream_ =
      report.text_target == TextTarget::stdout_stream && !writes_stdout ? stdout : stderr;
  const bool report_is_product = report.text_target == TextTarget::stdout_stream;
  text_ = options.stats == "text" || options.verbose ||
          (options.stats == "auto" && (total == 1 || report_is_product));
  if (options.quiet && text_stream_ == stderr) text_ = false;
  const bool quiet = options.quiet || options.stats == "none";
  progress_ =
      options.progress == "always" ||
      (options.progress == "auto" && !quiet && isatty(STDERR_FILENO) && total > 1 &&
       !(text_stream_ == stdout && isatty(STDOUT_FILENO)) && !(text_ && text_stream_ == stderr));
  redraw();
}

void Reporter::started(const BatchItem& item) {
  if (!progress_) return;
  std::lock_guard lock(mutex_);
  current_ = item.input;
  redraw();
}

void Reporter::succeeded(const ItemResult& result) {
  std::lock_guard lock(mutex_);
  ++done_;
  total_ops_ += result.total;
  if (json_) emit(json_stream_, json_text(result.json));
  if (text_ && !result.text.empty()) emit(text_stream_, result.text);
  redraw();
}

void Reporter::failed(const BatchItem& item, size_t position, const std::string& message) {
  std::lock_guard lock(mutex_);
  ++done_;
  failed_.emplace_back(position, item.input);
  emit(stderr, "sepconv: " + echo(message, kMessageLimit));
  if (json_) emit(json_stream_, json_text({{"input", item.input}, {"error", message}}));
  redraw();
}

void Reporter::skipped(const BatchItem& item) {
  std::lock_guard lock(mutex_);
  ++done_;
  ++skipped_;
  const std::string outputs = fmt::format("{}", fmt::join(item.outputs, ", "));
  if (json_) {
    emit(json_stream_,
         json_text(
             {{"input", item.input}, {"outputs", item.outputs}, {"skipped", "output exists"}}));
  }
  if (text_) emit(text_stream_, fmt::format("{}: skipped, {} exists", item.input, outputs));
  redraw();
}

void Reporter::finish(bool summary, const std::string& command) {
  std::lock_guard lock(mutex_);
  clear_progress();
  print_failures();
  print_stop_reason();
  if (summary) print_summary(command);
}

/// "2 of 5 inputs failed: a.png, c.png", in input order whatever order the jobs finished in.
void Reporter::print_failures() {
  if (failed_.empty() || total_ <= 1) return;
  std::sort(failed_.begin(), failed_.end());
  std::vector<std::string> names;
  for (const auto& failure : failed_) names.push_back(failure.second);
  emit(stderr, fmt::format("sepconv: {} of {} inputs failed: {}", failed_.size(), total_,
                           echo(fmt::format("{}", fmt::join(names, ", ")), kMessageLimit)));
}

void Reporter::print_stop_reason() {
  const size_t not_started = total_ - done_;
  if (stop_signal() != 0) {
    emit(stderr, fmt::format("sepconv: interrupted by {}: {} of {} inputs not started",
                             stop_signal() == SIGINT ? "SIGINT" : "SIGTERM", not_started, total_));
  } else if (stdout_was_closed() && (json_stream_ == stdout || not_started > 0)) {
    emit(stderr, fmt::format("sepconv: standard output was closed (broken pipe): {} of {} "
                             "inputs not started",
                             not_started, total_));
  } else if (!lost_.empty()) {
    emit(stderr, fmt::format("sepconv: {}: cannot write the statistics: {}",
                             json_stream_ == stdout ? "standard output" : "standard error", lost_));
  }
}

void Reporter::print_summary(const std::string& command) {
  const double seconds = seconds_since(start_);
  const size_t not_started = total_ - done_;
  const size_t succeeded = done_ - failed_.size() - skipped_;
  if (json_) {
    nlohmann::json line = {{"summary",
                            {{"command", command},
                             {"inputs", total_},
                             {"succeeded", succeeded},
                             {"failed", failed_.size()},
                             {"skipped", skipped_},
                             {"not_started", not_started},
                             {"time_s", seconds},
                             {"ops", {{"mul", total_ops_.mul}, {"add", total_ops_.add}}}}}};
    emit(json_stream_, line.dump());
  } else {
    fmt::print(stderr,
               "sepconv {}: {} inputs: {} succeeded, {} failed, {} skipped, {} not started; "
               "{:.2f} s; {} mul + {} add\n",
               command, total_, succeeded, failed_.size(), skipped_, not_started, seconds,
               with_thousands(total_ops_.mul), with_thousands(total_ops_.add));
  }
}

void Reporter::emit(std::FILE* stream, const std::string& line) {
  clear_progress();
  const std::string reason = write_line(stream, line);
  if (!reason.empty() && stream != stderr && lost_.empty()) lost_ = reason;
}

void Reporter::clear_progress() {
  if (progress_ && drawn_) fmt::print(stderr, "\r\x1b[K");
  drawn_ = false;
}

/// [#####.....] 12/64  3.4 files/s  0:12 left  img13.png
void Reporter::redraw() {
  if (!progress_) return;
  const double seconds = seconds_since(start_);
  const double rate = seconds > 0 ? done_ / seconds : 0;
  constexpr size_t width = 30;
  const size_t filled = total_ ? width * done_ / total_ : width;
  const std::string left =
      rate > 0 ? duration_text(static_cast<double>(total_ - done_) / rate) + " left" : "";
  fmt::print(stderr, "\r\x1b[K[{}{}] {}/{}  {:.1f} files/s  {}  {}", std::string(filled, '#'),
             std::string(width - filled, '.'), done_, total_, rate, left,
             current_.empty() ? "" : echo(std::filesystem::path(current_).filename().string(), 32));
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace sepconv::batch
