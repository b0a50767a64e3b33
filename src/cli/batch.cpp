#include "cli/batch.hpp"

#include "cli/options.hpp"
#include "core/error.hpp"

namespace sepconv::cli {
namespace {

void add_output_options(CLI::App& command, BatchOptions& options) {
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

/// -r, -j, --shard, --stats, -v, --progress, -0 and --summary, in the order --help lists them.
void add_run_options(CLI::App& command, BatchOptions& options) {
  command.add_flag("-r,--recursive", options.recursive, "Take images from subfolders too");
  command
      .add_option("-j,--jobs", options.jobs,
                  "Inputs processed in parallel (default: the number of cores)")
      ->check(whole_number(1, 4096));
  command
      .add_option("--shard", options.shard,
                  "I/N: process only inputs whose path hashes (FNV-1a 64) to I modulo N")
      ->check(parsed_by([](const std::string& text) { return batch::parse_shard(text); }, "I/N"));
  command
      .add_option("--stats", options.stats,
                  "auto (text for one input, else only errors), text, json (one object per input "
                  "per line) or none")
      ->check(CLI::IsMember({"auto", "text", "json", "none"}))
      ->capture_default_str();
  command.add_flag("-v,--verbose", options.verbose, "Print each input's statistics as text");
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

}  // namespace

void add_batch_options(CLI::App& command, BatchOptions& options, bool outputs) {
  command
      .add_option("inputs", options.inputs,
                  "Input images: files, folders (--recursive), glob patterns, @list.txt, or - "
                  "for standard input")
      ->required();
  // The program's -q is known before parsing starts (help.hpp's quiet()), and applies here too.
  command.preparse_callback([&options](std::size_t) { options.quiet = quiet(); });
  options.has_overwrite_option = outputs;
  if (outputs) add_output_options(command, options);
  add_run_options(command, options);
}

}  // namespace sepconv::cli
