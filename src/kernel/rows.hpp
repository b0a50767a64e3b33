#pragma once
// Building a matrix from rows of numbers read from text: the part every text syntax shares (kernel
// files, libvips .mat, inline and numpy matrices), so each checks rows and limits the same way.

#include <opencv2/core.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sepconv::rows {

using Rows = std::vector<std::vector<double>>;

/// A matrix of rows that all have the same length, as a cv::Mat1d.
cv::Mat1d to_mat(const Rows& rows);

/// values * a / b, coefficient by coefficient. Not cv::Mat's `* a / b`, which folds a / b into one
/// factor: 7 * (1 / 9) and 7 / 9 are different doubles, and only the second is the nearest to 7/9.
void multiply_divide(cv::Mat1d& values, double a, double b);

/// Splits text into lines, dropping a UTF-8 byte order mark and the CR of CRLF line ends.
std::vector<std::string_view> split_lines(std::string_view text);

/// "1 number", "3 numbers".
std::string count_numbers(std::size_t n);

/// Reads one row of numbers separated by blanks and commas; `where` prefixes errors ("line 3" or
/// "row 2"), `source` is their subject. At most kMaxKernelSide numbers.
std::vector<double> parse_row(std::string_view row, const std::string& source,
                              const std::string& where);

/// Appends a row, checking it is as long as the rows before it and that there are not too many.
void add_row(Rows& rows, std::vector<double> row, const std::string& source,
             const std::string& where);

}  // namespace sepconv::rows
