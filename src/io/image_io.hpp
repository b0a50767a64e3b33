#pragma once
// The only code that touches imgcodecs: reading images, and writing them so that a failure never
// leaves a partial file behind.

#include <opencv2/core.hpp>
#include <string>

namespace sepconv {

/// Reads an image as stored: 8-bit, 16-bit or float, 1 to 4 channels. Throws Error naming the file
/// when it is missing, a directory, unreadable or not an image OpenCV can decode.
cv::Mat read_image(const std::string& path);

/// Whether OpenCV can write `depth` into a file with this path's extension; the reason when not.
std::string unsupported_output_reason(const std::string& path, int depth);

/// Writes `image` to a temporary file beside `path` and renames it into place, so `path` is either
/// the complete new image or untouched. Throws Error naming the file on any failure.
void write_image_atomically(const std::string& path, const cv::Mat& image);

/// Whether two paths name the same existing file (after links and "..").
bool same_file(const std::string& a, const std::string& b);

}  // namespace sepconv
