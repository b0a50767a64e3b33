#include "batch/batch.hpp"

#include <fmt/format.h>
#include <glob.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cli/options.hpp"
#include "cli/report.hpp"
#include "core/echo.hpp"
#include "core/error.hpp"
#include "io/image_io.hpp"

namespace sepconv::cli {
namespace fs = std::filesystem;
namespace {

/// Longest message echoed for one input: file names are kept whole up to this.
constexpr size_t kMessageLimit = 1024;

// ---------------------------------------------------------------------------------------------
// Expanding inputs

/// Extensions a folder listing takes as images (the formats OpenCV 4.6 reads on Debian 12).
bool has_image_extension(const fs::path& path) {
  static const std::set<std::string> extensions = {
      ".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".bmp", ".dib", ".pgm", ".ppm", ".pbm",
      ".pnm", ".pxm", ".webp", ".exr", ".hdr", ".pic",  ".pfm", ".sr",  ".ras", ".jp2"};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return extensions.count(ext) > 0;
}

/// Hidden names are skipped: among them sepconv's own temporary files (".name.sepconv-PID.ext").
bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

BatchItem file_item(const std::string& path) {
  return {path, fs::path(path).filename().string(), {}, {}};
}

BatchItem failed_item(const std::string& argument, const std::string& reason) {
  return {argument, fs::path(argument).filename().string(), {}, reason};
}

/// The image files in a folder, sorted by their path below it.
void add_folder(const fs::path& root, bool recursive, std::vector<BatchItem>& items) {
  std::vector<fs::path> found;
  std::error_code error;
  auto options = fs::directory_options::skip_permission_denied;
  for (auto it = fs::recursive_directory_iterator(root, options, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (is_hidden(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory()) {
      if (!recursive) it.disable_recursion_pending();
      continue;
    }
    if (has_image_extension(it->path())) found.push_back(it->path().lexically_relative(root));
  }
  if (error) {
    items.push_back(failed_item(root.string(), "cannot list the folder: " + error.message()));
    return;
  }
  std::sort(found.begin(), found.end());
  for (const fs::path& relative : found) {
    BatchItem item{(root / relative).string(), relative.string(), {}, {}};
    item.from_folder = true;
    items.push_back(std::move(item));
  }
}

/// A path taken literally: a folder's images, or the file itself.
void add_path(const std::string& path, bool recursive, std::vector<BatchItem>& items) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    const size_t before = items.size();
    add_folder(path, recursive, items);
    // A folder that yields nothing is a mistake worth a line and status 1, not a silent success.
    if (items.size() == before) {
      items.push_back(failed_item(path, recursive ? "no image files in this folder or below it"
                                                  : "no image files in this folder (-r looks "
                                                    "in subfolders)"));
    }
  } else {
    items.push_back(file_item(path));
  }
}

bool is_glob_pattern(const std::string& text) {
  return text.find_first_of("*?[") != std::string::npos;
}

void add_glob(const std::string& pattern, bool recursive, std::vector<BatchItem>& items) {
  glob_t matches{};
  const int status = glob(pattern.c_str(), 0, nullptr, &matches);
  if (status == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) add_path(matches.gl_pathv[i], recursive, items);
  } else {
    items.push_back(failed_item(pattern, status == GLOB_NOMATCH ? "no file matches this pattern"
                                                                : "cannot expand this pattern"));
  }
  globfree(&matches);
}

/// The paths of a list, one a line ('\r\n' accepted) or NUL-separated (`null_separated`, as
/// `find -print0` writes them, so names may hold newlines); empty entries skipped.
void add_list_entries(std::istream& list, bool recursive, bool null_separated,
                      std::vector<BatchItem>& items) {
  for (std::string entry; std::getline(list, entry, null_separated ? '\0' : '\n');) {
    if (!null_separated && !entry.empty() && entry.back() == '\r') entry.pop_back();
    if (!entry.empty()) add_path(entry, recursive, items);
  }
}

void add_list(const std::string& argument, bool recursive, bool null_separated,
              std::vector<BatchItem>& items) {
  const std::string path = argument.substr(1);
  if (path == "-") {  // @-: the list on standard input
    add_list_entries(std::cin, recursive, null_separated, items);
    return;
  }
  std::ifstream list(path, std::ios::binary);
  if (!list) {
    items.push_back(failed_item(argument, "cannot read the list file '" + echo(path) + "'"));
    return;
  }
  add_list_entries(list, recursive, null_separated, items);
}

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

/// Writes one line and flushes it; the system's reason when that fails ("" on success). EPIPE on
/// standard output stops the batch.
std::string write_line(std::FILE* stream, const std::string& line) {
  errno = 0;
  if (std::fputs(line.c_str(), stream) >= 0 && std::fputc('\n', stream) != EOF &&
      std::fflush(stream) == 0) {
    return "";
  }
  const int error = errno != 0 ? errno : EIO;
  if (error == EPIPE && stream == stdout) g_stdout_closed = true;
  std::clearerr(stream);
  return std::strerror(error);
}

/// A JSON line that never throws: file names are bytes, and bytes that are not UTF-8 become
/// U+FFFD (nlohmann-json's replace handler) instead of an exception in the middle of a batch.
std::string json_text(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------------
// Reporting: one mutex for everything printed, so lines never interleave.

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string duration_text(double seconds) {
  const auto whole = static_cast<long>(seconds + 0.5);
  if (whole >= 3600)
    return fmt::format("{}:{:02}:{:02}", whole / 3600, whole / 60 % 60, whole % 60);
  return fmt::format("{}:{:02}", whole / 60, whole % 60);
}

class Reporter {
 public:
  Reporter(const BatchOptions& options, const BatchReport& report, size_t total)
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
    redraw();  // at once, before the first file is done
  }

  /// An input is about to be processed: the progress bar names it.
  void started(const BatchItem& item) {
    if (!progress_) return;
    std::lock_guard lock(mutex_);
    current_ = item.input;
    redraw();
  }

  void succeeded(const BatchItem& item, const ItemResult& result) {
    std::lock_guard lock(mutex_);
    ++done_;
    total_ops_ += result.total;
    if (json_) emit(json_stream_, json_text(result.json));
    if (text_ && !result.text.empty()) emit(text_stream_, result.text);
    (void)item;
    redraw();
  }

  void failed(const BatchItem& item, const std::string& message) {
    std::lock_guard lock(mutex_);
    ++done_;
    failed_.push_back(item.input);
    emit(stderr, "sepconv: " + echo(message, kMessageLimit));
    if (json_) emit(json_stream_, json_text({{"input", item.input}, {"error", message}}));
    redraw();
  }

  void skipped(const BatchItem& item) {
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

  /// The failures, the interruption and --summary; called once the workers have stopped.
  void finish(bool summary, const std::string& command) {
    std::lock_guard lock(mutex_);
    clear_progress();
    const size_t not_started = total_ - done_;
    if (!failed_.empty() && total_ > 1) {
      const std::string names = fmt::format("{}", fmt::join(failed_, ", "));
      emit(stderr, fmt::format("sepconv: {} of {} inputs failed: {}", failed_.size(), total_,
                               echo(names, kMessageLimit)));
    }
    if (g_signal.load() != 0) {
      emit(stderr,
           fmt::format("sepconv: interrupted by {}: {} of {} inputs not started",
                       g_signal.load() == SIGINT ? "SIGINT" : "SIGTERM", not_started, total_));
    } else if (g_stdout_closed.load() && (json_stream_ == stdout || not_started > 0)) {
      emit(stderr, fmt::format("sepconv: standard output was closed (broken pipe): {} of {} "
                               "inputs not started",
                               not_started, total_));
    } else if (!lost_.empty()) {
      emit(stderr,
           fmt::format("sepconv: {}: cannot write the statistics: {}",
                       json_stream_ == stdout ? "standard output" : "standard error", lost_));
    }
    if (!summary) return;
    const double seconds = seconds_since(start_);
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
                               {"ops", ops_json(total_ops_)}}}};
      emit(json_stream_, line.dump());
    } else {
      fmt::print(stderr,
                 "sepconv {}: {} inputs: {} succeeded, {} failed, {} skipped, {} not started; "
                 "{:.2f} s; {} mul + {} add\n",
                 command, total_, succeeded, failed_.size(), skipped_, not_started, seconds,
                 with_thousands(total_ops_.mul), with_thousands(total_ops_.add));
    }
  }

  bool any_failed() const { return !failed_.empty(); }
  /// Whether a line of statistics could not be written (a full disk, /dev/full).
  bool statistics_lost() const { return !lost_.empty(); }

 private:
  void emit(std::FILE* stream, const std::string& line) {
    clear_progress();
    const std::string reason = write_line(stream, line);
    if (!reason.empty() && stream != stderr && lost_.empty()) lost_ = reason;
  }

  void clear_progress() {
    if (progress_ && drawn_) fmt::print(stderr, "\r\x1b[K");
    drawn_ = false;
  }

  /// [#####.....] 12/64  3.4 files/s  0:12 left  img13.png
  void redraw() {
    if (!progress_) return;
    const double seconds = seconds_since(start_);
    const double rate = seconds > 0 ? done_ / seconds : 0;
    constexpr size_t width = 30;
    const size_t filled = total_ ? width * done_ / total_ : width;
    const std::string left =
        rate > 0 ? duration_text(static_cast<double>(total_ - done_) / rate) + " left" : "";
    fmt::print(stderr, "\r\x1b[K[{}{}] {}/{}  {:.1f} files/s  {}  {}", std::string(filled, '#'),
               std::string(width - filled, '.'), done_, total_, rate, left,
               current_.empty() ? "" : echo(fs::path(current_).filename().string(), 32));
    std::fflush(stderr);
    drawn_ = true;
  }

  std::mutex mutex_;
  size_t total_ = 0, done_ = 0, skipped_ = 0;
  std::vector<std::string> failed_;
  std::string lost_;     ///< why statistics could not be written, once
  std::string current_;  ///< the input started last, for the progress bar
  OpCount total_ops_;
  Clock::time_point start_;
  bool json_ = false, text_ = false, progress_ = false, drawn_ = false;
  std::FILE* json_stream_ = stdout;
  std::FILE* text_stream_ = stderr;
};

