#include "io/image_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/codecs.hpp"
#include "io/image_header.hpp"

namespace sepconv {
namespace fs = std::filesystem;
using codec::Format;

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

/// Closes a descriptor however the reading ends.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

/// Everything `fd` holds, read sequentially (a pipe cannot seek), at most max_bytes().
std::vector<uchar> read_all(int fd, const std::string& name) {
  std::vector<uchar> bytes;
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    if (static_cast<std::uint64_t>(info.st_size) > max_bytes()) {
      throw Error(name, fmt::format("is {} bytes, more than the limit of {} (--max-bytes)",
                                    info.st_size, max_bytes()));
    }
    bytes.reserve(static_cast<std::size_t>(info.st_size));
  }
  constexpr std::size_t kBlock = 1 << 16;
  for (;;) {
    if (bytes.size() > max_bytes()) {
      throw Error(name,
                  fmt::format("holds more than the limit of {} bytes (--max-bytes)", max_bytes()));
    }
    const std::size_t at = bytes.size();
    const std::size_t room =
        static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, max_bytes() + 1 - bytes.size()));
    bytes.resize(at + room);
    const ssize_t n = ::read(fd, bytes.data() + at, room);
    if (n < 0) {
      bytes.resize(at);
      if (errno == EINTR) throw Error(name, "interrupted while reading");
      throw Error(name, fmt::format("cannot be read: {}", std::strerror(errno)));
    }
    bytes.resize(at + static_cast<std::size_t>(n));
    if (n == 0) return bytes;
  }
}

/// Refuses what the header walk shows to be broken or too large (PNG chunks and checksums, JPEG
/// markers to the end-of-image, and the size of formats OpenCV decodes).
void check_header(const std::vector<uchar>& bytes, const std::string& name) {
  const ImageHeader header = inspect_image(BufferSource(bytes.data(), bytes.size()));
  if (!header.problem.empty()) throw Error(name, header.problem);
  if (header.known_size() && header.pixels() > max_pixels()) {
    throw Error(name, fmt::format("is {}x{} = {} pixels, more than the limit of {} (--max-pixels)",
                                  header.width, header.height, header.pixels(), max_pixels()));
  }
}

cv::Mat decode(const std::vector<uchar>& bytes, const std::string& name) {
  const codec::Encoded in{bytes.data(), bytes.size(), name};
  const Format format = codec::sniff_format(bytes.data(), bytes.size());
  if (format == Format::png || format == Format::jpeg || format == Format::other) {
    check_header(bytes, name);
  }
  switch (format) {
    case Format::png:
      return codec::decode_png(in);
    case Format::jpeg:
      return codec::decode_jpeg(in);
    case Format::tiff:
      return codec::decode_tiff(in);
    case Format::webp:
      return codec::decode_webp(in);
    case Format::pnm:
    case Format::pfm:
      return codec::decode_pnm(in);
    case Format::other:
      break;
  }
  cv::Mat image = codec::decode_with_fallback(in);
  // Formats whose header sepconv does not read are checked once decoded.
  codec::check_decoded_size(name, image.cols, image.rows, image.channels(), image.elemSize1());
  if (image.depth() == CV_64F || image.depth() == CV_32S || image.depth() == CV_8S) {
    image.convertTo(image, CV_32F);  // the engines work on 8/16-bit integers and float32
  }
  return image;
}

/// The encoder for `ext`; errors carry no subject, the caller names the file.
std::vector<std::uint8_t> encode_pages(const std::string& ext, const std::vector<cv::Mat>& pages) {
  const codec::WriteOptions options;
  const cv::Mat& image = pages.front();
  switch (codec::format_for_extension(ext)) {
    case Format::png:
      return codec::encode_png(image, options);
    case Format::jpeg:
      return codec::encode_jpeg(image, options);
    case Format::tiff:
      return codec::encode_tiff(pages, options);
    case Format::webp:
      return codec::encode_webp(image, options);
    case Format::pnm:
      return codec::encode_pnm(image, false);
    case Format::pfm:
      return codec::encode_pnm(image, true);
    case Format::other:
      break;
  }
  return codec::encode_with_fallback(ext, image);
}

