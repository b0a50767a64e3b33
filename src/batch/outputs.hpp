#pragma once
// Naming each input's output, and settling before any thread starts which input may write which
// file: clashes, inputs that would be overwritten, folders to create, outputs that already exist.

#include <filesystem>
#include <string>
#include <vector>

#include "batch/batch.hpp"

namespace sepconv::batch {

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

/// Usage checks shared by the commands that write one image per input (apply, edges): -o or
/// --out-dir, not both; one input for -o; --suffix and --format are name parts; -o x.png with
/// another --format is a contradiction.
void check_output_options(const BatchOptions& options, const std::vector<BatchItem>& items);

/// Settles the outputs before the workers start: drops what a folder walk found inside --out-dir,
/// fails each item whose output is another's or an input (unless --overwrite), and creates the
/// output folders (one that cannot be made fails its inputs only).
void prepare_outputs(std::vector<BatchItem>& items, const BatchOptions& options);

/// Whether every output of `item` exists already (--skip-existing).
bool outputs_exist(const BatchItem& item);

}  // namespace sepconv::batch
