#pragma once
// The only code that touches an image codec: reading images (each input opened once, its size
// checked from the header before pixels are allocated, damage refused) and writing them so that
// a failure never leaves a partial file behind.
//
// PNG, JPEG, TIFF, WebP, binary PGM/PPM and PFM are read and written by sepconv itself on libpng,
// libjpeg-turbo, libtiff and libwebp; every other format OpenCV knows goes through OpenCV's
// imgcodecs, loaded as a plugin only when such a file is met (docs/formats.md).

#include <cstdint>
#include <functional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "io/metadata.hpp"

namespace sepconv {

/// The default largest image, in pixels (width x height): 2^30, OpenCV's own limit.
constexpr std::uint64_t kDefaultMaxPixels = std::uint64_t{1} << 30;
/// The default largest decoded image, in bytes (width x height x channels x bytes a sample): 4 GiB.
constexpr std::uint64_t kDefaultMaxBytes = std::uint64_t{4} << 30;

/// Sets the largest image read_image and decode_image accept (--max-pixels); at least 1. Images
/// whose header gives their size are refused before decoding; others after.
void set_max_pixels(std::uint64_t pixels);
std::uint64_t max_pixels();

/// Sets the largest decoded image, and the largest input file or standard input, in bytes
/// (--max-bytes); at least 1. A TIFF tile or strip is held to it too.
void set_max_bytes(std::uint64_t bytes);
std::uint64_t max_bytes();

/// Whether the codec libraries' harmless warnings (an incorrect sRGB profile, an unknown TIFF tag)
/// are printed on stderr (-v); warnings about damaged data are always errors.
void set_codec_verbose(bool verbose);

/// Encoder settings for every output (--quality 1..100 for JPEG and WebP; --compression 0..9 for
/// PNG, none|lzw|deflate for TIFF). A libvips-style suffix on one output name overrides them:
/// "out.jpg[Q=90]", "out.png[compression=9]", "out.tif[compression=deflate]". Throw a usage Error
/// for a value out of range.
void set_write_quality(int quality);
void set_write_compression(const std::string& compression);
/// Throws the usage Error set_write_compression would, without setting anything.
void set_write_compression_check(const std::string& compression);

/// The file an output name means: "out.jpg[Q=90]" -> "out.jpg"; other names unchanged.
std::string output_file_name(const std::string& output);

/// Reads an image as stored: 8-bit, 16-bit or float, 1 to 4 channels, colour as BGR(A), gray
/// with alpha as 2 channels. The file is opened once and read sequentially, so named pipes and
/// <(...) work. Throws Error naming the file when it is missing, a directory, unreadable, empty,
/// truncated or damaged, larger than the limits, or in no format sepconv or OpenCV can decode.
/// The pixels are turned as EXIF Orientation says unless set_autorotate(false); `metadata`, when
/// given, receives the EXIF, ICC and XMP blocks (none under set_strip_metadata(true)).
cv::Mat read_image(const std::string& path, Metadata* metadata = nullptr);

/// read_image for an open descriptor (standard input: fd 0, name "-"); reads at most max_bytes().
cv::Mat read_image_from(int fd, const std::string& name, Metadata* metadata = nullptr);

/// decode_image: read_image for bytes in memory; `name` names them in errors.
cv::Mat decode_image(const std::vector<uchar>& bytes, const std::string& name,
                     Metadata* metadata = nullptr);

/// Whether sepconv can write `depth` into a file with this path's extension; the reason when not.
std::string unsupported_output_reason(const std::string& path, int depth);

/// Whether this path's format can hold an image of `size` (a WebP side is at most 16383 pixels, a
/// JPEG side 65500); the reason when not. Checked from the input's header where it can be, so a
/// wide image is refused before it is read and filtered, not by the encoder at the end.
std::string unsupported_output_size_reason(const std::string& path, cv::Size size);

/// The bytes of `image` encoded in the format of extension `ext` (".png"), with the metadata the
/// format holds. Throws Error.
std::vector<std::uint8_t> encode_image(const std::string& ext, const cv::Mat& image,
                                       const Metadata& metadata = Metadata{});

/// Images of at least this many bytes of pixels are written by the row encoders
/// (write_rows_atomically, the same bytes) where the format has one, instead of being encoded in
/// memory first.
inline constexpr size_t kRowWritePixelBytes = size_t{64} << 20;

/// Writes `image` to a temporary file beside `path` and renames it into place, so `path` is either
/// the complete new image or untouched. Throws Error naming the file on any failure. `path` may
/// carry encoder options as a suffix ("out.jpg[Q=90]"). `metadata` goes in where the format holds
/// it (docs/formats.md); an ICC profile only when its colour space fits the channels.
void write_image_atomically(const std::string& path, const cv::Mat& image,
                            const Metadata& metadata = Metadata{});

/// Writes one TIFF page per image (depthwise's channels), atomically as write_image_atomically.
void write_tiff_pages_atomically(const std::string& path, const std::vector<cv::Mat>& pages);

/// The codec libraries sepconv is built on, with their versions, for --version.
std::string codec_versions();

}  // namespace sepconv
