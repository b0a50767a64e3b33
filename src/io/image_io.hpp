#pragma once
// The only code that touches imgcodecs: reading images, and writing them so that a failure never
// leaves a partial file behind.

#include <cstdint>
#include <functional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"

namespace sepconv {

/// The default largest image, in pixels (width x height): 2^30, OpenCV's own limit.
constexpr std::uint64_t kDefaultMaxPixels = std::uint64_t{1} << 30;

/// Sets the largest image read_image and decode_image accept (--max-pixels); at least 1. Images
/// whose header gives their size are refused before decoding; others after.
void set_max_pixels(std::uint64_t pixels);
std::uint64_t max_pixels();

/// Reads an image as stored: 8-bit, 16-bit or float, 1 to 4 channels. Throws Error naming the file
/// when it is missing, a directory, unreadable, empty, truncated or corrupt (PNG, JPEG), larger
/// than max_pixels() or not an image OpenCV can decode.
cv::Mat read_image(const std::string& path);

/// decode_image: read_image for bytes in memory (standard input); `name` names them in errors.
cv::Mat decode_image(const std::vector<uchar>& bytes, const std::string& name);

/// Whether OpenCV can write `depth` into a file with this path's extension; the reason when not.
std::string unsupported_output_reason(const std::string& path, int depth);

/// Writes `image` to a temporary file beside `path` and renames it into place, so `path` is either
/// the complete new image or untouched. Throws Error naming the file on any failure.
void write_image_atomically(const std::string& path, const cv::Mat& image);

}  // namespace sepconv
