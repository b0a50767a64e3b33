// Fuzzes sepconv's own kernel syntaxes: the first byte picks sepconv's file format (0), libvips
// .mat (1) or a KERNEL argument (2: inline and numpy matrices, ImageMagick arrays and named
// kernels, generators, bundled names); the rest is the text. A parsed kernel is analysed and
// planned too. sepconv::Error is the expected way to refuse; anything else escaping, or a sanitizer
// report, is a finding. OpenCV FileStorage documents have a target of their own
// (kernel_storage.cpp): they are read in a child process, and forking on every fourth input made
// this target 20 times slower.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "core/error.hpp"
#include "kernel/parse.hpp"

namespace {

sepconv::Kernel parse(std::uint8_t syntax, const std::string& text) {
  switch (syntax % 3) {
    case 0:
      return sepconv::parse_kernel_text(text, "fuzz.txt");
    case 1:
      return sepconv::parse_vips_mat(text, "fuzz.mat");
    default:
      return sepconv::parse_kernel(text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  // An argument naming an existing file is read from disk: not what this target explores.
  std::error_code error;
  if ((data[0] % 3) == 2 && std::filesystem::exists(text, error)) return 0;
  try {
    const sepconv::Kernel kernel = parse(data[0], text);
    // The SVD of a 1025 x 1025 kernel takes seconds; small kernels explore the same code.
    if (kernel.rows() * kernel.cols() > 32 * 32) return 0;
    const sepconv::Analysis analysis = sepconv::analyze_kernel(kernel);
    for (int depth : {CV_8U, CV_16U, CV_32F}) {
      sepconv::make_plan(kernel, analysis, sepconv::PlanRequest{}, depth);
    }
  } catch (const sepconv::Error&) {
  }
  return 0;
}
