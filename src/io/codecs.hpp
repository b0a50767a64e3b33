#pragma once
// The native decoders and encoders behind read_image and write_image_atomically, one file per
// library (png_codec.cpp, jpeg_codec.cpp, tiff_codec.cpp, webp_codec.cpp, pnm_codec.cpp), and the
// OpenCV fallback for every other format (opencv_fallback.cpp). Internal to io/.
//
// Every decoder returns what cv::imread(IMREAD_UNCHANGED) would: colour as BGR or BGRA, 8-bit,
// 16-bit or float samples; except that gray with alpha stays 2 channels. Every decoder checks the
// size from the header against the limits (check_decoded_size) before allocating pixels, and
// turns the library's errors, and its warnings about damaged data, into an Error naming the file.
// Decoders fill `metadata` with what the file carries (EXIF, ICC, XMP, its orientation); encoders
// write what their format holds.

#include <array>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "io/metadata.hpp"

namespace sepconv::codec {

using Bytes = std::vector<std::uint8_t>;

/// An encoded image in memory, and the name errors give it (a path, or "-").
struct Encoded {
  const std::uint8_t* data;
  std::size_t size;
  const std::string& name;
};

enum class Format { png, jpeg, tiff, webp, pnm, pfm, other };

/// The format the first bytes announce; `other` for anything the native codecs do not read.
Format sniff_format(const std::uint8_t* data, std::size_t size);
/// The format an output extension (".png", lower case) selects; `other` for the fallback's.
Format format_for_extension(const std::string& ext);

/// Refuses an image whose decoded size passes --max-pixels or --max-bytes, before allocation.
void check_decoded_size(const std::string& name, std::uint64_t width, std::uint64_t height,
                        std::uint64_t channels, std::uint64_t bytes_per_sample);

/// A warning from a codec library: throws (or returns true, for callers that must unwind C
/// frames first) when it is about damaged or missing data; printed only under --verbose otherwise.
bool is_damage_warning(const std::string& message);
void report_harmless_warning(const std::string& name, const std::string& library,
                             const std::string& message);

/// Encoder settings (--quality, --compression and the out.jpg[Q=90] form); -1 / empty: default.
struct WriteOptions {
  int quality = -1;              ///< JPEG and WebP, 1..100; WebP is lossless without it
  int compression = -1;          ///< PNG zlib level 0..9
  std::string tiff_compression;  ///< "none", "lzw", "deflate"
};

cv::Mat decode_png(const Encoded& in, Metadata& metadata);
cv::Mat decode_jpeg(const Encoded& in, Metadata& metadata);
cv::Mat decode_tiff(const Encoded& in, Metadata& metadata);
cv::Mat decode_webp(const Encoded& in, Metadata& metadata);
cv::Mat decode_pnm(const Encoded& in);  ///< P5, P6 (8/16-bit) and PF/Pf
/// Any format OpenCV's imgcodecs reads, through the plugin; throws when it is not available.
cv::Mat decode_with_fallback(const Encoded& in);

Bytes encode_png(const cv::Mat& image, const WriteOptions& options, const Metadata& metadata);
Bytes encode_jpeg(const cv::Mat& image, const WriteOptions& options, const Metadata& metadata);
/// One page per image (depthwise writes one page a channel); all pages of one depth.
Bytes encode_tiff(const std::vector<cv::Mat>& pages, const WriteOptions& options,
                  const Metadata& metadata);
Bytes encode_webp(const cv::Mat& image, const WriteOptions& options, const Metadata& metadata);
/// P5/P6 for 8 and 16 bits (alpha dropped, as OpenCV does), Pf/PF for float.
Bytes encode_pnm(const cv::Mat& image, bool pfm);
Bytes encode_with_fallback(const std::string& ext, const cv::Mat& image);
/// Whether the fallback can write files with this extension (loads it when needed).
bool fallback_can_write(const std::string& ext);

/// Puts an EXIF block into `metadata` (without a leading "Exif\0\0", which some writers add
/// to PNG and WebP too) and takes the orientation from it.
void keep_exif(Metadata& metadata, const std::uint8_t* data, std::size_t size);
/// The EXIF text tags a TIFF also holds as tags of its own, with the same numbers:
/// ImageDescription, Make, Model, Software, DateTime, Artist, Copyright.
constexpr std::array<std::uint16_t, 7> kTiffTextTags = {0x010E, 0x010F, 0x0110, 0x0131,
                                                        0x0132, 0x013B, 0x8298};
struct TextTag {
  std::uint16_t tag;
  std::string text;
};
/// Those of kTiffTextTags found in the first IFD of an EXIF block.
std::vector<TextTag> exif_text_tags(const std::vector<std::uint8_t>& exif);
/// A minimal EXIF block (little-endian, one IFD) holding `tags` and an Orientation: what a TIFF
/// input carries on to a JPEG, PNG or WebP output.
std::vector<std::uint8_t> exif_from_text_tags(std::vector<TextTag> tags, int orientation);

/// Tells the user, under -v only, that a metadata block was left out of an output, and why.
void report_dropped_metadata(const std::string& what, const std::string& reason);

/// Versions of the codec libraries linked in.
std::string png_version();
std::string jpeg_version();
std::string tiff_version();
std::string webp_version();

/// The longest side each library can write: libjpeg's JPEG_MAX_DIMENSION (65500) and libwebp's
/// WEBP_MAX_DIMENSION (16383). The other formats hold any side an OpenCV image can have.
int jpeg_max_side();
int webp_max_side();

}  // namespace sepconv::codec
