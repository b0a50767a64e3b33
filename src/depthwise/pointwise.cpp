#include "depthwise/pointwise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/error.hpp"
#include "core/filters_dir.hpp"
#include "kernel/parse.hpp"

namespace sepconv {
namespace fs = std::filesystem;
namespace {

fs::path pointwise_dir() {
  return filters_dir() / "pointwise";
}

/// filters/pointwise/<spec>.txt when spec is a plain word and that file exists.
std::optional<fs::path> bundled_pointwise_path(const std::string& spec) {
  const bool plain = !spec.empty() && std::all_of(spec.begin(), spec.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!plain) return std::nullopt;
  const fs::path path = pointwise_dir() / (spec + ".txt");
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return path;
}

std::vector<std::string> split_at_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1) {
    parts.push_back(text.substr(start, comma - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

/// One -k argument: one kernel, or failing that, a comma-separated list of kernels.
std::vector<Kernel> parse_kernel_argument(const std::string& argument) {
  try {
    return {parse_kernel(argument)};
  } catch (const Error& whole) {
    const std::vector<std::string> parts = split_at_commas(argument);
    std::error_code ec;
    // An existing file with a comma in its name, or no comma at all: the whole reading's error.
    if (parts.size() == 1 || fs::exists(argument, ec)) throw;
    std::vector<Kernel> kernels;
    for (const std::string& part : parts) {
      try {
        kernels.push_back(parse_kernel(part));
      } catch (const Error&) {
        // A first part that is no kernel means the argument was not a list ("3: 1,2,1" with too
        // few values): the whole reading's error says why. A later part names itself.
        if (kernels.empty()) throw whole;
        throw;
      }
    }
    return kernels;
  }
}

}  // namespace

Kernel parse_pointwise(const std::string& spec) {
  if (const auto path = bundled_pointwise_path(spec)) {
    Kernel matrix = parse_kernel(path->string());
    matrix.name = spec;
    return matrix;
  }
  try {
    return parse_kernel(spec);
  } catch (const Error& e) {
    // parse_kernel's "unknown kernel" would point at `sepconv kernels`; name the matrices instead.
    std::error_code ec;
    if (spec.find_first_of("[/.:") != std::string::npos || fs::exists(spec, ec)) throw;
    throw Error(spec, fmt::format("unknown pointwise matrix: not a bundled one ({}), a file or an "
                                  "inline matrix such as \"[0.5 0.5 0]\"",
                                  fmt::join(bundled_pointwise_names(), ", ")));
  }
}

std::vector<std::string> bundled_pointwise_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(pointwise_dir(), ec)) {
    if (entry.path().extension() == ".txt") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<Kernel> parse_kernel_list(const std::vector<std::string>& arguments) {
  std::vector<Kernel> kernels;
  for (const std::string& argument : arguments) {
    for (Kernel& kernel : parse_kernel_argument(argument)) kernels.push_back(std::move(kernel));
  }
  return kernels;
}

}  // namespace sepconv
