#include "io/image_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "core/error.hpp"
#include "core/file_problem.hpp"
#include "io/atomic_file.hpp"
#include "io/codecs.hpp"
#include "io/image_header.hpp"
#include "io/row_codecs.hpp"
#include "io/row_io.hpp"

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

std::mutex g_write_mutex;
codec::WriteOptions g_write_options;  // guarded by g_write_mutex

codec::WriteOptions default_write_options() {
  std::lock_guard lock(g_write_mutex);
  return g_write_options;
}

int parse_quality(const std::string& subject, const std::string& text) {
  int quality = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), quality);
  if (error != std::errc() || end != text.data() + text.size() || quality < 1 || quality > 100) {
    throw usage_error(subject,
                      fmt::format("quality '{}' is not a whole number from 1 to 100", text));
  }
  return quality;
}

/// A PNG level (0-9) or a TIFF compression (none, lzw, deflate) into `options`.
void parse_compression(const std::string& subject, const std::string& text,
                       codec::WriteOptions& options) {
  if (text.size() == 1 && text[0] >= '0' && text[0] <= '9') {
    options.compression = text[0] - '0';
  } else if (text == "none" || text == "lzw" || text == "deflate") {
    options.tiff_compression = text;
  } else {
    throw usage_error(subject, fmt::format("compression '{}' is neither a PNG level 0-9 nor a TIFF "
                                           "compression (none, lzw, deflate)",
                                           text));
  }
}

/// Where the "[...]" of "out.jpg[Q=90]" starts; npos when the name has none.
std::size_t suffix_start(const std::string& output) {
  if (output.empty() || output.back() != ']') return std::string::npos;
  const std::size_t open = output.rfind('[');
  if (open == std::string::npos || open == 0) return std::string::npos;
  return open;
}

/// The defaults with the name's "[key=value,...]" applied (libvips' keys: Q, compression).
codec::WriteOptions write_options_for(const std::string& output) {
  codec::WriteOptions options = default_write_options();
  const std::size_t open = suffix_start(output);
  if (open == std::string::npos) return options;
  const std::string list = output.substr(open + 1, output.size() - open - 2);
  std::size_t at = 0;
  while (at <= list.size()) {
    std::size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    const std::string item = list.substr(at, comma - at);
    const std::size_t equals = item.find('=');
    const std::string key = item.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : item.substr(equals + 1);
    if (key == "Q" || key == "quality") {
      options.quality = parse_quality(output, value);
    } else if (key == "compression") {
      options.compression = -1;
      options.tiff_compression.clear();
      parse_compression(output, value, options);
    } else {
      throw usage_error(output,
                        fmt::format("unknown encoder option '{}' (known: Q, compression)", item));
    }
    at = comma + 1;
  }
  return options;
}

