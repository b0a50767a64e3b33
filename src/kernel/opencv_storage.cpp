// OpenCV FileStorage matrices (YAML, JSON, XML), as cv::FileStorage writes them:
//
//     %YAML:1.0
//     ---
//     kernel: !!opencv-matrix
//        rows: 3
//        cols: 3
//        dt: d
//        data: [ -1., 0., 1., -2., 0., 2., -1., 0., 1. ]
//
// Read with cv::FileStorage itself, so every form OpenCV writes (and only those) is accepted.

#include <fmt/format.h>

#include <new>
#include <opencv2/core/persistence.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "kernel/kernel.hpp"
#include "kernel/parse.hpp"

namespace sepconv {

namespace {

/// The top-level nodes that hold a matrix, with their names.
std::vector<std::pair<std::string, cv::FileNode>> matrix_nodes(const cv::FileStorage& storage) {
  std::vector<std::pair<std::string, cv::FileNode>> found;
  const cv::FileNode root = storage.root();
  if (!root.isMap()) return found;
  for (const cv::FileNode& node : root) {
    // cv::Mat nodes are maps with "rows", "cols", "dt" and "data" (type_id opencv-matrix).
    if (node.isMap() && !node["rows"].empty() && !node["cols"].empty() && !node["data"].empty()) {
      found.emplace_back(node.name(), node);
    }
  }
  return found;
}

/// The one matrix of the document, or the one named "kernel" among several.
cv::FileNode pick_matrix(const cv::FileStorage& storage, const std::string& source) {
  const auto nodes = matrix_nodes(storage);
  if (nodes.empty()) throw Error(source, "holds no OpenCV matrix (rows, cols, dt, data)");
  if (nodes.size() == 1) return nodes[0].second;
  for (const auto& [name, node] : nodes) {
    if (name == "kernel") return node;
  }
  std::string names;
  for (const auto& named : nodes) names += (names.empty() ? "" : ", ") + echo(named.first);
  throw Error(source, fmt::format("holds {} matrices ({}); name the kernel one 'kernel'",
                                  nodes.size(), names));
}

/// Refuses a header beyond the kernel size limit before OpenCV allocates what it says.
void check_size(const cv::FileNode& node, const std::string& source) {
  const int rows = static_cast<int>(node["rows"]);
  const int cols = static_cast<int>(node["cols"]);
  if (rows < 1 || cols < 1 || rows > kMaxKernelSide || cols > kMaxKernelSide) {
    throw Error(source, fmt::format("the matrix is {}x{}; a kernel is 1 to {} a side", cols, rows,
                                    kMaxKernelSide));
  }
}

cv::Mat1d read_matrix(const std::string& text, const std::string& source) {
  // FileStorage reads an in-memory document as a C string, so a NUL byte cuts it short and its
  // XML reader then follows a null pointer (found by fuzz_kernel_parser). No text format has one.
  const std::size_t nul = text.find('\0');
  if (nul != std::string::npos) {
    throw Error(source, fmt::format("holds a NUL byte at offset {}; a kernel file is text", nul));
  }
  cv::Mat matrix;
  try {
    const cv::FileStorage storage(text, cv::FileStorage::READ | cv::FileStorage::MEMORY);
    if (!storage.isOpened()) throw Error(source, "not an OpenCV FileStorage document");
    const cv::FileNode node = pick_matrix(storage, source);
    check_size(node, source);
    node >> matrix;
  } catch (const cv::Exception& e) {
    // OpenCV's own message names its source file and line: keep only the reason.
    throw Error(source, fmt::format("not a valid OpenCV FileStorage matrix: {}", echo(e.err)));
  } catch (const std::length_error&) {
    // FileStorage's YAML reader lets a malformed document reach std::string with a negative
    // length (found by fuzz_kernel_parser): the document is damaged, not the program.
    throw Error(source, "not a valid OpenCV FileStorage matrix: a malformed document");
  } catch (const std::bad_alloc&) {
    throw Error(source, "not a valid OpenCV FileStorage matrix: it claims more memory than exists");
  }
  if (matrix.empty()) throw Error(source, "the matrix is empty");
  if (matrix.channels() != 1) {
    throw Error(source,
                fmt::format("the matrix has {} channels; a kernel has one", matrix.channels()));
  }
  cv::Mat1d values;
  matrix.convertTo(values, CV_64F);
  return values;
}

}  // namespace

Kernel parse_opencv_storage(const std::string& text, const std::string& source) {
  const cv::Mat1d values = read_matrix(text, source);
  return make_kernel(values, source,
                     fmt::format("OpenCV FileStorage {}x{} matrix", values.cols, values.rows));
}

}  // namespace sepconv
