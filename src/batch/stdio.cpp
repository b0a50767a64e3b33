#include "batch/stdio.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "batch/outputs.hpp"
#include "batch/runner.hpp"
#include "core/error.hpp"
#include "io/image_io.hpp"

namespace sepconv::batch {

cv::Mat read_input(const std::string& input, Metadata* metadata) {
  if (input != "-") return read_image(input, metadata);
  // At most --max-bytes of standard input, with the same header limits and damage checks as a file.
  return read_image_from(STDIN_FILENO, "-", metadata);
}

std::string checked_output_name(const std::string& output, const std::string& format) {
  return output == "-" ? "stdout." + normalized_format(format) : output;
}

void write_output(const std::string& output, const cv::Mat& image, const std::string& given_format,
                  const Metadata& metadata) {
  const std::string format = normalized_format(given_format);
  if (output != "-") {
    write_image_atomically(output, image, metadata);
    return;
  }
  if (const std::string reason = unsupported_output_reason("stdout." + format, image.depth());
      !reason.empty()) {
    throw Error("-o -", reason);
  }
  if (const std::string reason = unsupported_output_size_reason("stdout." + format, image.size());
      !reason.empty()) {
    throw Error("-o -", reason);
  }
  std::vector<std::uint8_t> bytes;
  try {
    bytes = encode_image("." + format, image, metadata);
  } catch (const Error& e) {
    throw Error("-o -", e.reason());
  }
  errno = 0;
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() ||
      std::fflush(stdout) != 0) {
    const int error = errno != 0 ? errno : EIO;
    if (error == EPIPE) note_stdout_closed();
    throw Error("-o -", fmt::format("cannot write to standard output: {}", std::strerror(error)));
  }
}

}  // namespace sepconv::batch
