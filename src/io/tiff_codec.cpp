// TIFF through libtiff, in memory: 8/16-bit integer and 32/64-bit float samples, 1 to 4 channels,
// strips or tiles, either byte order, contiguous or planar; other layouts (bilevel, palette,
// CMYK, YCbCr) through libtiff's RGBA reader. The first page is read. Written with LZW and the
// horizontal predictor for integers (OpenCV's default) and deflate with the floating-point
// predictor for float, so float pages are exact in any channel count (OpenCV writes 3-channel
// float as lossy LogLuv); s16 is written as signed samples. Metadata: the ICC profile, the XMP
// packet and the Orientation tag of the first directory.

#include <fmt/format.h>
#include <tiffio.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "io/codecs.hpp"
#include "io/image_io.hpp"
#include "io/metadata_codecs.hpp"
#include "io/tiff_errors.hpp"

namespace sepconv::codec {
namespace {

/// The bytes libtiff reads or writes, and the first error it reported (io/tiff_errors).
struct MemoryFile : TiffMessages {
  const std::uint8_t* data = nullptr;
  std::uint64_t size = 0;
  Bytes* out = nullptr;  // when writing
  std::uint64_t position = 0;
};

tmsize_t read_proc(thandle_t handle, void* buffer, tmsize_t count) {
  auto* file = static_cast<MemoryFile*>(handle);
  const std::uint64_t size = file->out ? file->out->size() : file->size;
  const std::uint8_t* data = file->out ? file->out->data() : file->data;
  if (file->position >= size) return 0;
  const auto n = static_cast<tmsize_t>(std::min<std::uint64_t>(count, size - file->position));
  std::memcpy(buffer, data + file->position, static_cast<std::size_t>(n));
  file->position += static_cast<std::uint64_t>(n);
  return n;
}

tmsize_t write_proc(thandle_t handle, void* buffer, tmsize_t count) {
  auto* file = static_cast<MemoryFile*>(handle);
  if (file->out == nullptr) return -1;
  const std::uint64_t end = file->position + static_cast<std::uint64_t>(count);
  if (end > file->out->size()) file->out->resize(end);
  std::memcpy(file->out->data() + file->position, buffer, static_cast<std::size_t>(count));
  file->position = end;
  return count;
}

toff_t seek_proc(thandle_t handle, toff_t offset, int whence) {
  auto* file = static_cast<MemoryFile*>(handle);
  const std::uint64_t size = file->out ? file->out->size() : file->size;
  if (whence == SEEK_CUR) offset += file->position;
  if (whence == SEEK_END) offset += size;
  file->position = offset;
  return offset;
}

int close_proc(thandle_t) {
  return 0;
}

toff_t size_proc(thandle_t handle) {
  auto* file = static_cast<MemoryFile*>(handle);
  return file->out ? file->out->size() : file->size;
}

int map_proc(thandle_t handle, void** base, toff_t* size) {
  auto* file = static_cast<MemoryFile*>(handle);
  if (file->out) return 0;
  *base = const_cast<std::uint8_t*>(file->data);
  *size = file->size;
  return 1;
}

void unmap_proc(thandle_t, void*, toff_t) {}

TiffHandle open_memory(MemoryFile& file, const char* mode) {
  const TiffProcs procs{read_proc, write_proc, seek_proc, close_proc,
                        size_proc, map_proc,   unmap_proc};
  return open_tiff(&file, procs, mode, file);
}

/// Throws the first error libtiff reported (or a damage warning), naming the file.
void check(const MemoryFile& file, bool ok = true) {
  if (!file.error.empty())
    throw Error(file.name, "is corrupt or truncated: libtiff: " + file.error);
  if (!ok) throw Error(file.name, "is corrupt or truncated: libtiff failed without a reason");
}

template <typename T>
T field(TIFF* tiff, ttag_t tag, T fallback) {
  T value = fallback;
  if (TIFFGetFieldDefaulted(tiff, tag, &value) != 1) return fallback;
  return value;
}

/// What the first directory says about the samples.
struct Layout {
  std::uint32_t width = 0, height = 0;
  std::uint16_t samples = 1, bits = 1, format = SAMPLEFORMAT_UINT, photometric = 0, planar = 1;
  std::uint16_t compression = COMPRESSION_NONE;
  bool tiled = false;