// ---------------------------------------------------------------------------------------------
// Outputs: who claims which file, before any thread starts, so "the second" is well defined.

std::string canonical_key(const std::string& path) {
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path : canonical.string();
}

/// Drops the files a folder walk found inside --out-dir: `edges photos -r --out-dir photos/edges`
/// must not take the previous run's outputs as inputs. Files named one by one are kept.
void skip_output_folder(std::vector<BatchItem>& items, const std::string& out_dir) {
  if (out_dir.empty()) return;
  const fs::path outputs = canonical_key(out_dir);
  items.erase(std::remove_if(items.begin(), items.end(),
                             [&](const BatchItem& item) {
                               return item.from_folder &&
                                      is_inside(outputs, canonical_key(item.input));
                             }),
              items.end());
}

/// Marks each item whose output is another item's output, or one of the inputs (unless
/// --overwrite), as failed; in input order, so the first claimant keeps its output.
void check_claims(std::vector<BatchItem>& items, bool overwrite, bool has_overwrite_option) {
  std::set<std::string> inputs;
  for (const BatchItem& item : items) {
    if (item.error.empty() && item.input != "-") inputs.insert(canonical_key(item.input));
  }
  std::map<std::string, std::string> claimed;  // output -> the input that claimed it
  for (BatchItem& item : items) {
    for (const std::string& output : item.outputs) {
      if (!item.error.empty() || output == "-") continue;
      const std::string key = canonical_key(output_file_name(output));  // "x.jpg[Q=90]": x.jpg
      if (!overwrite && (inputs.count(key) || same_file(item.input, output_file_name(output)))) {
        item.error = fmt::format(
            "{}: its output {} is an input file; {}", item.input, output,
            has_overwrite_option ? "pass --overwrite to replace it" : "name another file");
      } else if (const auto [it, fresh] = claimed.emplace(key, item.input); !fresh) {
        item.error =
            fmt::format("{}: its output {} is also {}'s output", item.input, output, it->second);
      }
    }
  }
}

