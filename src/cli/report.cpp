#include "cli/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/echo.hpp"

namespace sepconv::cli {

nlohmann::json kernel_json(const Kernel& kernel, const Analysis& analysis) {
  // JSON escapes control characters itself; the cut keeps a megabyte argument out of every line
  // of a batch, and is long enough for any path.
  constexpr std::size_t kMaxJsonName = 4096;
  nlohmann::json json = {{"name", echo(kernel.name, kMaxJsonName)},
                         {"rows", kernel.rows()},
                         {"cols", kernel.cols()},
                         {"anchor", {kernel.anchor.x, kernel.anchor.y}},
                         {"rank", analysis.rank},
                         {"separable", analysis.separable},
                         {"singular_values", analysis.singular_values}};
  if (analysis.unlisted_singular_values > 0) {
    json["unlisted_singular_values"] = {{"count", analysis.unlisted_singular_values},
                                        {"at_most", analysis.unlisted_bound}};
  }
  return json;
}

nlohmann::json image_json(const std::string& input, const std::string& output, cv::Size size,
                          int channels, cv::Size out_size) {
  return {{"input", input},
          {"output", output},
          {"width", size.width},
          {"height", size.height},
          {"channels", channels},
          {"out_width", out_size.width},
          {"out_height", out_size.height}};
}

nlohmann::json ops_json(const OpCount& ops) {
  return {{"mul", ops.mul}, {"add", ops.add}};
}

nlohmann::json ops_json(const std::optional<OpCount>& ops) {
  return ops ? ops_json(*ops) : nlohmann::json(nullptr);
}

std::string format_number(double value) {
  if (value == 0) return "0";  // never "-0"
  return fmt::format("{}", value);
}

std::string format_scale(double scale) {
  const double reciprocal = 1.0 / scale;
  if (scale > 0 && scale < 1 && std::abs(reciprocal - std::round(reciprocal)) < 1e-9) {
    return fmt::format("1/{}", std::llround(reciprocal));
  }
  return format_number(scale);
}

std::vector<std::string> matrix_lines(const cv::Mat1d& matrix) {
  std::vector<std::string> cells;
  size_t width = 0;
  for (double v : matrix) {
    cells.push_back(format_number(v));
    width = std::max(width, cells.back().size());
  }
  std::vector<std::string> lines;
  for (int r = 0; r < matrix.rows; ++r) {
    std::string line;
    for (int c = 0; c < matrix.cols; ++c) {
      line += fmt::format("{}{:>{}}", c ? "  " : "", cells[r * matrix.cols + c], width);
    }
    lines.push_back(line);
  }
  return lines;
}

std::string side_by_side(const std::vector<std::vector<std::string>>& blocks,
                         const std::vector<std::string>& operators) {
  size_t height = 0;
  for (const auto& block : blocks) height = std::max(height, block.size());
  std::string out;
  for (size_t line = 0; line < height; ++line) {
    std::string text = "  ";
    for (size_t b = 0; b < blocks.size(); ++b) {
      const auto& block = blocks[b];
      size_t width = 0;
      for (const auto& l : block) width = std::max(width, l.size());
      const size_t top = (height - block.size()) / 2;
      const bool inside = line >= top && line < top + block.size();
      text += fmt::format("{:<{}}", inside ? block[line - top] : "", width);
      if (b + 1 < blocks.size()) {
        const std::string& op = operators[b];
        text += line == height / 2 ? fmt::format("   {}   ", op) : std::string(op.size() + 6, ' ');
      }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

}  // namespace sepconv::cli
