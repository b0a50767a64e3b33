// Kernel files: any existing file is one, whatever its name ("-k k.csv", "-k weights"), and its
// format is chosen by extension first, then by how the text starts.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "core/error.hpp"
#include "core/file_problem.hpp"
#include "kernel/parse.hpp"
#include "kernel/rows.hpp"
#include "kernel/syntaxes.hpp"
#include "kernel/text.hpp"

namespace sepconv::syntax {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxFileBytes = 16u << 20;

/// The whole file, refusing directories, non-files and anything over kMaxFileBytes.
std::string read_text_file(const std::string& path) {
  // The system's reason, said plainly: a loop of links or /dev/zero is not "no such file" or "too
  // big". FIFOs pass: `-k <(...)` is a kernel file.
  const std::string problem = input_file_problem(path);
  if (problem == "is a directory") throw Error(path, "is a directory, not a kernel file");
  if (!problem.empty()) throw Error(path, problem);
  std::error_code ec;
  const std::string too_big = "is larger than 16 MiB, too big for a kernel file";
  if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) > kMaxFileBytes) {
    throw Error(path, too_big);
  }

  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, fmt::format("cannot open: {}", std::strerror(errno)));
  // Read in chunks even after the size check: a FIFO or /dev/zero has no size to check.
  std::string content;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    content.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (content.size() > kMaxFileBytes) throw Error(path, too_big);
  }
  if (in.bad()) throw Error(path, "read error");
  const std::size_t nul = content.find('\0');
  if (nul != std::string::npos) {
    throw Error(path, fmt::format("holds a NUL byte at offset {}; a kernel file is text", nul));
  }
  return content;
}

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

/// The text from where the matrix starts: past a byte order mark, blank lines and '#' comments.
std::string_view content(std::string_view text) {
  for (const std::string_view line : rows::split_lines(text)) {
    const std::string_view trimmed = text::trim(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    return text.substr(static_cast<std::size_t>(trimmed.data() - text.data()));
  }
  return {};
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_storage_text(std::string_view start) {
  return starts_with(start, "%YAML") || starts_with(start, "<?xml") || starts_with(start, "{");
}

/// An ImageMagick array ("3x3: ...") or a bracketed matrix as the whole file: read as the argument
/// would be, with errors naming the file.
Kernel parse_as_argument(std::string_view body, const std::string& path,
                         Kernel (*parse)(const std::string&)) {
  try {
    Kernel kernel = parse(std::string(text::trim(body)));
    kernel.name = path;
    return kernel;
  } catch (const Error& e) {
    throw Error(path, e.reason(), e.code());
  }
}

}  // namespace

bool is_existing_file(const std::string& spec) {
  std::error_code ec;
  const fs::file_status status = fs::status(spec, ec);
  return !ec && fs::exists(status) && !fs::is_directory(status);
}

bool looks_like_path(const std::string& spec) {
  static const char* const kExtensions[] = {".txt",  ".mat",  ".csv", ".tsv", ".yml",
                                            ".yaml", ".json", ".xml", ".npy"};
  if (spec.find('/') != std::string::npos) return true;
  const std::string ext = lower_extension(spec);
  return std::any_of(std::begin(kExtensions), std::end(kExtensions),
                     [&](const char* known) { return ext == known; });
}

Kernel read_kernel_file(const std::string& path) {
  const std::string text = read_text_file(path);
  const std::string ext = lower_extension(path);
  if (ext == ".npy") {
    throw Error(path, "a binary .npy file; save the array as text: numpy.savetxt('k.txt', a)");
  }
  if (ext == ".mat") return parse_vips_mat(text, path);
  const std::string_view body = content(text);
  if (ext == ".yml" || ext == ".yaml" || ext == ".json" || ext == ".xml" || is_storage_text(body)) {
    return parse_opencv_storage(text, path);
  }
  if (starts_with(body, "[")) return parse_as_argument(body, path, parse_inline_matrix);
  const std::string_view first_line = body.substr(0, body.find('\n'));
  const auto colon = first_line.find(':');
  if (colon != std::string_view::npos &&
      is_magick_array(std::string(first_line.substr(0, colon + 1)))) {
    return parse_as_argument(body, path, parse_magick_array);
  }
  return parse_kernel_text(text, path);
}

}  // namespace sepconv::syntax
