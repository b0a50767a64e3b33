// Matrices written on the command line: MATLAB/Octave style "[-1 0 1; -2 0 2; -1 0 1]" (rows
// separated by ';') and numpy style "[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]", as repr() and print()
// write it (with or without commas, over several lines).

#include <fmt/format.h>

#include <string_view>

#include "core/error.hpp"
#include "kernel/rows.hpp"
#include "kernel/syntaxes.hpp"
#include "kernel/text.hpp"

namespace sepconv::syntax {

namespace {

/// Rows separated by ';', an optional ';' after the last one.
rows::Rows read_semicolon_rows(std::string_view body, const std::string& spec) {
  if (!body.empty() && body.back() == ';') body.remove_suffix(1);
  rows::Rows rows;
  std::size_t start = 0;
  for (int index = 1;; ++index) {
    const auto semicolon = body.find(';', start);
    const std::string_view row = body.substr(start, semicolon - start);
    const std::string where = fmt::format("row {}", index);
    if (text::trim(row).empty()) throw Error(spec, fmt::format("{}: empty row", where));
    rows::add_row(rows, rows::parse_row(row, spec, where), spec, where);
    if (semicolon == std::string_view::npos) break;
    start = semicolon + 1;
  }
  return rows;
}

/// Rows each in brackets, separated by blanks and an optional ',': "[1, 2], [3, 4]".
rows::Rows read_bracketed_rows(std::string_view body, const std::string& spec) {
  rows::Rows rows;
  for (int index = 1; !body.empty(); ++index) {
    const std::string where = fmt::format("row {}", index);
    if (body[0] != '[') {
      throw Error(spec,
                  fmt::format("{}: expected '[' to start the row, as in [[1, 2], [3, 4]]", where));
    }
    const auto close = body.find(']');
    if (close == std::string_view::npos)
      throw Error(spec, fmt::format("{}: no closing ']'", where));
    const std::string_view row = body.substr(1, close - 1);
    if (row.find('[') != std::string_view::npos) {
      throw Error(spec, fmt::format("{}: nested deeper than a matrix (rows of numbers)", where));
    }
    if (text::trim(row).empty()) throw Error(spec, fmt::format("{}: empty row", where));
    rows::add_row(rows, rows::parse_row(row, spec, where), spec, where);
    body = text::trim(body.substr(close + 1));
    if (!body.empty() && body[0] == ',') body = text::trim(body.substr(1));
  }
  if (rows.empty()) throw Error(spec, "row 1: empty row");
  return rows;
}

}  // namespace

bool is_inline_matrix(const std::string& spec) {
  return text::trim(spec).substr(0, 1) == "[";
}

Kernel parse_inline_matrix(const std::string& spec) {
  std::string_view body = text::trim(spec);
  if (body.size() < 2 || body.back() != ']') {
    throw Error(spec, "an inline matrix must end with ']', as in \"[-1 0 1; -2 0 2; -1 0 1]\"");
  }
  body = text::trim(body.substr(1, body.size() - 2));
  const bool numpy = !body.empty() && body[0] == '[';
  const rows::Rows rows = numpy ? read_bracketed_rows(body, spec) : read_semicolon_rows(body, spec);
  return make_kernel(
      rows::to_mat(rows), spec,
      fmt::format("{} {}x{} matrix", numpy ? "numpy" : "Inline", rows[0].size(), rows.size()));
}

}  // namespace sepconv::syntax
