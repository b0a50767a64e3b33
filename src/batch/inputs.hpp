#pragma once
// Expanding INPUT arguments into the list of inputs, and --shard's choice among them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "batch/batch.hpp"

namespace sepconv::batch {

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
/// Keeps the items of --shard (all of them when it is empty).
void keep_shard(std::vector<BatchItem>& items, const std::string& shard);

}  // namespace sepconv::batch
