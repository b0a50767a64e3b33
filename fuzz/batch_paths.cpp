// Fuzzes the batch path builder with hostile --suffix, --format, --out-dir and input names: the
// input is split at NUL-free '\x01' separators into out-dir, suffix, format and the input's name
// below its folder. Property: output_path_for either refuses (sepconv::Error) or returns a path
// inside --out-dir, lexically; anything else escaping, or a sanitizer report, is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "batch/outputs.hpp"
#include "core/error.hpp"

namespace {

std::vector<std::string> fields(const std::string& text, size_t count) {
  std::vector<std::string> parts(count);
  size_t field = 0;
  for (const char c : text) {
    if (c == '\x01' && field + 1 < count) {
      ++field;
    } else {
      parts[field] += c;
    }
  }
  return parts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::vector<std::string> parts =
      fields(std::string(reinterpret_cast<const char*>(data), size), 4);
  sepconv::batch::BatchOptions options;
  options.out_dir = parts[0].empty() ? "out" : parts[0];
  options.suffix = parts[1];
  options.format = parts[2];
  sepconv::batch::BatchItem item;
  item.relative = parts[3];
  item.input = "in/" + parts[3];
  try {
    const std::string output = sepconv::batch::output_path_for(options, item);
    if (!sepconv::batch::is_inside(options.out_dir, output)) std::abort();
    // The name parts were accepted, so they hold no '/', ".." or NUL.
    if (!sepconv::batch::name_part_problem(options.suffix).empty()) std::abort();
  } catch (const sepconv::Error&) {
  }
  return 0;
}
