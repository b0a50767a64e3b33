// sepconv's own kernel file format, which also reads CSV and whitespace-separated matrices.
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

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "kernel/parse.hpp"
#include "kernel/rows.hpp"
#include "kernel/text.hpp"

namespace sepconv {

namespace {

using rows::Rows;

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

}  // namespace

Kernel parse_kernel_text(const std::string& text, const std::string& source) {
  const auto lines = rows::split_lines(text);
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
    rows::add_row(rows, rows::parse_row(content, source, where), source, where);
  }
  if (rows.empty()) throw Error(source, "no matrix rows: the file holds no numbers");

  cv::Mat1d values = rows::to_mat(rows);
  if (directives.scale) {
    rows::multiply_divide(values, directives.scale->numerator, directives.scale->denominator);
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

}  // namespace sepconv
