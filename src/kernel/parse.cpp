// Turning a KERNEL argument into a Kernel: bundled names, files, inline matrices, ImageMagick
// strings and (through generators.hpp) generators.
//
// sepconv kernel files (README "Kernel files")
// ---------------------------------------------
// A kernel file is UTF-8 (or ASCII) text, one matrix row per line:
//
//     # Sobel x derivative, 3x3               <- the first comment line is the description
//     # Irwin Sobel 1968                         (shown by `sepconv kernels`)
//     scale: 1/8                              <- optional directives, before the rows
//     anchor: 1 1
//     -1  0  1
//     -2  0  2                                <- numbers separated by spaces, tabs and/or commas
//     -1  0  1   # trailing comments are fine
//
// - `#` starts a comment, on a line of its own or after a row or directive. Lines that hold only
//   a comment are ignored wherever they are. A UTF-8 byte order mark and CRLF line ends are
//   accepted.
// - Blank lines may come before the first row and after the last row. A blank line between two
//   rows is an error ("empty line inside the matrix"): it usually means two matrices were pasted
//   into one file.
// - Directives come before the first row, each at most once: a name, a colon, arguments.
//     scale: S      multiplies every coefficient by S, a nonzero number or fraction (1/16, 0.25).
//                   With a fraction a/b, a coefficient c becomes c * a / b, so 1 with scale 1/9 is
//                   exactly the double nearest to 1/9.
//     anchor: X Y   the tap that lands on the output pixel: 0-based column X and row Y inside the
//                   matrix. The default is the centre, (columns / 2, rows / 2).
//   Any other name followed by a colon is an error.
// - A number is an integer, a decimal or an exponent form (1e-3, 2.5E+2), with an optional sign,
//   or a fraction a/b of two such numbers with b != 0 (1/9, -3/16). Numbers are read the same way
//   in every locale: the decimal separator is always '.'.
// - Every row has the same number of columns; at most 1025 rows and 1025 columns.
// - Errors name the file and the line: a ragged row (with both row lengths), a word that is not a
//   number (quoted), NaN, infinities, magnitudes out of the range of a double (1e400, and 1e-400
//   too), a division by zero, no rows at all, more than 1025 rows or columns, an unknown,
//   repeated, misplaced or malformed directive, an anchor outside the matrix.
// - The file must exist, be readable, not be a directory, and hold at most 16 MiB.
//
// The same number syntax is used by inline matrices ("[-1 0 1; -2 0 2; -1 0 1]": rows separated by
// ';'), libvips .mat files and ImageMagick kernel strings.

#include "kernel/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "kernel/generators.hpp"
#include "kernel/text.hpp"

namespace sepconv {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 16u << 20;

using Rows = std::vector<std::vector<double>>;

/// A matrix of rows that all have the same length, as a cv::Mat1d.
cv::Mat1d to_mat(const Rows& rows) {
  cv::Mat1d values(static_cast<int>(rows.size()), static_cast<int>(rows[0].size()));
  for (int r = 0; r < values.rows; ++r) {
    std::copy(rows[r].begin(), rows[r].end(), values.ptr<double>(r));
  }
  return values;
}

/// values * a / b, coefficient by coefficient. Not cv::Mat's `* a / b`, which folds a / b into one
/// factor: 7 * (1 / 9) and 7 / 9 are different doubles, and only the second is the nearest to 7/9.
void multiply_divide(cv::Mat1d& values, double a, double b) {
  for (double& v : values) v = v * a / b;
}

/// The whole file, refusing directories, non-files and anything over kMaxFileBytes.
std::string read_text_file(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) throw Error(path, "no such file");
  if (ec) throw Error(path, fmt::format("cannot access: {}", ec.message()));
  if (fs::is_directory(status)) throw Error(path, "is a directory, not a kernel file");
  const std::string too_big = "is larger than 16 MiB, too big for a kernel file";
  if (fs::is_regular_file(status) && fs::file_size(path, ec) > kMaxFileBytes) {
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
  return content;
}

/// Splits text into lines, dropping a UTF-8 byte order mark and the CR of CRLF line ends.
std::vector<std::string_view> split_lines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return lines;
}

/// "1 number", "3 numbers".
std::string count_numbers(std::size_t n) {
  return fmt::format("{} number{}", n, n == 1 ? "" : "s");
}