bool outputs_exist(const BatchItem& item) {
  if (item.outputs.empty()) return false;
  return std::all_of(item.outputs.begin(), item.outputs.end(), [](const std::string& output) {
    std::error_code error;
    return output != "-" && fs::exists(output_file_name(output), error);
  });
}

/// Creates the folders the outputs go to. One that cannot be created (a file stands where a folder
/// should) fails the inputs that write there, not the batch.
void make_output_folders(std::vector<BatchItem>& items) {
  std::map<fs::path, std::string> problems;  // folder -> why it cannot be created ("" when made)
  for (BatchItem& item : items) {
    for (const std::string& output : item.outputs) {
      const fs::path folder = fs::path(output).parent_path();
      if (!item.error.empty() || output == "-" || folder.empty()) continue;
      auto [it, fresh] = problems.emplace(folder, "");
      if (fresh) {
        std::error_code error;
        fs::create_directories(folder, error);
        if (!fs::is_directory(folder)) {
          it->second = error ? error.message() : "a file stands where the folder should be";
        }
      }
      if (!it->second.empty()) {
        item.error = fmt::format("{}: cannot create the output folder {}: {}", item.input,
                                 folder.string(), it->second);
      }
    }
  }
}

/// Runs `worker` on one item and tells the reporter; never throws.
void process_one(const BatchItem& item, const ItemWorker& worker, bool skip_existing,
                 Reporter& reporter) {
  if (!item.error.empty()) {
    reporter.failed(
        item, item.error.rfind(item.input, 0) == 0 ? item.error : item.input + ": " + item.error);
    return;
  }
  if (skip_existing && outputs_exist(item)) {
    reporter.skipped(item);
    return;
  }
  reporter.started(item);
  try {
    reporter.succeeded(item, worker(item));
  } catch (const Error& e) {
    reporter.failed(item, e.what());
  } catch (const cv::Exception& e) {
    reporter.failed(item, fmt::format("{}: OpenCV failed: {}", item.input, e.err));
  } catch (const std::exception& e) {
    reporter.failed(item, fmt::format("{}: {}", item.input, e.what()));
  }
}

