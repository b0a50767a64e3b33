#pragma once
// The batch layer shared by every command that takes INPUT...: the values its units pass around.
// inputs.hpp expands files, folders, globs, @lists and shards into items; outputs.hpp names and
// claims their outputs; runner.hpp runs a command's worker over them on --jobs threads and stops on
// a signal; reporter.hpp prints progress, JSON lines and the summary. A command supplies one
// function that processes one input and says what it produced; the command line wiring of these
// options is in cli/batch.hpp.

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/ops.hpp"

namespace sepconv::batch {

/// The options every batch command shares (docs/batches.md).
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
  bool quiet = false;             ///< the program's -q: nothing on stderr but errors
  std::string progress = "auto";  ///< never, auto or always
  bool null_separated = false;    ///< -0: lists are NUL-separated
  bool summary = false;
  int jobs = 0;                ///< 0: the number of cores this process may run on
  std::string stats = "auto";  ///< auto, text, json or none
  std::string shard;           ///< "I/N", empty for everything
};

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

/// Longest message echoed for one input: file names are kept whole up to this.
constexpr size_t kMessageLimit = 1024;

/// The exit status after standard output was closed by its reader (EPIPE, as in `| head -1`): the
/// status a shell reports for a process that SIGPIPE killed, 128 + 13.
constexpr int kStdoutClosedStatus = 141;

}  // namespace sepconv::batch
