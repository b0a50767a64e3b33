#include "kernel/rows.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "kernel/kernel.hpp"
#include "kernel/text.hpp"

namespace sepconv::rows {

cv::Mat1d to_mat(const Rows& rows) {
  cv::Mat1d values(static_cast<int>(rows.size()), static_cast<int>(rows[0].size()));
  for (int r = 0; r < values.rows; ++r) {
    std::copy(rows[r].begin(), rows[r].end(), values.ptr<double>(r));
  }
  return values;
}

void multiply_divide(cv::Mat1d& values, double a, double b) {
  for (double& v : values) v = v * a / b;
}

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

std::string count_numbers(std::size_t n) {
  return fmt::format("{} number{}", n, n == 1 ? "" : "s");
}

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

}  // namespace sepconv::rows
