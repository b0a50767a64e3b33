// Fuzzes decoding an image from bytes (sepconv's header checks, then OpenCV's decoders) and
// filtering what decodes: the first byte picks the kernel, border and output depth, the rest is
// the file. The pixel limit is 512 x 512, so a header that claims more is refused before any
// decoder allocates; formats whose header sepconv does not read are skipped, since for them only
// OpenCV's own limit (2^30 pixels) would apply.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "core/error.hpp"
#include "engine/border.hpp"
#include "engine/image_filter.hpp"
#include "io/image_header.hpp"
#include "io/image_io.hpp"
#include "kernel/parse.hpp"

namespace {

const char* const kKernels[] = {"sobel_x", "gaussian3", "laplacian4", "[1 2; 3 4.5]"};
const char* const kBorders[] = {"reflect101", "reflect", "replicate",
                                "constant:7", "wrap",    "valid"};
const int kDepths[] = {CV_8U, CV_16U, CV_16S, CV_32F};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sepconv::set_max_pixels(512 * 512);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t choice = data[0];
  const std::vector<uchar> bytes(data + 1, data + size);
  if (!sepconv::inspect_image(sepconv::BufferSource(bytes.data(), bytes.size())).known_size()) {
    return 0;
  }
  try {
    const cv::Mat image = sepconv::decode_image(bytes, "fuzz");
    const sepconv::Kernel kernel = sepconv::parse_kernel(kKernels[choice % 4]);
    const sepconv::Border border = sepconv::parse_border(kBorders[choice / 4 % 6]);
    const int depth = kDepths[choice / 24 % 4];
    const sepconv::Analysis analysis = sepconv::analyze_kernel(kernel);
    const sepconv::Plan plan = sepconv::make_plan(kernel, analysis, {}, image.depth());
    sepconv::filter_image(image, plan, border, depth, sepconv::ValueMap::automatic);
  } catch (const sepconv::Error&) {
  }
  return 0;
}