/// Whether `path` ends in ".<format>", ignoring case: `-o x.PNG --format png` agree.
bool same_extension(const std::string& path, const std::string& format) {
  std::string ext = fs::path(path).extension().string();
  std::string wanted = "." + format;
  for (std::string* text : {&ext, &wanted}) {
    std::transform(text->begin(), text->end(), text->begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return ext == wanted;
}

int jobs_for(const BatchOptions& options, size_t items) {
  const int jobs = options.jobs > 0 ? options.jobs : available_cores();
  return static_cast<int>(std::max<size_t>(1, std::min<size_t>(jobs, items)));
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void add_batch_options(CLI::App& command, BatchOptions& options, bool outputs) {
  command
      .add_option("inputs", options.inputs,
                  "Input images: files, folders (--recursive), glob patterns, @list.txt, or - "
                  "for standard input")
      ->required();
  options.has_overwrite_option = outputs;
  if (outputs) {
    command.add_option("-o,--output", options.output,
                       "Output image for one input; - writes to standard output (needs --format)");
    command.add_option("--out-dir", options.out_dir,
                       "Output folder: DIR/<name below the input folder><suffix>.<ext>");
    command.add_option("--suffix", options.suffix, "Added to each output's file name (--out-dir)");
    command.add_option("--format", options.format,
                       "Output format as an extension (png, .png, tif, ...): under --out-dir, and "
                       "for -o -");
    command.add_flag("--skip-existing", options.skip_existing,
                     "Skip inputs whose output already exists (resume a stopped batch)");
    command.add_flag("--overwrite", options.overwrite, "Allow an output to replace an input");
  }
  command.add_flag("-r,--recursive", options.recursive, "Take images from subfolders too");
  command
      .add_option("-j,--jobs", options.jobs,
                  "Inputs processed in parallel (default: the number of cores)")
      ->check(whole_number(1, 4096));
  command
      .add_option("--shard", options.shard,
                  "I/N: process only inputs whose path hashes (FNV-1a 64) to I modulo N")
      ->check(CLI::Validator(
          [](std::string& text) {
            try {
              parse_shard(text);
              return std::string();
            } catch (const Error& e) {
              return e.reason();
            }
          },
          "I/N"));
  command
      .add_option("--stats", options.stats,
                  "auto (text for one input, else only errors), text, json (one object per input "
                  "per line) or none")
      ->check(CLI::IsMember({"auto", "text", "json", "none"}))
      ->capture_default_str();
  command.add_flag("-v,--verbose", options.verbose, "Print each input's statistics as text");
  command.add_flag("-q,--quiet", options.quiet,
                   "Nothing on stderr but errors: no report, no progress bar");
  command
      .add_option("--progress", options.progress,
                  "never, auto (a bar on a terminal for several inputs) or always")
      ->check(CLI::IsMember({"never", "auto", "always"}))
      ->capture_default_str();
  command.add_flag("-0,--null", options.null_separated,
                   "@list.txt and @- hold NUL-separated paths (find -print0), not lines");
  command.add_flag("--summary", options.summary,
                   "End with one line of counts, total time and total operations");
}

std::vector<BatchItem> expand_inputs(const std::vector<std::string>& arguments, bool recursive,
                                     bool null_separated) {
  std::vector<BatchItem> items;
  for (const std::string& argument : arguments) {
    std::error_code error;
    if (argument == "-") {
      items.push_back({"-", "stdin", {}, {}});
    } else if (argument.size() > 1 && argument[0] == '@') {
      add_list(argument, recursive, null_separated, items);
    } else if (fs::exists(argument, error) || !is_glob_pattern(argument)) {
      add_path(argument, recursive, items);
    } else {
      add_glob(argument, recursive, items);
    }
  }
  return items;
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : text) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  return hash;
}

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto whole = [](const std::string& part) {
    return !part.empty() && part.size() < 10 &&
           std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  if (slash != std::string::npos && whole(text.substr(0, slash)) && whole(text.substr(slash + 1))) {
    const Shard shard{std::stoull(text.substr(0, slash)), std::stoull(text.substr(slash + 1))};
    if (shard.count >= 1 && shard.index < shard.count) return shard;
  }
  throw usage_error(
      "--shard", fmt::format("'{}' is not I/N with whole numbers 0 <= I < N (such as 0/4)", text));
}

bool in_shard(const std::string& input, const Shard& shard) {
  return fnv1a64(input) % shard.count == shard.index;
}

std::string normalized_format(const std::string& format) {
  return !format.empty() && format[0] == '.' ? format.substr(1) : format;
}

std::string name_part_problem(const std::string& value) {
  if (value.find('/') != std::string::npos) return "may not hold '/'";
  if (value.find("..") != std::string::npos) return "may not hold '..'";
  if (value.find('\0') != std::string::npos) return "may not hold a NUL byte";
  return "";
}

void check_name_parts(const BatchOptions& options) {
  for (const auto& [option, value, name] :
       {std::tuple{"--suffix", options.suffix, options.suffix},
        {"--format", options.format, normalized_format(options.format)}}) {
    if (const std::string problem = name_part_problem(name); !problem.empty()) {
      throw usage_error(option, fmt::format("'{}' is part of a file name, not a path: it {}",
                                            echo(value), problem));
    }
  }
  if (!options.format.empty() && normalized_format(options.format).empty()) {
    throw usage_error("--format", "'.' names no format (give an extension such as png or .png)");
  }
}

bool is_inside(const fs::path& folder, const fs::path& path) {
  const fs::path base = folder.lexically_normal();
  const fs::path normal = path.lexically_normal();
  if (base == ".") return normal.is_relative() && *normal.begin() != ".." && normal != ".";
  auto b = base.begin();
  auto p = normal.begin();
  for (; b != base.end() && !b->empty(); ++b, ++p) {  // a trailing '/' is an empty last element
    if (p == normal.end() || *p != *b) return false;
  }
  return p != normal.end() && !p->empty();
}

std::string output_path_for(const BatchOptions& options, const BatchItem& item) {
  if (!options.output.empty()) return options.output;
  if (options.out_dir.empty()) return "";
  check_name_parts(options);
  const fs::path relative(item.relative);
  const std::string format = normalized_format(options.format);
  const std::string ext = format.empty() ? relative.extension().string() : "." + format;
  const fs::path name = relative.stem().string() + options.suffix + ext;
  const fs::path output = fs::path(options.out_dir) / relative.parent_path() / name;
  if (!is_inside(options.out_dir, output)) {
    throw Error(item.input, fmt::format("its output {} would be outside --out-dir {}",
                                        echo(output.string(), kMessageLimit),
                                        echo(options.out_dir, kMessageLimit)));
  }
  return output.string();
}

cv::Mat read_input(const std::string& input) {
  if (input != "-") return read_image(input);
  // At most --max-bytes of standard input, with the same header limits and damage checks as a file.
  return read_image_from(STDIN_FILENO, "-");
}

void write_output(const std::string& output, const cv::Mat& image,
                  const std::string& given_format) {
  const std::string format = normalized_format(given_format);
  if (output != "-") {
    write_image_atomically(output, image);
    return;
  }
  if (const std::string reason = unsupported_output_reason("stdout." + format, image.depth());
      !reason.empty()) {
    throw Error("-o -", reason);
  }
  std::vector<std::uint8_t> bytes;
  try {
    bytes = encode_image("." + format, image);
  } catch (const Error& e) {
    throw Error("-o -", e.reason());
  }
  errno = 0;
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() ||
      std::fflush(stdout) != 0) {
    const int error = errno != 0 ? errno : EIO;
    if (error == EPIPE) g_stdout_closed = true;
    throw Error("-o -", fmt::format("cannot write to standard output: {}", std::strerror(error)));
  }
}

void check_output_options(const BatchOptions& options, const std::vector<BatchItem>& items) {
  if (!options.output.empty() && !options.out_dir.empty()) {
    throw usage_error("-o", "give either -o OUTPUT or --out-dir DIR, not both");
  }
  if (options.output.empty() && options.out_dir.empty()) {
    throw usage_error("-o", "say where the output goes: -o OUTPUT, or --out-dir DIR");
  }
  if (!options.output.empty() && items.size() > 1) {
    throw usage_error("-o",
                      fmt::format("{} inputs need --out-dir DIR, not one -o OUTPUT", items.size()));
  }
  check_name_parts(options);
  const std::string format = normalized_format(options.format);
  if (!options.output.empty() && options.output != "-" && !format.empty() &&
      !same_extension(options.output, format)) {
    throw usage_error("--format", fmt::format("-o {} already names the format by its extension: "
                                              "give -o with the extension you want, or drop "
                                              "--format",
                                              echo(options.output)));
  }
  if (options.output == "-" && options.format.empty()) {
    throw usage_error("--format", "-o - writes to standard output: say the format (--format png)");
  }
  const bool reads_stdin = std::any_of(items.begin(), items.end(),
                                       [](const BatchItem& item) { return item.input == "-"; });
  if (reads_stdin && options.output.empty()) {
    throw usage_error("-", "standard input has no name to keep: give -o OUTPUT (or -o -)");
  }
}

int available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int run_batch(const BatchOptions& options, std::vector<BatchItem> items, const ItemWorker& worker,
              const BatchReport& report) {
  if (!options.shard.empty()) {
    const Shard shard = parse_shard(options.shard);
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](const BatchItem& item) { return !in_shard(item.input, shard); }),
                items.end());
  }
  skip_output_folder(items, options.out_dir);
  check_claims(items, options.overwrite, options.has_overwrite_option);
  make_output_folders(items);

  const int jobs = jobs_for(options, items.size());
  // Parallelism is across files; OpenCV's own threads would only compete with the workers.
  const int opencv_threads = cv::getNumThreads();
  if (jobs > 1) cv::setNumThreads(std::max(1, available_cores() / jobs));

  Reporter reporter(options, report, items.size());
  {
    const StopSignals signals;
    g_stdout_closed = false;
    std::atomic<size_t> next{0};
    const auto work = [&] {
      for (size_t i; !stop_requested() && (i = next++) < items.size();) {
        process_one(items[i], worker, options.skip_existing, reporter);
      }
    };
    std::vector<std::thread> threads;
    for (int t = 1; t < jobs; ++t) threads.emplace_back(work);
    work();
    for (std::thread& thread : threads) thread.join();
    reporter.finish(options.summary, report.command);
  }
  cv::setNumThreads(opencv_threads);
  if (g_signal == SIGINT) return 130;
  if (g_signal == SIGTERM) return 143;
  if (g_stdout_closed) return kStdoutClosedStatus;
  return reporter.any_failed() || reporter.statistics_lost() ? static_cast<int>(ExitCode::failure)
                                                             : 0;
}

}  // namespace sepconv::cli
