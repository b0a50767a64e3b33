#pragma once
// The batch layer shared by every command that takes INPUT...: expanding files, folders, globs,
// @lists and stdin into a list of inputs; naming outputs; sharding; a pool of worker threads; the
// progress bar, the statistics stream, the summary and the exit status; Ctrl-C. A command supplies
// one function that processes one input and says what it produced; everything else lives here.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/ops.hpp"

namespace sepconv::cli {

/// The options every batch command shares (docs/batch.md).
struct BatchOptions {
  std::vector<std::string> inputs;
  std::string output;   ///< -o: one output; "-" is standard output
  std::string out_dir;  ///< --out-dir: DIR/<relative folder>/<stem><suffix>.<format or input's ext>
  std::string suffix;
  std::string format;  ///< extension without the dot; also the encoding of "-o -"
  bool recursive = false;
  bool skip_existing = false;
  bool overwrite = false;
  bool has_overwrite_option = true;  ///< whether the command offers --overwrite (compare does not)
  bool verbose = false;
  bool quiet = false;             ///< -q: nothing on stderr but errors
  std::string progress = "auto";  ///< never, auto or always
  bool null_separated = false;    ///< -0: lists are NUL-separated
  bool summary = false;
  int jobs = 0;                ///< 0: the number of cores this process may run on
  std::string stats = "auto";  ///< auto, text, json or none
  std::string shard;           ///< "I/N", empty for everything
};

/// Adds the shared options to a command. `outputs` says whether -o/--out-dir/--suffix/--format and
/// --skip-existing/--overwrite make sense for it (compare names its images otherwise).
void add_batch_options(CLI::App& command, BatchOptions& options, bool outputs = true);

/// One input after expansion.
struct BatchItem {
  std::string input;  ///< as listed: "dir/sub/a.png", a glob match, "-" for standard input
  std::string
      relative;  ///< the name below the folder it was found in ("sub/a.png"), else the file name
  std::vector<std::string> outputs;  ///< the files this input writes ("-": standard output)
  std::string error;                 ///< set when expansion already failed (a glob with no match)
  bool from_folder = false;          ///< found by listing a folder (not named one by one)
};

/// What processing one input gave, for the statistics stream.
struct ItemResult {
  nlohmann::json json;  ///< the --stats json line ("input" first)
  std::string text;     ///< the --stats text report, without a trailing newline
  OpCount total;        ///< operations, for --summary
};

/// Expands INPUT arguments in order: "-" (standard input), "@list.txt" or "@-" (the list on
/// standard input): one path a line, or NUL-separated with `null_separated`, taken literally,
/// empty entries skipped; an existing folder (its image files by extension, sorted, hidden files
/// skipped; subfolders with `recursive`), a glob(3) pattern (sorted matches), else the path as
/// given (so a missing file fails with its own message).
std::vector<BatchItem> expand_inputs(const std::vector<std::string>& arguments, bool recursive,
                                     bool null_separated = false);

/// expand_inputs with the options' -r and -0.
inline std::vector<BatchItem> expand_inputs(const BatchOptions& options) {
  return expand_inputs(options.inputs, options.recursive, options.null_separated);
}

/// FNV-1a, 64 bits, of the bytes of `text`: offset basis 14695981039346656037, prime 1099511628211.
std::uint64_t fnv1a64(std::string_view text);

/// --shard I/N: 0 <= I < N.
struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
};
/// Parses "I/N"; throws a usage Error naming --shard.
Shard parse_shard(const std::string& text);
/// Whether `input` (the path string as listed) belongs to the shard: fnv1a64(input) % N == I.
bool in_shard(const std::string& input, const Shard& shard);

/// The output for `item` under -o or --out-dir; empty when neither is given. Under --out-dir it is
/// DIR/<relative folder>/<stem><suffix>.<format or the input's extension>, and always inside DIR
/// (checked after joining, lexically): otherwise Error naming the input. A --suffix or --format
/// that is not a plain name part is a usage Error.
std::string output_path_for(const BatchOptions& options, const BatchItem& item);

/// --format without its leading dot: ".png" and "png" are both "png".
std::string normalized_format(const std::string& format);

/// Why `value` cannot be part of a file name (--suffix, --format): it holds '/', ".." or NUL; ""
/// when it can.
std::string name_part_problem(const std::string& value);

/// Whether `path` is below `folder` once both are lexically normal ("out/a/../b.png" is inside
/// "out"; "out/../x.png" is not; `folder` itself is not inside itself).
bool is_inside(const std::filesystem::path& folder, const std::filesystem::path& path);

/// The exit status after standard output was closed by its reader (EPIPE, as in `| head -1`): the
/// status a shell reports for a process that SIGPIPE killed, 128 + 13.
constexpr int kStdoutClosedStatus = 141;

/// Reads an input: read_image for a path, read_image_from standard input for "-".
cv::Mat read_input(const std::string& input);

/// Writes an output: write_image_atomically for a path; for "-", encode_image in `format` to
/// standard output.
void write_output(const std::string& output, const cv::Mat& image, const std::string& format);

/// Where the text report of one item goes.
enum class TextTarget { stderr_stream, stdout_stream };

/// How a command wants its results shown.
struct BatchReport {
  std::string command;  ///< "apply": names the command in the summary
  /// compare's report is its product: printed on stdout for every input; apply's and edges'
  /// statistics go to stderr, for one input or with --verbose or --stats text.
  TextTarget text_target = TextTarget::stderr_stream;
};

/// Processes one input (any thread; must be thread-safe). Throws sepconv::Error on failure.
using ItemWorker = std::function<ItemResult(const BatchItem&)>;

/// Runs the batch: shards, checks output clashes, creates output folders (one that cannot be made
/// fails its inputs only), skips existing outputs, runs `worker` on --jobs threads, streams
/// statistics, prints the failures and the summary. Returns the exit status: 0, 1 when an input
/// failed or statistics could not be written, 130 after SIGINT, 143 after SIGTERM and 141 when
/// standard output was closed (the inputs started are finished, no new one is).
int run_batch(const BatchOptions& options, std::vector<BatchItem> items, const ItemWorker& worker,
              const BatchReport& report);

/// Usage checks shared by the commands that write one image per input (apply, edges): -o or
/// --out-dir, not both; one input for -o; --suffix and --format are name parts; -o x.png with
/// another --format is a contradiction.
void check_output_options(const BatchOptions& options, const std::vector<BatchItem>& items);

/// The number of CPUs this process may run on (sched_getaffinity), at least 1.
int available_cores();

}  // namespace sepconv::cli
