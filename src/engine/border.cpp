#include "engine/border.hpp"

#include <fmt/format.h>

#include <cmath>
#include <opencv2/core.hpp>

#include "core/error.hpp"

namespace sepconv {

Border parse_border(const std::string& text, const std::string& argument) {
  if (text == "reflect101" || text == "reflect_101") return {BorderKind::reflect101, 0};
  if (text == "reflect") return {BorderKind::reflect, 0};
  if (text == "replicate") return {BorderKind::replicate, 0};
  if (text == "wrap") return {BorderKind::wrap, 0};
  if (text == "valid") return {BorderKind::valid, 0};
  if (text == "constant") return {BorderKind::constant, 0};
  const std::string prefix = "constant:";
  if (text.rfind(prefix, 0) == 0) {
    const std::string number = text.substr(prefix.size());
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || !std::isfinite(value)) {
      throw usage_error(argument, fmt::format("'{}' is not a finite number", number));
    }
    return {BorderKind::constant, value};
  }
  throw usage_error(argument,
                    fmt::format("unknown border '{}'; expected reflect101, reflect, replicate, "
                                "constant[:VALUE], wrap or valid",
                                text));
}

std::string border_name(const Border& border) {
  switch (border.kind) {
    case BorderKind::reflect101:
      return "reflect101";
    case BorderKind::reflect:
      return "reflect";
    case BorderKind::replicate:
      return "replicate";
    case BorderKind::constant:
      return fmt::format("constant:{}", border.value);
    case BorderKind::wrap:
      return "wrap";
    case BorderKind::valid:
      return "valid";
  }
  return "?";
}

int to_cv_border(BorderKind kind) {
  switch (kind) {
    case BorderKind::reflect101:
      return cv::BORDER_REFLECT_101;
    case BorderKind::reflect:
      return cv::BORDER_REFLECT;
    case BorderKind::replicate:
      return cv::BORDER_REPLICATE;
    case BorderKind::constant:
      return cv::BORDER_CONSTANT;
    case BorderKind::wrap:
      return cv::BORDER_WRAP;
    case BorderKind::valid:
      break;
  }
  throw std::logic_error("valid has no OpenCV border type");
}

cv::Size output_size(cv::Size input, cv::Size kernel, const Border& border) {
  if (border.kind != BorderKind::valid) return input;
  if (kernel.width > input.width || kernel.height > input.height) {
    throw Error("--border valid",
                fmt::format("the {}x{} kernel is larger than the {}x{} image, so no output pixel "
                            "is valid",
                            kernel.width, kernel.height, input.width, input.height));
  }
  return {input.width - kernel.width + 1, input.height - kernel.height + 1};
}

std::vector<int> border_index_table(int length, int before, int after, BorderKind kind) {
  std::vector<int> table(static_cast<size_t>(before) + length + after);
  const int cv_kind = kind == BorderKind::valid ? cv::BORDER_CONSTANT : to_cv_border(kind);
  for (int i = 0; i < static_cast<int>(table.size()); ++i) {
    const int p = i - before;
    table[i] = (p >= 0 && p < length) ? p : cv::borderInterpolate(p, length, cv_kind);
  }
  return table;
}

}  // namespace sepconv
