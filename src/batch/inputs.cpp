#include "batch/inputs.hpp"

#include <fmt/format.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "core/file_problem.hpp"

namespace sepconv::batch {
namespace fs = std::filesystem;
namespace {

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

/// Why a file found by a folder listing or a pattern cannot be an input: a named pipe, taken only
/// when named on its own (`<(...)`): one found so has no writer, and reading it would wait forever.
std::string found_pipe_problem(const fs::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0 && S_ISFIFO(status.st_mode)) {
    return "is a named pipe (FIFO), not a file (folders and patterns take regular files only)";
  }
  return "";
}

/// Why an image-named entry of a folder cannot be an input, in core/file_problem's words ("is a
/// loop of symbolic links", "is a symbolic link to a missing file", "permission denied" ...); ""
/// for a regular file.
std::string listed_file_problem(const fs::path& path) {
  const std::string problem = input_file_problem(path.string());
  return problem.empty() ? found_pipe_problem(path) : problem;
}

/// Whether a folder walk descends into this entry: a real folder, never a symbolic link to one
/// (as `find` without -L), so no loop of links can make the walk endless.
bool is_real_folder(const fs::directory_entry& entry) {
  std::error_code error;
  return fs::is_directory(entry.symlink_status(error));
}

/// Whether the entry is a symbolic link to a folder: skipped, like the folder it is not followed
/// to.
bool is_link_to_folder(const fs::directory_entry& entry) {
  std::error_code error;
  return fs::is_symlink(entry.symlink_status(error)) && fs::is_directory(entry.status(error));
}

/// What a folder walk found below its root: an image file, or an entry it cannot take (a file
/// named like an image that is a loop of links, a dangling link, a pipe; a subfolder that cannot be
/// listed) with the reason, so that the batch fails that one and goes on with the rest.
struct FolderEntry {
  fs::path relative;
  std::string problem;
};

/// Lists `root` (and with `recursive`, its real subfolders, one folder at a time so that the depth
/// of the tree never deepens the stack). An error is kept for the entry it concerns; the walk goes
/// on. The root's own listing error is the one entry with an empty relative path.
std::vector<FolderEntry> walk_folder(const fs::path& root, bool recursive) {
  std::vector<FolderEntry> found;
  std::vector<fs::path> pending{fs::path()};
  while (!pending.empty()) {
    const fs::path folder = pending.back();
    pending.pop_back();
    std::error_code error;
    for (fs::directory_iterator it(root / folder, error), end; !error && it != end;
         it.increment(error)) {
      const fs::path relative = folder / it->path().filename();
      if (is_hidden(relative)) continue;
      if (is_real_folder(*it)) {
        if (recursive) pending.push_back(relative);
      } else if (!is_link_to_folder(*it) && has_image_extension(relative)) {
        found.push_back({relative, listed_file_problem(root / relative)});
      }
    }
    if (error) found.push_back({folder, "cannot list the folder: " + error.message()});
  }
  return found;
}

/// The image files in a folder, sorted by their path below it; entries that cannot be taken are
/// failed items in their place.
void add_folder(const fs::path& root, bool recursive, std::vector<BatchItem>& items) {
  std::vector<FolderEntry> found = walk_folder(root, recursive);
  std::sort(found.begin(), found.end(),
            [](const FolderEntry& a, const FolderEntry& b) { return a.relative < b.relative; });
  for (FolderEntry& entry : found) {
    if (entry.relative.empty()) {  // the root itself
      items.push_back(failed_item(root.string(), entry.problem));
      continue;
    }
    BatchItem item{
        (root / entry.relative).string(), entry.relative.string(), {}, std::move(entry.problem)};
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
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      const std::string match = matches.gl_pathv[i];
      if (const std::string problem = found_pipe_problem(match); !problem.empty()) {
        items.push_back(failed_item(match, problem));
      } else {
        add_path(match, recursive, items);
      }
    }
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

}  // namespace

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

void keep_shard(std::vector<BatchItem>& items, const std::string& shard_text) {
  if (shard_text.empty()) return;
  const Shard shard = parse_shard(shard_text);
  items.erase(std::remove_if(items.begin(), items.end(),
                             [&](const BatchItem& item) { return !in_shard(item.input, shard); }),
              items.end());
}

}  // namespace sepconv::batch