/// Refuses options the format does not take, so a setting is never silently ignored.
void check_options_fit(const std::string& path, Format format, const codec::WriteOptions& options) {
  if (format == Format::tiff && options.compression >= 0) {
    throw usage_error(path, "a TIFF takes compression none, lzw or deflate, not a level");
  }
  if (format == Format::png && !options.tiff_compression.empty()) {
    throw usage_error(path, fmt::format("a PNG takes a compression level 0-9, not '{}'",
                                        options.tiff_compression));
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

cv::Mat decode_stored(const std::vector<uchar>& bytes, const std::string& name,
                      Metadata& metadata) {
  const codec::Encoded in{bytes.data(), bytes.size(), name};
  const Format format = codec::sniff_format(bytes.data(), bytes.size());
  if (format == Format::png || format == Format::jpeg || format == Format::other) {
    check_header(bytes, name);
  }
  switch (format) {
    case Format::png:
      return codec::decode_png(in, metadata);
    case Format::jpeg:
      return codec::decode_jpeg(in, metadata);
    case Format::tiff:
      return codec::decode_tiff(in, metadata);
    case Format::webp:
      return codec::decode_webp(in, metadata);
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

/// The image as displayed, and its metadata as the settings (--no-autorotate, --strip) want it.
cv::Mat decode(const std::vector<uchar>& bytes, const std::string& name, Metadata* metadata) {
  Metadata found;
  cv::Mat image = decode_stored(bytes, name, found);
  settle_orientation(image, found);
  if (metadata != nullptr) *metadata = std::move(found);
  return image;
}

/// The encoder for `ext`; errors carry no subject, the caller names the file.
std::vector<std::uint8_t> encode_pages(const std::string& ext, const std::vector<cv::Mat>& pages,
                                       const codec::WriteOptions& options,
                                       const Metadata& metadata) {
  const cv::Mat& image = pages.front();
  switch (codec::format_for_extension(ext)) {
    case Format::png:
      return codec::encode_png(image, options, metadata);
    case Format::jpeg:
      return codec::encode_jpeg(image, options, metadata);
    case Format::tiff:
      return codec::encode_tiff(pages, options, metadata);
    case Format::webp:
      return codec::encode_webp(image, options, metadata);
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
                                       const std::vector<cv::Mat>& pages,
                                       const codec::WriteOptions& options,
                                       const Metadata& metadata) {
  check_options_fit(subject, codec::format_for_extension(ext), options);
  try {
    return encode_pages(ext, pages, options, metadata);
  } catch (const Error& e) {
    throw Error(subject, e.reason());
  } catch (const cv::Exception& e) {
    throw Error(subject, fmt::format("cannot be encoded: {}", e.err));
  }
}

}  // namespace

cv::Mat read_image_from(int fd, const std::string& name, Metadata* metadata) {
  const std::vector<uchar> bytes = read_all(fd, name);
  if (bytes.empty()) throw Error(name, name == "-" ? "standard input is empty" : "is empty");
  return decode(bytes, name, metadata);
}

cv::Mat read_image(const std::string& path, Metadata* metadata) {
  // Opened once: a named pipe or <(...) can be read only once.
  const FdGuard file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) {
    const int error = errno;
    // In the words core/file_problem uses everywhere: a loop of symbolic links, or a link to a
    // missing file, is not "no such file".
    const std::string problem = input_file_problem(path);
    if (!problem.empty()) throw Error(path, problem);
    throw Error(path, fmt::format("cannot be opened for reading: {}", std::strerror(error)));
  }
  struct stat info {};
  if (::fstat(file.fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    throw Error(path, "is a directory, not an image file");
  }
  // /dev/zero would be read up to --max-bytes (4 GiB) before failing; a named pipe is read.
  if (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode)) throw Error(path, "is a device, not a file");
  return read_image_from(file.fd, path, metadata);
}

cv::Mat decode_image(const std::vector<uchar>& bytes, const std::string& name, Metadata* metadata) {
  if (bytes.empty()) throw Error(name, "is empty");
  return decode(bytes, name, metadata);
}

void set_write_quality(int quality) {
  const int checked = parse_quality("--quality", std::to_string(quality));
  std::lock_guard lock(g_write_mutex);
  g_write_options.quality = checked;
}

void set_write_compression(const std::string& compression) {
  codec::WriteOptions options;
  parse_compression("--compression", compression, options);
  std::lock_guard lock(g_write_mutex);
  g_write_options.compression = options.compression;
  g_write_options.tiff_compression = options.tiff_compression;
}

void set_write_compression_check(const std::string& compression) {
  codec::WriteOptions options;
  parse_compression("--compression", compression, options);
}

std::string output_file_name(const std::string& output) {
  const std::size_t open = suffix_start(output);
  return open == std::string::npos ? output : output.substr(0, open);
}

std::string unsupported_output_reason(const std::string& output, int depth) {
  const std::string path = output_file_name(output);
  const std::string ext = lowercase_extension(path);
  try {  // the encoder options, so a bad "[Q=0]" is refused before anything is computed
    check_options_fit(path, codec::format_for_extension(ext), write_options_for(output));
  } catch (const Error& e) {
    return e.reason();
  }
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

std::string unsupported_output_size_reason(const std::string& output, cv::Size size) {
  const std::string ext = lowercase_extension(output_file_name(output));
  int max_side = 0;
  switch (codec::format_for_extension(ext)) {
    case Format::jpeg:
      max_side = codec::jpeg_max_side();
      break;
    case Format::webp:
      max_side = codec::webp_max_side();
      break;
    case Format::png:  // a side up to 2^31 - 1, as many as an OpenCV image can have
    case Format::tiff:
    case Format::pnm:
    case Format::pfm:
    case Format::other:
      break;
  }
  if (max_side == 0 || (size.width <= max_side && size.height <= max_side)) return "";
  return fmt::format(
      "a {} file cannot hold a {}x{} image: at most {} pixels a side (use .png or .tif)", ext,
      size.width, size.height, max_side);
}

std::vector<std::uint8_t> encode_image(const std::string& ext, const cv::Mat& image,
                                       const Metadata& metadata) {
  return encode_named("", ext, {image}, default_write_options(), metadata);
}

void write_image_atomically(const std::string& output, const cv::Mat& image,
                            const Metadata& metadata) {
  const std::string path = output_file_name(output);
  if (const std::string reason = unsupported_output_reason(path, image.depth()); !reason.empty()) {
    throw Error(path, reason);
  }
  if (const std::string reason = unsupported_output_size_reason(path, image.size());
      !reason.empty()) {
    throw Error(path, reason);
  }
  const codec::WriteOptions options = write_options_for(output);
  if (image.total() * image.elemSize() >= kRowWritePixelBytes &&
      can_write_rows(output, image.type())) {
    // A large image goes through the row encoder (the same bytes): no second, encoded copy of it
    // in memory (400 MB more for a 20000x20000 PGM).
    check_options_fit(path, codec::format_for_extension(lowercase_extension(path)), options);
    write_rows_atomically(
        output, image.size(), image.type(),
        [&](RowWriter& writer) {
          for (int y = 0; y < image.rows; ++y) writer.write_row(image.ptr(y));
        },
        metadata);
    return;
  }
  // Encoded in memory first: an encoder then never sees a full disk.
  write_bytes_atomically(path,
                         encode_named(path, lowercase_extension(path), {image}, options, metadata));
}

void write_tiff_pages_atomically(const std::string& output, const std::vector<cv::Mat>& pages) {
  const std::string path = output_file_name(output);
  if (codec::format_for_extension(lowercase_extension(path)) != Format::tiff) {
    throw Error(path, fmt::format("{} output channels need a multi-page TIFF (.tif or .tiff)",
                                  pages.size()));
  }
  write_bytes_atomically(path,
                         encode_named(path, ".tif", pages, write_options_for(output), Metadata{}));
}

codec::WriteOptions codec::output_write_options(const std::string& output) {
  return write_options_for(output);
}

std::string codec_versions() {
  return fmt::format("{}, {}, {}, {}", codec::png_version(), codec::jpeg_version(),
                     codec::tiff_version(), codec::webp_version());
}

}  // namespace sepconv