/// Reads one row of numbers; `where` prefixes errors ("line 3" or "row 2").
std::vector<double> parse_row(std::string_view row, const std::string& source,
                              const std::string& where) {
  std::vector<double> values;
  for (const std::string_view field : text::split_fields(row)) {
    const text::Real real = text::parse_real(field);
    if (!real.ok()) throw Error(source, fmt::format("{}: {}", where, real.error));
    values.push_back(real.value);
  }
  if (static_cast<int>(values.size()) > kMaxKernelSide) {
    throw Error(source, fmt::format("{}: {} columns, more than the limit of {}", where,
                                    values.size(), kMaxKernelSide));
  }
  return values;
}

/// Appends a row, checking it is as long as the rows before it and that there are not too many.
void add_row(Rows& rows, std::vector<double> row, const std::string& source,
             const std::string& where) {
  if (!rows.empty() && row.size() != rows[0].size()) {
    throw Error(source, fmt::format("{}: row has {} but the rows above have {}", where,
                                    count_numbers(row.size()), rows[0].size()));
  }
  if (static_cast<int>(rows.size()) == kMaxKernelSide) {
    throw Error(source, fmt::format("{}: more than {} rows, the limit", where, kMaxKernelSide));
  }
  rows.push_back(std::move(row));
}

/// What the directives of a kernel file set.
struct Directives {
  std::optional<text::Real> scale;
  std::optional<cv::Point> anchor;
  int anchor_line = 0;
};

/// Handles "name: arguments" before the rows of a kernel file.
void parse_directive(std::string_view name, std::string_view args, int line, Directives& out,
                     const std::string& source) {
  const auto fail = [&](const std::string& reason) {
    return Error(source, fmt::format("line {}: {}", line, reason));
  };
  const auto fields = text::split_fields(args);
  if (name == "scale") {
    if (out.scale) throw fail("scale: given twice");
    if (fields.size() != 1) throw fail("scale: expects one number, as in 'scale: 1/16'");
    const text::Real scale = text::parse_real(fields[0]);
    if (!scale.ok()) throw fail(fmt::format("scale: {}", scale.error));
    if (scale.value == 0) throw fail("scale: must not be zero");
    out.scale = scale;
    return;
  }
  if (name == "anchor") {
    if (out.anchor) throw fail("anchor: given twice");
    int x = 0, y = 0;
    if (fields.size() != 2 || !text::parse_int(fields[0], x) || !text::parse_int(fields[1], y) ||
        x < 0 || y < 0) {
      throw fail("anchor: expects a 0-based column and row, as in 'anchor: 1 1'");
    }
    out.anchor = cv::Point(x, y);
    out.anchor_line = line;
    return;
  }
  throw fail(fmt::format("unknown directive '{}:' (expected 'scale:' or 'anchor:')", echo(name)));
}

/// Recognizes "name:" at the start of a line, where a row would start with a number.
std::optional<std::pair<std::string_view, std::string_view>> split_directive(
    std::string_view content) {
  const std::string_view trimmed = text::trim(content);
  const auto colon = trimmed.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view name = text::trim(trimmed.substr(0, colon));
  const bool is_word = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!is_word) return std::nullopt;
  return std::make_pair(name, trimmed.substr(colon + 1));
}

/// A spec that reads as a path: it has a '/' or the extension of a kernel file.
bool looks_like_path(const std::string& spec) {
  const fs::path path(spec);
  return spec.find('/') != std::string::npos || path.extension() == ".txt" ||
         path.extension() == ".mat";
}

/// Reads a kernel file of either format, chosen by the extension.
Kernel read_kernel_file(const std::string& path) {
  const std::string text = read_text_file(path);
  if (fs::path(path).extension() == ".mat") return parse_vips_mat(text, path);
  return parse_kernel_text(text, path);
}

/// The bundled file for `name`, if `name` is a plain word and filters/<name>.txt exists.
std::optional<fs::path> bundled_path(const std::string& name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!plain) return std::nullopt;
  const fs::path path = filters_dir() / (name + ".txt");
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return path;
}