/// Encodes, naming `subject` in any error.
std::vector<std::uint8_t> encode_named(const std::string& subject, const std::string& ext,
                                       const std::vector<cv::Mat>& pages) {
  try {
    return encode_pages(ext, pages);
  } catch (const Error& e) {
    throw Error(subject, e.reason());
  } catch (const cv::Exception& e) {
    throw Error(subject, fmt::format("cannot be encoded: {}", e.err));
  }
}

}  // namespace

cv::Mat read_image_from(int fd, const std::string& name) {
  const std::vector<uchar> bytes = read_all(fd, name);
  if (bytes.empty()) throw Error(name, name == "-" ? "standard input is empty" : "is empty");
  return decode(bytes, name);
}

cv::Mat read_image(const std::string& path) {
  // Opened once: a named pipe or <(...) can be read only once.
  const FdGuard file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) {
    if (errno == ENOENT) throw Error(path, "no such file");
    if (errno == ELOOP) throw Error(path, "is a loop of symbolic links");
    throw Error(path, fmt::format("cannot be opened for reading: {}", std::strerror(errno)));
  }
  struct stat info {};
  if (::fstat(file.fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    throw Error(path, "is a directory, not an image file");
  }
  return read_image_from(file.fd, path);
}

cv::Mat decode_image(const std::vector<uchar>& bytes, const std::string& name) {
  if (bytes.empty()) throw Error(name, "is empty");
  return decode(bytes, name);
}

std::string unsupported_output_reason(const std::string& path, int depth) {
  const std::string ext = lowercase_extension(path);
  if (ext.empty()) return "has no extension to choose an image format from";
  bool ok = false;
  switch (codec::format_for_extension(ext)) {
    case Format::tiff:  // 8/16-bit unsigned, 16-bit signed and float32, in any channel count
      ok = true;
      break;
    case Format::png:
    case Format::pnm:
      ok = depth == CV_8U || depth == CV_16U;
      break;
    case Format::jpeg:
    case Format::webp:
      ok = depth == CV_8U;
      break;
    case Format::pfm:
      ok = depth == CV_32F;
      break;
    case Format::other: {
      if (!codec::fallback_can_write(ext)) {
        return fmt::format("sepconv cannot write '{}' files (docs/formats.md lists the formats)",
                           ext);
      }
      const bool float_format = ext == ".exr" || ext == ".hdr";
      ok = float_format ? depth == CV_32F : depth == CV_8U;
      break;
    }
  }
  if (ok) return "";
  return fmt::format("a {} file cannot hold {} samples (use .tif, or another --depth)", ext,
                     depth_name(depth));
}

std::vector<std::uint8_t> encode_image(const std::string& ext, const cv::Mat& image) {
  return encode_named("", ext, {image});
}

void write_image_atomically(const std::string& path, const cv::Mat& image) {
  if (const std::string reason = unsupported_output_reason(path, image.depth()); !reason.empty()) {
    throw Error(path, reason);
  }
  // Encoded in memory first: an encoder then never sees a full disk.
  write_bytes_atomically(path, encode_named(path, lowercase_extension(path), {image}));
}

void write_tiff_pages_atomically(const std::string& path, const std::vector<cv::Mat>& pages) {
  if (codec::format_for_extension(lowercase_extension(path)) != Format::tiff) {
    throw Error(path, fmt::format("{} output channels need a multi-page TIFF (.tif or .tiff)",
                                  pages.size()));
  }
  write_bytes_atomically(path, encode_named(path, ".tif", pages));
}

std::string codec_versions() {
  return fmt::format("{}, {}, {}, {}", codec::png_version(), codec::jpeg_version(),
                     codec::tiff_version(), codec::webp_version());
}

}  // namespace sepconv
