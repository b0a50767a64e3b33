// libvips matrix files (.mat): "width height [scale [offset]]", then the rows; libvips divides the
// weighted sum by scale, so sepconv divides the coefficients.

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "kernel/parse.hpp"
#include "kernel/rows.hpp"
#include "kernel/text.hpp"

namespace sepconv {

Kernel parse_vips_mat(const std::string& text, const std::string& source) {
  auto lines = rows::split_lines(text);
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

  rows::Rows rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string where = fmt::format("line {}", i + 1);
    if (static_cast<int>(rows.size()) == height) {
      throw Error(source,
                  fmt::format("{}: more rows than the height {} in the header", where, height));
    }
    if (text::trim(lines[i]).empty()) {
      throw Error(source, fmt::format("{}: empty line inside the matrix", where));
    }
    std::vector<double> row = rows::parse_row(fields(lines[i]), source, where);
    if (static_cast<int>(row.size()) != width) {
      throw Error(source, fmt::format("{}: row has {} but the header says width {}", where,
                                      rows::count_numbers(row.size()), width));
    }
    rows.push_back(std::move(row));
  }
  if (static_cast<int>(rows.size()) != height) {
    throw Error(source,
                fmt::format("the header says height {} but {} row{} follow{}", height, rows.size(),
                            rows.size() == 1 ? "" : "s", rows.size() == 1 ? "s" : ""));
  }
  // libvips divides the weighted sum by scale.
  cv::Mat1d values = rows::to_mat(rows);
  rows::multiply_divide(values, 1, scale);
  return make_kernel(values, source,
                     fmt::format("libvips {}x{} matrix, scale {:g}", width, height, scale));
}

}  // namespace sepconv