/// "[-1 0 1; -2 0 2; -1 0 1]": rows separated by ';', an optional ';' before the ']'.
Kernel parse_inline(const std::string& spec) {
  std::string_view body = text::trim(spec);
  if (body.size() < 2 || body.back() != ']') {
    throw Error(spec, "an inline matrix must end with ']', as in \"[-1 0 1; -2 0 2; -1 0 1]\"");
  }
  body = text::trim(body.substr(1, body.size() - 2));
  if (!body.empty() && body.back() == ';') body.remove_suffix(1);

  Rows rows;
  std::size_t start = 0;
  for (int index = 1;; ++index) {
    const auto semicolon = body.find(';', start);
    const std::string_view row = body.substr(start, semicolon - start);
    const std::string where = fmt::format("row {}", index);
    if (text::trim(row).empty()) throw Error(spec, fmt::format("{}: empty row", where));
    add_row(rows, parse_row(row, spec, where), spec, where);
    if (semicolon == std::string_view::npos) break;
    start = semicolon + 1;
  }
  return make_kernel(to_mat(rows), spec,
                     fmt::format("Inline {}x{} matrix", rows[0].size(), rows.size()));
}

/// The parts of an ImageMagick kernel string "WxH[+X+Y]: values" or "N[+X+Y]: values" (square),
/// as written; the numbers are checked by parse_magick.
struct MagickHeader {
  std::string_view width, height, origin_x, origin_y, values;
};

/// Digits at the start of `s`, consumed; empty if `s` does not start with one. A sign is taken
/// first when `signed_number`.
std::string_view take_digits(std::string_view& s, bool signed_number = false) {
  std::size_t n = signed_number && !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
  const std::size_t first_digit = n;
  while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
  if (n == first_digit) return {};
  const std::string_view digits = s.substr(0, n);
  s.remove_prefix(n);
  return digits;
}

/// Recognizes the header of an ImageMagick kernel string. A hand-written scanner, not std::regex:
/// libstdc++'s regex recurses once per character and overflows the stack on a long argument.
std::optional<MagickHeader> scan_magick_header(std::string_view spec) {
  std::string_view s = spec.substr(std::min(spec.size(), spec.find_first_not_of(" \t\r\n")));
  MagickHeader header;
  header.width = take_digits(s);
  if (header.width.empty()) return std::nullopt;
  header.height = header.width;
  if (!s.empty() && (s[0] == 'x' || s[0] == 'X')) {
    s.remove_prefix(1);
    header.height = take_digits(s);
    if (header.height.empty()) return std::nullopt;
  }
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    header.origin_x = take_digits(s, true);
    header.origin_y = take_digits(s, true);
    if (header.origin_x.empty() || header.origin_y.empty()) return std::nullopt;
  }
  s = s.substr(std::min(s.size(), s.find_first_not_of(" \t\r\n")));
  if (s.empty() || s[0] != ':') return std::nullopt;
  header.values = s.substr(1);
  return header;
}

int magick_side(std::string_view digits, const std::string& spec) {
  int side = 0;
  if (!text::parse_int(digits, side) || side < 1 || side > kMaxKernelSide) {
    throw Error(spec,
                fmt::format("kernel side '{}' must be from 1 to {}", echo(digits), kMaxKernelSide));
  }
  return side;
}

/// ImageMagick's "nan" (any case) or "-": a tap that is not part of the neighbourhood.
bool is_magick_nan(std::string_view field) {
  if (field == "-") return true;
  if (field.size() != 3) return false;
  return std::tolower(static_cast<unsigned char>(field[0])) == 'n' &&
         std::tolower(static_cast<unsigned char>(field[1])) == 'a' &&
         std::tolower(static_cast<unsigned char>(field[2])) == 'n';
}

