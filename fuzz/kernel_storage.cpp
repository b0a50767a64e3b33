// Fuzzes OpenCV FileStorage kernel documents (YAML, JSON, XML) through parse_opencv_storage, which
// reads them with cv::FileStorage in a child process killed at a time limit. OpenCV's readers
// crash or loop on some documents (the regression seeds): what this target checks is that every
// such document becomes a sepconv::Error, and that a readable matrix comes back whole.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "kernel/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sepconv::Kernel kernel = sepconv::parse_opencv_storage(text, "fuzz.yml");
    if (kernel.values.empty()) __builtin_trap();
  } catch (const sepconv::Error&) {
  }
  return 0;
}
