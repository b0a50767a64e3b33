// JPEG through libjpeg-turbo: baseline and progressive, gray, colour (as BGR) and CMYK/YCCK (made
// BGR as OpenCV does); written at quality 95 (OpenCV's default) unless told otherwise.
//
// Metadata: EXIF and XMP in APP1 markers, the ICC profile in APP2 markers (split in chunks, joined
// and split again by libjpeg-turbo's jpeg_read_icc_profile and jpeg_write_icc_profile).
//
// libjpeg only warns about corrupt entropy data and decodes it as grey; here every warning but a
// few harmless ones (an Adobe transform, a bad ICC marker, a newer JFIF) fails the file.

#include <fmt/format.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

#include "core/error.hpp"
#include "io/codecs.hpp"
#include "io/jpeg_errors.hpp"
#include "io/metadata_codecs.hpp"

namespace sepconv::codec {
namespace {

struct DecompressGuard {
  jpeg_decompress_struct info{};
  bool created = false;
  ~DecompressGuard() {
    if (created) jpeg_destroy_decompress(&info);
  }
};

struct CompressGuard {
  jpeg_compress_struct info{};
  bool created = false;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  ~CompressGuard() {
    if (created) jpeg_destroy_compress(&info);
    std::free(buffer);
  }
};

constexpr std::string_view kExifPrefix("Exif\0\0", 6);
constexpr std::string_view kXmpPrefix("http://ns.adobe.com/xap/1.0/\0", 29);
/// The most a marker holds: its length field counts itself (2 bytes) in 16 bits.
constexpr std::size_t kMarkerCapacity = 65533;

bool marker_starts_with(const jpeg_saved_marker_ptr marker, std::string_view prefix) {
  return marker->data_length >= prefix.size() &&
         std::memcmp(marker->data, prefix.data(), prefix.size()) == 0;
}

/// One APP1 marker: a prefix naming what it holds, then the block; left out when too large.
void write_app1(j_compress_ptr info, std::string_view prefix, const std::uint8_t* data,
                std::size_t size, const char* what) {
  if (size == 0) return;
  if (prefix.size() + size > kMarkerCapacity) {
    report_dropped_metadata(what, "it is larger than a JPEG marker holds (64 KB)");
    return;
  }
  std::vector<std::uint8_t> marker(prefix.begin(), prefix.end());
  marker.insert(marker.end(), data, data + size);
  jpeg_write_marker(info, JPEG_APP0 + 1, marker.data(), static_cast<unsigned int>(marker.size()));
}

/// Adobe's CMYK JPEGs store inverted inks: with c, m, y, k as read, R = c k / 255 and so on.
void cmyk_row_to_bgr(const std::uint8_t* cmyk, std::uint8_t* bgr, int width) {
  for (int x = 0; x < width; ++x, cmyk += 4, bgr += 3) {
    const int k = cmyk[3];
    bgr[0] = static_cast<std::uint8_t>((cmyk[2] * k + 127) / 255);
    bgr[1] = static_cast<std::uint8_t>((cmyk[1] * k + 127) / 255);
    bgr[2] = static_cast<std::uint8_t>((cmyk[0] * k + 127) / 255);
  }
}

}  // namespace

cv::Mat decode_jpeg(const Encoded& in, Metadata& metadata) {
  JpegErrors errors;
  errors.name = in.name;
  DecompressGuard guard;
  jpeg_progress_mgr progress{};
  cv::Mat image;
  std::vector<std::uint8_t> cmyk_row;
  use_jpeg_errors(errors, guard.info.err);
  if (setjmp(errors.jump)) {
    throw Error(in.name, "is corrupt or truncated: libjpeg: " + errors.message);
  }
  jpeg_create_decompress(&guard.info);
  guard.created = true;
  progress.progress_monitor = stop_after_too_many_scans;
  guard.info.progress = &progress;
  jpeg_mem_src(&guard.info, in.data, static_cast<unsigned long>(in.size));
  save_jpeg_metadata_markers(&guard.info);
  jpeg_read_header(&guard.info, TRUE);
  read_jpeg_metadata(&guard.info, metadata);
  const bool cmyk =
      guard.info.jpeg_color_space == JCS_CMYK || guard.info.jpeg_color_space == JCS_YCCK;
  const bool gray = guard.info.num_components == 1;
  guard.info.out_color_space = gray ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_EXT_BGR;
  const int channels = gray ? 1 : 3;
  check_decoded_size(in.name, guard.info.image_width, guard.info.image_height, cmyk ? 4 : channels,
                     1);
  jpeg_start_decompress(&guard.info);
  image.create(static_cast<int>(guard.info.output_height),
               static_cast<int>(guard.info.output_width), CV_8UC(channels));
  if (cmyk) cmyk_row.resize(std::size_t{guard.info.output_width} * 4);
  while (guard.info.output_scanline < guard.info.output_height) {
    const int y = static_cast<int>(guard.info.output_scanline);
    JSAMPROW row = cmyk ? cmyk_row.data() : image.ptr(y);
    jpeg_read_scanlines(&guard.info, &row, 1);
    if (cmyk) cmyk_row_to_bgr(cmyk_row.data(), image.ptr(y), image.cols);
  }
  jpeg_finish_decompress(&guard.info);
  return image;
}

Bytes encode_jpeg(const cv::Mat& image, const WriteOptions& options, const Metadata& metadata) {
  CV_Assert(image.depth() == CV_8U && image.channels() >= 1 && image.channels() <= 4);
  // JPEG has no alpha: gray+alpha is written as gray, BGRA as BGR (libjpeg-turbo skips the X).
  cv::Mat source = image;
  if (image.channels() == 2) cv::extractChannel(image, source, 0);
  JpegErrors errors;
  errors.name = "JPEG encoder";
  CompressGuard guard;
  use_jpeg_errors(errors, guard.info.err);
  if (setjmp(errors.jump)) throw Error("", "cannot be encoded: libjpeg: " + errors.message);
  jpeg_create_compress(&guard.info);
  guard.created = true;
  jpeg_mem_dest(&guard.info, &guard.buffer, &guard.size);
  guard.info.image_width = static_cast<JDIMENSION>(source.cols);
  guard.info.image_height = static_cast<JDIMENSION>(source.rows);
  static constexpr J_COLOR_SPACE kSpaces[] = {JCS_UNKNOWN, JCS_GRAYSCALE, JCS_UNKNOWN, JCS_EXT_BGR,
                                              JCS_EXT_BGRX};
  guard.info.input_components = source.channels();
  guard.info.in_color_space = kSpaces[source.channels()];
  jpeg_set_defaults(&guard.info);
  jpeg_set_quality(&guard.info, options.quality > 0 ? options.quality : 95, TRUE);
  jpeg_start_compress(&guard.info, TRUE);
  write_jpeg_metadata(&guard.info, metadata, source.channels());
  while (guard.info.next_scanline < guard.info.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(source.ptr(static_cast<int>(guard.info.next_scanline)));
    jpeg_write_scanlines(&guard.info, &row, 1);
  }
  jpeg_finish_compress(&guard.info);
  return Bytes(guard.buffer, guard.buffer + guard.size);
}

void save_jpeg_metadata_markers(j_decompress_ptr info) {
  jpeg_save_markers(info, JPEG_APP0 + 1, 0xFFFF);  // EXIF, XMP
  jpeg_save_markers(info, JPEG_APP0 + 2, 0xFFFF);  // ICC profile chunks
}

/// EXIF and XMP from the APP1 markers saved while reading the header, and the ICC profile.
void read_jpeg_metadata(j_decompress_ptr info, Metadata& metadata) {
  for (jpeg_saved_marker_ptr marker = info->marker_list; marker != nullptr; marker = marker->next) {
    if (marker->marker != JPEG_APP0 + 1) continue;
    if (marker_starts_with(marker, kExifPrefix) && metadata.exif.empty()) {
      keep_exif(metadata, marker->data, marker->data_length);
    } else if (marker_starts_with(marker, kXmpPrefix) && metadata.xmp.empty()) {
      metadata.xmp.assign(reinterpret_cast<const char*>(marker->data) + kXmpPrefix.size(),
                          marker->data_length - kXmpPrefix.size());
    }
  }
  JOCTET* profile = nullptr;
  unsigned int profile_size = 0;
  if (jpeg_read_icc_profile(info, &profile, &profile_size)) {
    metadata.icc.assign(profile, profile + profile_size);
    std::free(profile);
  }
}

/// The metadata markers, written right after the JFIF header.
void write_jpeg_metadata(j_compress_ptr info, const Metadata& metadata, int channels) {
  write_app1(info, kExifPrefix, metadata.exif.data(), metadata.exif.size(), "EXIF");
  if (!metadata.icc.empty()) {
    if (icc_fits(metadata.icc, channels)) {
      jpeg_write_icc_profile(info, metadata.icc.data(),
                             static_cast<unsigned int>(metadata.icc.size()));
    } else {
      report_dropped_metadata("the ICC profile", "its colour space does not fit the channels");
    }
  }
  write_app1(info, kXmpPrefix, reinterpret_cast<const std::uint8_t*>(metadata.xmp.data()),
             metadata.xmp.size(), "XMP");
}

#define SEPCONV_STRINGIFY2(x) #x
#define SEPCONV_STRINGIFY(x) SEPCONV_STRINGIFY2(x)

int jpeg_max_side() {
  return static_cast<int>(JPEG_MAX_DIMENSION);
}

std::string jpeg_version() {
#ifdef LIBJPEG_TURBO_VERSION
  return "libjpeg-turbo " SEPCONV_STRINGIFY(LIBJPEG_TURBO_VERSION);
#else
  return fmt::format("libjpeg {}", JPEG_LIB_VERSION);
#endif
}

}  // namespace sepconv::codec