Kernel parse_magick(const std::string& spec, const MagickHeader& header) {
  const int width = magick_side(header.width, spec);
  const int height = magick_side(header.height, spec);
  // ImageMagick centres even kernels at (W - 1) / 2, one tap left of OpenCV's W / 2.
  cv::Point anchor((width - 1) / 2, (height - 1) / 2);
  if (!header.origin_x.empty()) {
    if (!text::parse_int(header.origin_x, anchor.x) ||
        !text::parse_int(header.origin_y, anchor.y) || anchor.x < 0 || anchor.y < 0 ||
        anchor.x >= width || anchor.y >= height) {
      throw Error(spec, fmt::format("origin {}{} lies outside the {}x{} kernel",
                                    echo(header.origin_x), echo(header.origin_y), width, height));
    }
  }

  std::string_view values = header.values;
  // ImageMagick ends a kernel at ';' and allows a list of kernels after it; sepconv takes one.
  if (const auto semicolon = values.find(';'); semicolon != std::string_view::npos) {
    if (!text::trim(values.substr(semicolon + 1)).empty()) {
      throw Error(spec, "a list of ImageMagick kernels (separated by ';') is not supported");
    }
    values = values.substr(0, semicolon);
  }

  std::vector<double> coefficients;
  bool any_real = false;
  for (const std::string_view field : text::split_fields(values)) {
    // "nan" and "-" mark a tap outside the neighbourhood: it contributes nothing to a convolution.
    if (is_magick_nan(field)) {
      coefficients.push_back(0.0);
      continue;
    }
    const text::Real real = text::parse_real(field);
    if (!real.ok()) {
      throw Error(spec, fmt::format("value {}: {}", coefficients.size() + 1, real.error));
    }
    coefficients.push_back(real.value);
    any_real = true;
  }
  const std::size_t expected = static_cast<std::size_t>(width) * height;
  if (coefficients.size() != expected) {
    throw Error(spec, fmt::format("a {}x{} kernel needs {} values, got {}", width, height, expected,
                                  coefficients.size()));
  }
  if (!any_real) throw Error(spec, "every value is nan: the kernel is empty");
  const cv::Mat1d matrix = cv::Mat1d(coefficients, true).reshape(1, height);
  return make_kernel(matrix.clone(), spec, fmt::format("ImageMagick {}x{} kernel", width, height),
                     anchor);
}

}  // namespace

Kernel parse_kernel_text(const std::string& text, const std::string& source) {
  const auto lines = split_lines(text);
  Rows rows;
  Directives directives;
  std::string description;
  bool seen_comment = false;
  int blank_after_rows = 0;  // line number of a blank line seen after a row, 0 if none

  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    const std::string_view line = lines[i];
    const auto hash = line.find('#');
    const std::string_view content = text::trim(line.substr(0, hash));
    if (text::trim(line).empty()) {
      if (!rows.empty() && blank_after_rows == 0) blank_after_rows = number;
      continue;
    }
    if (content.empty()) {  // a comment line
      if (!seen_comment && rows.empty()) description = text::trim(line.substr(hash + 1));
      seen_comment = true;
      continue;
    }
    const std::string where = fmt::format("line {}", number);
    if (blank_after_rows != 0) {
      throw Error(source,
                  fmt::format("line {}: empty line inside the matrix (two matrices pasted into "
                              "one file?)",
                              blank_after_rows));
    }
    if (const auto directive = split_directive(content)) {
      if (!rows.empty()) {
        throw Error(source, fmt::format("{}: directive '{}:' after the matrix rows; directives go "
                                        "before the first row",
                                        where, echo(directive->first)));
      }
      parse_directive(directive->first, directive->second, number, directives, source);
      continue;
    }
    add_row(rows, parse_row(content, source, where), source, where);
  }
  if (rows.empty()) throw Error(source, "no matrix rows: the file holds no numbers");

  cv::Mat1d values = to_mat(rows);
  if (directives.scale) {
    multiply_divide(values, directives.scale->numerator, directives.scale->denominator);
  }
  cv::Point anchor(-1, -1);
  if (directives.anchor) {
    anchor = *directives.anchor;
    if (anchor.x >= values.cols || anchor.y >= values.rows) {
      throw Error(source, fmt::format("line {}: anchor ({}, {}) lies outside the {}x{} matrix",
                                      directives.anchor_line, anchor.x, anchor.y, values.cols,
                                      values.rows));
    }
  }
  return make_kernel(values, source, description, anchor);
}

