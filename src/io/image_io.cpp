#include "io/image_io.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"

namespace sepconv {
namespace fs = std::filesystem;
namespace {

std::string lowercase_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::string depth_name(int depth) {
  switch (depth) {
    case CV_8U:
      return "8-bit";
    case CV_16U:
      return "16-bit unsigned";
    case CV_16S:
      return "16-bit signed";
    case CV_32F:
      return "32-bit float";
    default:
      return fmt::format("depth {}", depth);
  }
}

/// The first bytes of a file, to tell an image OpenCV cannot decode from one that is not an image.
void check_readable_file(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw Error(path, "no such file");
  if (fs::is_directory(status)) throw Error(path, "is a directory, not an image file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(path, "cannot be opened for reading");
  if (file.peek() == std::ifstream::traits_type::eof()) throw Error(path, "is empty");
}

/// Why an encoder that returned false failed; OpenCV does not say.
std::string write_failure_reason(const fs::path& folder) {
  if (access(folder.c_str(), W_OK) != 0) {
    return fmt::format("cannot be written: no write permission in '{}'", folder.string());
  }
  return "cannot be written (disk full, or the encoder failed)";
}

}  // namespace

cv::Mat read_image(const std::string& path) {
  check_readable_file(path);
  cv::Mat image;
  try {
    image = cv::imread(path, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    throw Error(path, fmt::format("cannot be decoded: {}", e.err));
  }
  if (image.empty()) {
    throw Error(path, "is not an image OpenCV can decode (unknown format, truncated or corrupt)");
  }
  if (image.depth() == CV_64F || image.depth() == CV_32S || image.depth() == CV_8S) {
    image.convertTo(image, CV_32F);  // the engines work on 8/16-bit integers and float32
  }
  return image;
}

std::string unsupported_output_reason(const std::string& path, int depth) {
  const std::string ext = lowercase_extension(path);
  if (ext.empty()) return "has no extension to choose an image format from";
  if (!cv::haveImageWriter(path)) return fmt::format("OpenCV cannot write '{}' files", ext);
  const bool tiff = ext == ".tif" || ext == ".tiff";
  const bool float_format = ext == ".exr" || ext == ".pfm" || ext == ".hdr";
  const bool sixteen_bit_format = ext == ".png" || ext == ".pgm" || ext == ".ppm" || ext == ".pnm";
  bool ok = tiff;
  if (depth == CV_8U) ok = ok || !float_format;
  if (depth == CV_16U) ok = ok || sixteen_bit_format;
  if (depth == CV_32F) ok = ok || float_format;
  if (ok) return "";
  return fmt::format("a {} file cannot hold {} samples (use .tif, or another --depth)", ext,
                     depth_name(depth));
}

void write_image_atomically(const std::string& path, const cv::Mat& image) {
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw Error(path, fmt::format("output folder '{}' does not exist", folder.string()));
  }
  if (fs::is_directory(target, error)) throw Error(path, "is a directory");
  if (const std::string reason = unsupported_output_reason(path, image.depth()); !reason.empty()) {
    throw Error(path, reason);
  }
  // Same folder, so the rename stays on one file system and is atomic; same extension, so OpenCV
  // picks the same encoder.
  const fs::path temporary = folder / fmt::format(".{}.sepconv-{}{}", target.stem().string(),
                                                  getpid(), target.extension().string());
  std::string reason;
  try {
    if (cv::imwrite(temporary.string(), image)) {
      fs::rename(temporary, target, error);
      if (!error) return;
      reason = fmt::format("cannot be renamed into place: {}", error.message());
    } else {
      reason = write_failure_reason(folder);
    }
  } catch (const cv::Exception& e) {
    reason = access(folder.c_str(), W_OK) != 0 ? write_failure_reason(folder)
                                               : fmt::format("cannot be written: {}", e.err);
  }
  fs::remove(temporary, error);
  throw Error(path, reason);
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return fs::equivalent(a, b, error);
}

}  // namespace sepconv
