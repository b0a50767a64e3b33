#pragma once
// What the commands print, shared between them: the kernel's JSON, operation counts, aligned
// matrices and big numbers with thousands separators.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "analysis/ops.hpp"
#include "core/number_text.hpp"  // with_thousands
#include "kernel/kernel.hpp"

namespace sepconv::cli {

/// {"name" (cut to 4096 characters, control characters escaped), "rows", "cols", "anchor", "rank",
/// "separable", "singular_values"}, and
/// "unlisted_singular_values" {"count", "at_most"} for a large kernel of low rank.
nlohmann::json kernel_json(const Kernel& kernel, const Analysis& analysis);

/// The keys every per-image statistics object starts with: input, output, width, height, channels,
/// out_width and out_height.
nlohmann::json image_json(const std::string& input, const std::string& output, cv::Size size,
                          int channels, cv::Size out_size);

/// {"mul", "add"}, or null.
nlohmann::json ops_json(const OpCount& ops);
nlohmann::json ops_json(const std::optional<OpCount>& ops);

/// A number as short as it can be written and read back: 2, -0.5, 0.0625, 1.4142135623730951.
std::string format_number(double value);

/// "1/16" for a scale that is the reciprocal of a whole number, else format_number.
std::string format_scale(double scale);

/// The rows of a matrix with each column right-aligned.
std::vector<std::string> matrix_lines(const cv::Mat1d& matrix);

/// Blocks of lines placed side by side with `gap` spaces between them, vertically centred;
/// `operators` (one fewer than blocks) stand on the middle line between blocks.
std::string side_by_side(const std::vector<std::vector<std::string>>& blocks,
                         const std::vector<std::string>& operators);

}  // namespace sepconv::cli