Kernel parse_vips_mat(const std::string& text, const std::string& source) {
  auto lines = split_lines(text);
  while (!lines.empty() && text::trim(lines.back()).empty()) lines.pop_back();
  if (lines.empty())
    throw Error(source, "empty .mat file: expected 'width height [scale [offset]]'");

  // libvips also accepts '"' between numbers (spreadsheet exports).
  const auto fields = [](std::string_view line) {
    std::string copy(line);
    std::replace(copy.begin(), copy.end(), '"', ' ');
    return copy;
  };
  const std::string header = fields(lines[0]);
  const auto head = text::split_fields(header);
  int width = 0, height = 0;
  if (head.size() < 2 || head.size() > 4 || !text::parse_int(head[0], width) ||
      !text::parse_int(head[1], height) || width < 1 || height < 1) {
    throw Error(source, "line 1: expected 'width height [scale [offset]]' with positive integers");
  }
  if (width > kMaxKernelSide || height > kMaxKernelSide) {
    throw Error(source, fmt::format("line 1: {}x{} is larger than the limit of {} a side", width,
                                    height, kMaxKernelSide));
  }
  double scale = 1;
  if (head.size() >= 3) {
    const text::Real real = text::parse_real(head[2]);
    if (!real.ok()) throw Error(source, fmt::format("line 1: scale {}", real.error));
    if (real.value == 0) throw Error(source, "line 1: scale must not be zero");
    scale = real.value;
  }
  if (head.size() == 4) {
    const text::Real offset = text::parse_real(head[3]);
    if (!offset.ok()) throw Error(source, fmt::format("line 1: offset {}", offset.error));
    if (offset.value != 0) {
      throw Error(source,
                  fmt::format("line 1: offset {} cannot be represented by a kernel (libvips "
                              "adds it to every output pixel); use offset 0",
                              echo(head[3])));
    }
  }

  Rows rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string where = fmt::format("line {}", i + 1);
    if (static_cast<int>(rows.size()) == height) {
      throw Error(source,
                  fmt::format("{}: more rows than the height {} in the header", where, height));
    }
    if (text::trim(lines[i]).empty()) {
      throw Error(source, fmt::format("{}: empty line inside the matrix", where));
    }
    std::vector<double> row = parse_row(fields(lines[i]), source, where);
    if (static_cast<int>(row.size()) != width) {
      throw Error(source, fmt::format("{}: row has {} but the header says width {}", where,
                                      count_numbers(row.size()), width));
    }
    rows.push_back(std::move(row));
  }
  if (static_cast<int>(rows.size()) != height) {
    throw Error(source,
                fmt::format("the header says height {} but {} row{} follow{}", height, rows.size(),
                            rows.size() == 1 ? "" : "s", rows.size() == 1 ? "s" : ""));
  }
  // libvips divides the weighted sum by scale.
  cv::Mat1d values = to_mat(rows);
  multiply_divide(values, 1, scale);
  return make_kernel(values, source,
                     fmt::format("libvips {}x{} matrix, scale {:g}", width, height, scale));
}

fs::path filters_dir() {
  if (const char* env = std::getenv("SEPCONV_FILTERS"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = (exe.parent_path() / ".." / "share" / "sepconv" / "filters");
    if (fs::is_directory(installed, ec)) return installed.lexically_normal();
  }
  return fs::path(SEPCONV_SOURCE_DIR) / "filters";
}

std::vector<std::string> bundled_kernel_names() {
  const fs::path dir = filters_dir();
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw Error(dir.string(), fmt::format("cannot list bundled kernels: {}", ec.message()));
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : it) {
    // Subfolders (filters/networks/) hold other things than kernels.
    if (entry.path().extension() != ".txt" || !entry.is_regular_file(ec)) continue;
    names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

Kernel parse_any_kernel(const std::string& spec) {
  std::error_code ec;
  if (looks_like_path(spec) && fs::exists(spec, ec)) return read_kernel_file(spec);
  if (const auto path = bundled_path(spec)) {
    Kernel kernel = parse_kernel_text(read_text_file(path->string()), path->string());
    kernel.name = spec;
    return kernel;
  }
  if (is_generator_spec(spec)) return generate_kernel(spec);
  if (const auto header = scan_magick_header(spec)) return parse_magick(spec, *header);
  if (text::trim(spec).substr(0, 1) == "[") return parse_inline(spec);
  // Reading it gives the precise reason: no such file, a directory, unreadable.
  if (looks_like_path(spec)) return read_kernel_file(spec);
  throw Error(spec,
              "unknown kernel: not a bundled name (see `sepconv kernels`), a file, a generator or "
              "a matrix");
}

}  // namespace

Kernel parse_kernel(const std::string& spec) {
  try {
    return parse_any_kernel(spec);
  } catch (const Error& e) {
    // The parsers name the argument as given; a message shows at most the start of it, escaped.
    if (e.subject() != spec) throw;
    throw Error(echo(spec), e.reason(), e.code());
  }
}

}  // namespace sepconv
