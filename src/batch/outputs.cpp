#include "batch/outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "io/image_io.hpp"

namespace sepconv::batch {
namespace fs = std::filesystem;
namespace {

// Who claims which file is settled before any thread starts, so "the second" is well defined.

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

}  // namespace

std::string normalized_format(const std::string& format) {
  return !format.empty() && format[0] == '.' ? format.substr(1) : format;
}

std::string name_part_problem(const std::string& value) {
  if (value.find('/') != std::string::npos) return "may not hold '/'";
  if (value.find("..") != std::string::npos) return "may not hold '..'";
  if (value.find('\0') != std::string::npos) return "may not hold a NUL byte";
  return "";
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

void prepare_outputs(std::vector<BatchItem>& items, const BatchOptions& options) {
  skip_output_folder(items, options.out_dir);
  check_claims(items, options.overwrite, options.has_overwrite_option);
  make_output_folders(items);
}

bool outputs_exist(const BatchItem& item) {
  if (item.outputs.empty()) return false;
  return std::all_of(item.outputs.begin(), item.outputs.end(), [](const std::string& output) {
    std::error_code error;
    return output != "-" && fs::exists(output_file_name(output), error);
  });
}

}  // namespace sepconv::batch
