#include "io/image_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/image_header.hpp"

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

std::atomic<std::uint64_t> g_max_pixels{kDefaultMaxPixels};

/// Refuses what the header shows to be broken or too large, before OpenCV allocates anything.
void check_header(const ByteSource& source, const std::string& name) {
  const ImageHeader header = inspect_image(source);
  if (!header.problem.empty()) throw Error(name, header.problem);
  if (header.known_size() && header.pixels() > max_pixels()) {
    throw Error(name, fmt::format("is {}x{} = {} pixels, more than the limit of {} (--max-pixels)",
                                  header.width, header.height, header.pixels(), max_pixels()));
  }
}

/// Runs an OpenCV decoder, turning its failures into an Error naming the image.
template <typename Decode>
cv::Mat decode_with_opencv(const std::string& name, Decode decode) {
  cv::Mat image;
  try {
    image = decode();
  } catch (const cv::Exception& e) {
    // validateInputImageSize in OpenCV's loadsave.cpp: its limits are read from the environment
    // once, when the library loads, so they cannot follow --max-pixels.
    if (e.err.find("CV_IO_MAX_IMAGE") != std::string::npos) {
      throw Error(name,
                  "is larger than OpenCV's own limit (2^30 pixels, 2^20 a side; raise it "
                  "with OPENCV_IO_MAX_IMAGE_PIXELS, _WIDTH and _HEIGHT)");
    }
    throw Error(name, fmt::format("cannot be decoded: {}", e.err));
  }
  if (image.empty()) {
    throw Error(name, "is not an image OpenCV can decode (unknown format, truncated or corrupt)");
  }
  // Formats whose header sepconv does not read are checked once decoded.
  if (image.total() > max_pixels()) {
    throw Error(name, fmt::format("is {}x{} = {} pixels, more than the limit of {} (--max-pixels)",
                                  image.cols, image.rows, image.total(), max_pixels()));
  }
  if (image.depth() == CV_64F || image.depth() == CV_32S || image.depth() == CV_8S) {
    image.convertTo(image, CV_32F);  // the engines work on 8/16-bit integers and float32
  }
  return image;
}

/// The encoded file, in memory: the encoders then never see a full disk, whose errors libtiff and
/// OpenCV would print on stderr.
std::vector<uchar> encode(const std::string& path, const cv::Mat& image) {
  std::vector<uchar> bytes;
  try {
    if (cv::imencode(fs::path(path).extension().string(), image, bytes)) return bytes;
  } catch (const cv::Exception& e) {
    throw Error(path, fmt::format("cannot be encoded: {}", e.err));
  }
  throw Error(path, "cannot be encoded: the encoder failed");
}

}  // namespace

void set_max_pixels(std::uint64_t pixels) {
  if (pixels == 0) throw usage_error("--max-pixels", "must be at least 1");
  g_max_pixels = pixels;
}

std::uint64_t max_pixels() {
  return g_max_pixels;
}

cv::Mat read_image(const std::string& path) {
  check_readable_file(path);
  check_header(FileSource(path), path);
  return decode_with_opencv(path, [&] { return cv::imread(path, cv::IMREAD_UNCHANGED); });
}

cv::Mat decode_image(const std::vector<uchar>& bytes, const std::string& name) {
  if (bytes.empty()) throw Error(name, "is empty");
  check_header(BufferSource(bytes.data(), bytes.size()), name);
  return decode_with_opencv(name, [&] { return cv::imdecode(bytes, cv::IMREAD_UNCHANGED); });
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
  if (const std::string reason = unsupported_output_reason(path, image.depth()); !reason.empty()) {
    throw Error(path, reason);
  }
  const std::vector<uchar> bytes = encode(path, image);
  write_bytes_atomically(path, bytes);
}

}  // namespace sepconv