  /// The OpenCV depth of the samples as stored; -1 when libtiff's RGBA reader must be used.
  int depth() const {
    if (format == SAMPLEFORMAT_IEEEFP) return bits == 32 ? CV_32F : bits == 64 ? CV_64F : -1;
    const bool is_signed = format == SAMPLEFORMAT_INT;
    if (format != SAMPLEFORMAT_UINT && !is_signed) return -1;
    if (bits == 8) return is_signed ? CV_8S : CV_8U;
    if (bits == 16) return is_signed ? CV_16S : CV_16U;
    if (bits == 32) return CV_32S;
    return -1;
  }
  bool native() const {
    const bool gray =
        (photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE) &&
        samples <= 2;
    const bool colour = photometric == PHOTOMETRIC_RGB && (samples == 3 || samples == 4);
    return depth() >= 0 && (gray || colour);
  }
};

Layout read_layout(TIFF* tiff) {
  Layout layout;
  layout.width = field<std::uint32_t>(tiff, TIFFTAG_IMAGEWIDTH, 0);
  layout.height = field<std::uint32_t>(tiff, TIFFTAG_IMAGELENGTH, 0);
  layout.samples = field<std::uint16_t>(tiff, TIFFTAG_SAMPLESPERPIXEL, 1);
  layout.bits = field<std::uint16_t>(tiff, TIFFTAG_BITSPERSAMPLE, 1);
  layout.format = field<std::uint16_t>(tiff, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
  layout.photometric = field<std::uint16_t>(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  layout.planar = field<std::uint16_t>(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  layout.compression = field<std::uint16_t>(tiff, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
  layout.tiled = TIFFIsTiled(tiff) != 0;
  // JPEG-compressed colour is stored as YCbCr; libjpeg converts it back to RGB for us.
  if (layout.compression == COMPRESSION_JPEG && layout.photometric == PHOTOMETRIC_YCBCR) {
    TIFFSetField(tiff, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
    layout.photometric = PHOTOMETRIC_RGB;
  }
  return layout;
}

/// A tile or strip buffer that a header sets: within --max-bytes, and not far larger than the
/// image it holds (a 1x1 image with a 16000x16000 tile).
void check_block_size(const MemoryFile& file, std::uint64_t block_bytes,
                      std::uint64_t image_bytes) {
  constexpr std::uint64_t kAlwaysFine = 16 << 20;
  if (block_bytes == 0) check(file, false);
  if (block_bytes > max_bytes() || (block_bytes > kAlwaysFine && block_bytes > 4 * image_bytes)) {
    throw Error(file.name, fmt::format("is corrupt: a TIFF tile or strip of {} bytes for an image "
                                       "of {} bytes (limit {}, --max-bytes)",
                                       block_bytes, image_bytes, max_bytes()));
  }
}

/// Reads samples `sample` (planar) or all samples (contiguous) into `plane`, tile by tile.
void read_tiles(TIFF* tiff, MemoryFile& file, cv::Mat& plane, std::uint16_t sample) {
  const auto tile_width = field<std::uint32_t>(tiff, TIFFTAG_TILEWIDTH, 0);
  const auto tile_height = field<std::uint32_t>(tiff, TIFFTAG_TILELENGTH, 0);
  const tmsize_t tile_bytes = TIFFTileSize(tiff);
  check_block_size(file, static_cast<std::uint64_t>(std::max<tmsize_t>(tile_bytes, 0)),
                   plane.total() * plane.elemSize());
  if (tile_width == 0 || tile_height == 0) check(file, false);
  const std::size_t tile_row = static_cast<std::size_t>(tile_bytes) / tile_height;
  std::vector<std::uint8_t> buffer(static_cast<std::size_t>(tile_bytes));
  for (std::uint32_t y = 0; y < static_cast<std::uint32_t>(plane.rows); y += tile_height) {
    for (std::uint32_t x = 0; x < static_cast<std::uint32_t>(plane.cols); x += tile_width) {
      const bool ok = TIFFReadTile(tiff, buffer.data(), x, y, 0, sample) >= 0;
      check(file, ok);
      const std::uint32_t rows = std::min<std::uint32_t>(tile_height, plane.rows - y);
      const std::size_t bytes =
          std::min<std::size_t>(tile_width, plane.cols - x) * plane.elemSize();
      for (std::uint32_t r = 0; r < rows; ++r) {
        std::memcpy(plane.ptr(static_cast<int>(y + r)) + x * plane.elemSize(),
                    buffer.data() + r * tile_row, bytes);
      }
    }
  }
}

/// Reads samples `sample` (planar) or all samples (contiguous) into `plane`, strip by strip.
void read_strips(TIFF* tiff, MemoryFile& file, cv::Mat& plane, std::uint16_t sample) {
  const std::uint32_t rows_per_strip = std::min<std::uint32_t>(
      field<std::uint32_t>(tiff, TIFFTAG_ROWSPERSTRIP, plane.rows), plane.rows);
  const tmsize_t strip_bytes = TIFFStripSize(tiff);
  check_block_size(file, static_cast<std::uint64_t>(std::max<tmsize_t>(strip_bytes, 0)),
                   plane.total() * plane.elemSize());
  const std::size_t row_bytes = plane.cols * plane.elemSize();
  std::vector<std::uint8_t> buffer(static_cast<std::size_t>(strip_bytes));
  for (std::uint32_t y = 0; y < static_cast<std::uint32_t>(plane.rows); y += rows_per_strip) {
    const std::uint32_t rows = std::min<std::uint32_t>(rows_per_strip, plane.rows - y);
    const tmsize_t got =
        TIFFReadEncodedStrip(tiff, TIFFComputeStrip(tiff, y, sample), buffer.data(), strip_bytes);
    check(file, got >= static_cast<tmsize_t>(rows * row_bytes));
    for (std::uint32_t r = 0; r < rows; ++r) {
      std::memcpy(plane.ptr(static_cast<int>(y + r)), buffer.data() + r * row_bytes, row_bytes);
    }
  }
}

void read_plane(TIFF* tiff, MemoryFile& file, const Layout& layout, cv::Mat& plane,
                std::uint16_t sample) {
  if (layout.tiled) {
    read_tiles(tiff, file, plane, sample);
  } else {
    read_strips(tiff, file, plane, sample);
  }
}

/// RGB(A) <-> BGR(A) for any depth (cvtColor takes only 8U, 16U and 32F).
cv::Mat swap_red_blue(const cv::Mat& image) {
  static constexpr int kPairs[] = {0, 2, 1, 1, 2, 0, 3, 3};
  cv::Mat swapped(image.size(), image.type());
  cv::mixChannels(&image, 1, &swapped, 1, kPairs, image.channels());
  return swapped;
}

/// 8/16/32-bit and float samples as they are stored, colour made BGR.
cv::Mat read_native(TIFF* tiff, MemoryFile& file, const Layout& layout) {
  const int depth = layout.depth();
  check_decoded_size(file.name, layout.width, layout.height, layout.samples, CV_ELEM_SIZE1(depth));
  const int rows = static_cast<int>(layout.height), cols = static_cast<int>(layout.width);
  cv::Mat image;
  if (layout.planar == PLANARCONFIG_SEPARATE && layout.samples > 1) {
    std::vector<cv::Mat> planes(layout.samples);
    for (std::uint16_t s = 0; s < layout.samples; ++s) {
      planes[s].create(rows, cols, depth);
      read_plane(tiff, file, layout, planes[s], s);
    }
    cv::merge(planes, image);
  } else {
    image.create(rows, cols, CV_MAKETYPE(depth, layout.samples));
    read_plane(tiff, file, layout, image, 0);
  }
  if (layout.photometric == PHOTOMETRIC_MINISWHITE && (depth == CV_8U || depth == CV_16U)) {
    std::vector<cv::Mat> planes;
    cv::split(image, planes);
    cv::bitwise_not(planes[0], planes[0]);  // white is 0: make it the maximum, as gray is read
    cv::merge(planes, image);
  }
  if (layout.samples >= 3) image = swap_red_blue(image);
  return image;
}

/// Any layout libtiff can turn into 8-bit RGBA (bilevel, palette, CMYK, YCbCr, ...): BGR, or
/// BGRA when the file has extra samples.
cv::Mat read_rgba(TIFF* tiff, MemoryFile& file, const Layout& layout) {
  char reason[1024] = "";
  if (!TIFFRGBAImageOK(tiff, reason)) {
    throw Error(file.name, fmt::format("has a TIFF layout sepconv cannot read: {}", reason));
  }
  check_decoded_size(file.name, layout.width, layout.height, 4, 1);
  cv::Mat rgba(static_cast<int>(layout.height), static_cast<int>(layout.width), CV_8UC4);
  // Asked for the file's own orientation, libtiff keeps the stored order of the pixels; turning
  // them is read_image's work, as for every format.
  const auto stored = field<std::uint16_t>(tiff, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
  const int ok = TIFFReadRGBAImageOriented(tiff, layout.width, layout.height,
                                           reinterpret_cast<std::uint32_t*>(rgba.data), stored, 0);
  check(file, ok == 1);
  // ExtraSamples is a count and a pointer to the kinds: libtiff writes both, so both are passed
  // (passing one pointer crashed sepconv on every TIFF that reached this reader). Only an alpha
  // kind is alpha; TIFFRGBAImage fills an unspecified extra sample's place with 255.
  std::uint16_t extra_count = 0;
  std::uint16_t* extra_kinds = nullptr;
  const bool alpha =
      TIFFGetFieldDefaulted(tiff, TIFFTAG_EXTRASAMPLES, &extra_count, &extra_kinds) == 1 &&
      extra_count > 0 && extra_kinds != nullptr &&
      (extra_kinds[0] == EXTRASAMPLE_ASSOCALPHA || extra_kinds[0] == EXTRASAMPLE_UNASSALPHA);
  cv::Mat image;
  cv::cvtColor(rgba, image, alpha ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGBA2BGR);
  return image;
}

/// A block of bytes a tag holds (ICC profile, XMP), empty when absent.
std::vector<std::uint8_t> blob_field(TIFF* tiff, ttag_t tag) {
  std::uint32_t size = 0;
  void* data = nullptr;
  if (TIFFGetField(tiff, tag, &size, &data) != 1 || data == nullptr) return {};
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  return std::vector<std::uint8_t>(bytes, bytes + size);
}

int tiff_compression(const std::string& name, bool is_float) {
  if (name == "none") return COMPRESSION_NONE;
  if (name == "lzw") return COMPRESSION_LZW;
  if (name == "deflate") return COMPRESSION_ADOBE_DEFLATE;
  return is_float ? COMPRESSION_ADOBE_DEFLATE : COMPRESSION_LZW;
}

void write_page(TIFF* tiff, MemoryFile& file, const cv::Mat& page, int index, int count,
                const WriteOptions& options, const Metadata& metadata) {
  const int depth = page.depth(), channels = page.channels();
  const bool is_float = depth == CV_32F;
  const int compression = tiff_compression(options.tiff_compression, is_float);
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(page.cols));
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(page.rows));
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, static_cast<std::uint16_t>(8 * page.elemSize1()));
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, static_cast<std::uint16_t>(channels));
  TIFFSetField(tiff, TIFFTAG_SAMPLEFORMAT,
               is_float          ? SAMPLEFORMAT_IEEEFP
               : depth == CV_16S ? SAMPLEFORMAT_INT
                                 : SAMPLEFORMAT_UINT);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, channels >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
  if (channels == 2 || channels == 4) {
    const std::uint16_t extra[] = {EXTRASAMPLE_UNASSALPHA};
    TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 1, extra);
  }
  TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tiff, TIFFTAG_COMPRESSION, compression);
  if (compression != COMPRESSION_NONE) {
    // The float predictor keeps float32 exact and compresses it far better than plain deflate.
    TIFFSetField(tiff, TIFFTAG_PREDICTOR,
                 is_float ? PREDICTOR_FLOATINGPOINT : PREDICTOR_HORIZONTAL);
  }
  const std::size_t row_bytes = page.cols * page.elemSize();
  const std::uint32_t rows_per_strip = static_cast<std::uint32_t>(
      std::max<std::size_t>(1, (256 << 10) / std::max<std::size_t>(row_bytes, 1)));
  TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, std::min<std::uint32_t>(rows_per_strip, page.rows));
  if (index == 0) write_tiff_metadata(tiff, metadata, channels);
  if (count > 1) {
    TIFFSetField(tiff, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(tiff, TIFFTAG_PAGENUMBER, static_cast<std::uint16_t>(index),
                 static_cast<std::uint16_t>(count));
  }
  // TIFF stores RGB(A); libtiff's scanline writer may modify the row (predictors), so a copy.
  for (int y = 0; y < page.rows; ++y) {
    cv::Mat row = channels >= 3 ? swap_red_blue(page.row(y)) : page.row(y).clone();
    check(file, TIFFWriteScanline(tiff, row.data, static_cast<std::uint32_t>(y), 0) == 1);
  }
  check(file, TIFFWriteDirectory(tiff) == 1);
}

}  // namespace

cv::Mat decode_tiff(const Encoded& in, Metadata& metadata) {
  MemoryFile file;
  file.data = in.data;
  file.size = in.size;
  file.name = in.name;
  TiffHandle tiff = open_memory(file, "rm");
  check(file, tiff != nullptr);
  const Layout layout = read_layout(tiff.get());
  check(file);
  read_tiff_metadata(tiff.get(), metadata);
  cv::Mat image =
      layout.native() ? read_native(tiff.get(), file, layout) : read_rgba(tiff.get(), file, layout);
  check(file);
  // The engines take 8/16-bit integers and float32.
  if (image.depth() == CV_64F || image.depth() == CV_32S || image.depth() == CV_8S) {
    image.convertTo(image, CV_32F);
  }
  return image;
}

Bytes encode_tiff(const std::vector<cv::Mat>& pages, const WriteOptions& options,
                  const Metadata& metadata) {
  Bytes out;
  MemoryFile file;
  file.out = &out;
  file.name = "TIFF encoder";
  std::uint64_t total = 0;
  for (const cv::Mat& page : pages) total += page.total() * page.elemSize();
  // Classic TIFF offsets are 32-bit: BigTIFF past about 4 GB.
  TiffHandle tiff = open_memory(file, total > (std::uint64_t{3} << 30) ? "w8" : "w");
  if (!tiff) throw Error("", "cannot be encoded: libtiff: " + file.error);
  try {
    for (std::size_t i = 0; i < pages.size(); ++i) {
      write_page(tiff.get(), file, pages[i], static_cast<int>(i), static_cast<int>(pages.size()),
                 options, metadata);
    }
  } catch (const Error& e) {
    throw Error("", "cannot be encoded: " + e.reason());
  }
  tiff.reset();  // flushes
  if (!file.error.empty()) throw Error("", "cannot be encoded: libtiff: " + file.error);
  return out;
}

void read_tiff_metadata(TIFF* tiff, Metadata& metadata) {
  metadata.icc = blob_field(tiff, TIFFTAG_ICCPROFILE);
  const std::vector<std::uint8_t> xmp = blob_field(tiff, TIFFTAG_XMLPACKET);
  metadata.xmp.assign(xmp.begin(), xmp.end());
  const auto orientation = field<std::uint16_t>(tiff, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
  metadata.orientation = orientation >= 1 && orientation <= 8 ? orientation : 1;
  // A TIFF's EXIF text (Artist, Copyright...) is tags of its own: made an EXIF block, so other
  // formats carry it too.
  std::vector<TextTag> texts;
  for (const std::uint16_t tag : kTiffTextTags) {
    char* text = nullptr;
    if (TIFFGetField(tiff, tag, &text) == 1 && text != nullptr) texts.push_back({tag, text});
  }
  if (!texts.empty() || metadata.orientation != 1) {
    metadata.exif = exif_from_text_tags(std::move(texts), metadata.orientation);
  }
}

void write_tiff_metadata(TIFF* tiff, const Metadata& metadata, int channels) {
  if (!metadata.icc.empty()) {
    if (icc_fits(metadata.icc, channels)) {
      TIFFSetField(tiff, TIFFTAG_ICCPROFILE, static_cast<std::uint32_t>(metadata.icc.size()),
                   metadata.icc.data());
    } else {
      report_dropped_metadata("the ICC profile", "its colour space does not fit the channels");
    }
  }
  if (!metadata.xmp.empty()) {
    TIFFSetField(tiff, TIFFTAG_XMLPACKET, static_cast<std::uint32_t>(metadata.xmp.size()),
                 metadata.xmp.data());
  }
  for (const TextTag& text : exif_text_tags(metadata.exif)) {
    TIFFSetField(tiff, text.tag, text.text.c_str());
  }
  if (metadata.orientation != 1) {
    TIFFSetField(tiff, TIFFTAG_ORIENTATION, static_cast<std::uint16_t>(metadata.orientation));
  }
}

std::string tiff_version() {
  // "LIBTIFF, Version 4.5.0\nCopyright ...": the first line's version.
  const std::string text = TIFFGetVersion();
  const std::size_t at = text.find("Version ");
  const std::size_t end = text.find('\n');
  if (at == std::string::npos) return "libtiff";
  return "libtiff " + text.substr(at + 8, end == std::string::npos ? end : end - at - 8);
}

}  // namespace sepconv::codec
