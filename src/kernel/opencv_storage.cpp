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

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <new>
#include <opencv2/core/persistence.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "core/isolated.hpp"
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

cv::Mat1d read_matrix_here(const std::string& text, const std::string& source) {
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

// The child's answer: 'E' and the reason, or 'M', rows and cols as int32 and the values as doubles.
std::string encode_answer(const cv::Mat1d& values) {
  std::string bytes(1, 'M');
  const std::int32_t shape[2] = {values.rows, values.cols};
  bytes.append(reinterpret_cast<const char*>(shape), sizeof shape);
  const cv::Mat1d dense = values.isContinuous() ? values : values.clone();
  bytes.append(reinterpret_cast<const char*>(dense.ptr<double>()), dense.total() * sizeof(double));
  return bytes;
}

cv::Mat1d decode_answer(const std::string& bytes, const std::string& source) {
  if (bytes[0] == 'E') throw Error(source, bytes.substr(1));
  std::int32_t shape[2] = {0, 0};
  if (bytes[0] == 'M' && bytes.size() >= 1 + sizeof shape) {
    std::memcpy(shape, bytes.data() + 1, sizeof shape);
  }
  const std::size_t values = static_cast<std::size_t>(std::max(shape[0], 0)) *
                             static_cast<std::size_t>(std::max(shape[1], 0));
  if (values == 0 || bytes.size() != 1 + sizeof shape + values * sizeof(double)) {
    throw Error(source, "not a valid OpenCV FileStorage matrix: the reader's answer was cut short");
  }
  cv::Mat1d matrix(shape[0], shape[1]);
  std::memcpy(matrix.ptr<double>(), bytes.data() + 1 + sizeof shape, values * sizeof(double));
  return matrix;
}

std::string read_matrix_in_child(const std::string& text, const std::string& source) {
  // The child's stderr goes nowhere: whatever OpenCV (or a crash report) prints there would break
  // the one-line rule, and the parent reports the outcome itself.
  const int null_fd = ::open("/dev/null", O_WRONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDERR_FILENO);
  try {
    return encode_answer(read_matrix_here(text, source));
  } catch (const Error& e) {
    return "E" + e.reason();
  } catch (const std::exception& e) {
    return fmt::format("Enot a valid OpenCV FileStorage matrix: {}", echo(e.what()));
  }
}

/// Reads the matrix with cv::FileStorage in a child process (core/isolated.hpp): OpenCV's readers
/// crash or loop forever on some malformed documents (fuzzing found both), which must cost an
/// error line, not a hung or crashed sepconv. Forking costs about a millisecond.
cv::Mat1d read_matrix(const std::string& text, const std::string& source) {
  // FileStorage reads an in-memory document as a C string, so a NUL byte cuts it short and its
  // XML reader then follows a null pointer (found by fuzz_kernel_parser). No text format has one.
  const std::size_t nul = text.find('\0');
  if (nul != std::string::npos) {
    throw Error(source, fmt::format("holds a NUL byte at offset {}; a kernel file is text", nul));
  }
  // A 16 MiB document, the largest kernel file, parses in well under a second; the limit leaves
  // room for a loaded machine and sanitizer builds.
  const auto limit = std::chrono::milliseconds(2000 + text.size() / 1024);
  const IsolatedOutcome outcome =
      run_isolated([&] { return read_matrix_in_child(text, source); }, limit);
  switch (outcome.status) {
    case IsolatedOutcome::Status::finished:
      return decode_answer(outcome.bytes, source);
    case IsolatedOutcome::Status::crashed:
      throw Error(source, "not a valid OpenCV FileStorage matrix: OpenCV's reader crashed on it");
    case IsolatedOutcome::Status::timed_out:
      throw Error(source, fmt::format("not a valid OpenCV FileStorage matrix: OpenCV's reader did "
                                      "not finish in {:.0f} s",
                                      limit.count() / 1000.0));
  }
  throw Error(source, "not a valid OpenCV FileStorage matrix");
}

}  // namespace

Kernel parse_opencv_storage(const std::string& text, const std::string& source) {
  const cv::Mat1d values = read_matrix(text, source);
  return make_kernel(values, source,
                     fmt::format("OpenCV FileStorage {}x{} matrix", values.cols, values.rows));
}

}  // namespace sepconv
