// PNG through libpng: every bit depth and colour type read (palette and tRNS expanded, 16-bit in
// host order, colour as BGR), interlaced images read whole; written as OpenCV does by default.
//
// Metadata: the ICC profile in iCCP, EXIF in eXIf, XMP in an iTXt chunk keyed XML:com.adobe.xmp.
//
// libpng reports errors by longjmp (io/png_errors): each decoder and encoder keeps its C++ objects
// in the frame that calls setjmp, and turns the saved message into an Error after the jump.

#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstring>

#include "core/error.hpp"
#include "io/codecs.hpp"
#include "io/metadata_codecs.hpp"
#include "io/png_errors.hpp"

namespace sepconv::codec {
namespace {

/// What the read and write callbacks need: the bytes being read or written.
struct PngState {
  const Encoded* in = nullptr;
  std::size_t position = 0;
  Bytes* out = nullptr;
};

constexpr char kXmpKey[] = "XML:com.adobe.xmp";

void read_bytes(png_structp png, png_bytep out, png_size_t count) {
  auto* state = static_cast<PngState*>(png_get_io_ptr(png));
  if (state->in->size - state->position < count) png_error(png, "the file is truncated");
  std::memcpy(out, state->in->data + state->position, count);
  state->position += count;
}

void write_bytes(png_structp png, png_bytep data, png_size_t count) {
  auto* state = static_cast<PngState*>(png_get_io_ptr(png));
  state->out->insert(state->out->end(), data, data + count);
}

void flush_nothing(png_structp) {}

/// Frees libpng's structures however the function that made them ends.
struct ReadGuard {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~ReadGuard() { png_destroy_read_struct(&png, &info, nullptr); }
};

struct WriteGuard {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~WriteGuard() { png_destroy_write_struct(&png, &info); }
};

/// Asks libpng for the layout cv::imread gives: 8 or 16 bits, palette as colour, BGR order.
void request_opencv_layout(png_structp png, png_infop info) {
  const int colour = png_get_color_type(png, info);
  const int bits = png_get_bit_depth(png, info);
  if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (colour == PNG_COLOR_TYPE_GRAY && bits < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  if (bits == 16) png_set_swap(png);  // PNG is big-endian; cv::Mat holds host order
  png_set_bgr(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
}

}  // namespace

cv::Mat decode_png(const Encoded& in, Metadata& metadata) {
  PngState state;
  state.in = &in;
  PngErrors errors;
  errors.name = in.name;
  ReadGuard guard;
  cv::Mat image;
  std::vector<png_bytep> rows;
  guard.png = create_png_reader(errors);
  if (guard.png == nullptr) throw Error(in.name, "cannot be decoded: libpng cannot start");
  guard.info = png_create_info_struct(guard.png);
  if (guard.info == nullptr) throw Error(in.name, "cannot be decoded: libpng cannot start");
  if (setjmp(png_jmpbuf(guard.png))) {
    throw Error(in.name, "is corrupt or truncated: libpng: " + errors.message);
  }
  png_set_read_fn(guard.png, &state, read_bytes);
  // A bad checksum in any chunk is damage, not only in the ones the image needs.
  png_set_crc_action(guard.png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
  // sepconv's own limits decide the size (libpng's default caps a side at 1,000,000).
  png_set_user_limits(guard.png, 0x7fffffff, 0x7fffffff);
  png_read_info(guard.png, guard.info);
  request_opencv_layout(guard.png, guard.info);
  const png_uint_32 width = png_get_image_width(guard.png, guard.info);
  const png_uint_32 height = png_get_image_height(guard.png, guard.info);
  const int channels = png_get_channels(guard.png, guard.info);
  const int bytes_per_sample = png_get_bit_depth(guard.png, guard.info) == 16 ? 2 : 1;
  check_decoded_size(in.name, width, height, channels, bytes_per_sample);
  image.create(static_cast<int>(height), static_cast<int>(width),
               CV_MAKETYPE(bytes_per_sample == 2 ? CV_16U : CV_8U, channels));
  rows.resize(height);
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = image.ptr(static_cast<int>(y));
  png_read_image(guard.png, rows.data());
  png_read_end(guard.png, guard.info);  // the chunks after the image, their checksums and IEND
  read_png_metadata(guard.png, guard.info, metadata);
  return image;
}

Bytes encode_png(const cv::Mat& image, const WriteOptions& options, const Metadata& metadata) {
  static constexpr int kColourTypes[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                         PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
  CV_Assert(image.channels() >= 1 && image.channels() <= 4);
  CV_Assert(image.depth() == CV_8U || image.depth() == CV_16U);
  Bytes out;
  PngState state;
  state.out = &out;
  PngErrors errors;
  errors.name = "PNG encoder";
  WriteGuard guard;
  std::vector<png_bytep> rows(image.rows);
  guard.png = create_png_writer(errors);
  if (guard.png == nullptr) throw Error("", "libpng cannot start");
  guard.info = png_create_info_struct(guard.png);
  if (guard.info == nullptr) throw Error("", "libpng cannot start");
  if (setjmp(png_jmpbuf(guard.png)))
    throw Error("", "cannot be encoded: libpng: " + errors.message);
  png_set_write_fn(guard.png, &state, write_bytes, flush_nothing);
  if (options.compression >= 0) {
    png_set_compression_level(guard.png, options.compression);
  } else {
    // OpenCV's default, tuned for speed: level 1, the Sub filter, run-length matching.
    png_set_filter(guard.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(guard.png, Z_BEST_SPEED);
    png_set_compression_strategy(guard.png, Z_RLE);
  }
  png_set_IHDR(guard.png, guard.info, image.cols, image.rows, image.depth() == CV_16U ? 16 : 8,
               kColourTypes[image.channels()], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
               PNG_FILTER_TYPE_BASE);
  // A profile libpng finds wrong is left out with a warning (-v), not a failed output.
  png_set_benign_errors(guard.png, 1);
  write_png_metadata(guard.png, guard.info, metadata, image.channels());
  png_write_info(guard.png, guard.info);
  if (image.depth() == CV_16U) png_set_swap(guard.png);
  if (image.channels() >= 3) png_set_bgr(guard.png);
  for (int y = 0; y < image.rows; ++y) rows[y] = const_cast<png_bytep>(image.ptr(y));
  png_write_image(guard.png, rows.data());
  png_write_end(
      guard.png,
      nullptr);  // every chunk went before the image (libpng 1.6.39 would write eXIf again)
  return out;
}

/// The metadata chunks libpng kept, before and after the image data.
void read_png_metadata(png_structp png, png_infop info, Metadata& metadata) {
  png_charp name = nullptr;
  int compression = 0;
  png_bytep profile = nullptr;
  png_uint_32 profile_size = 0;
  if (png_get_iCCP(png, info, &name, &compression, &profile, &profile_size) != 0) {
    metadata.icc.assign(profile, profile + profile_size);
  }
  png_bytep exif = nullptr;
  png_uint_32 exif_size = 0;
  if (png_get_eXIf_1(png, info, &exif_size, &exif) != 0) keep_exif(metadata, exif, exif_size);
  png_textp texts = nullptr;
  const int count = png_get_text(png, info, &texts, nullptr);
  for (int i = 0; i < count; ++i) {
    if (std::strcmp(texts[i].key, kXmpKey) == 0 && texts[i].text != nullptr) {
      const std::size_t size = texts[i].compression >= PNG_ITXT_COMPRESSION_NONE
                                   ? texts[i].itxt_length
                                   : texts[i].text_length;
      metadata.xmp.assign(texts[i].text, size);
    }
  }
}

/// Puts the metadata chunks before the image data (libpng writes them with png_write_info).
void write_png_metadata(png_structp png, png_infop info, const Metadata& metadata, int channels) {
  if (!metadata.icc.empty()) {
    if (icc_fits(metadata.icc, channels)) {
      png_set_iCCP(png, info, "ICC profile", PNG_COMPRESSION_TYPE_BASE, metadata.icc.data(),
                   static_cast<png_uint_32>(metadata.icc.size()));
    } else {
      report_dropped_metadata("the ICC profile", "its colour space does not fit the channels");
    }
  }
  if (!metadata.exif.empty()) {
    png_set_eXIf_1(png, info, static_cast<png_uint_32>(metadata.exif.size()),
                   const_cast<png_bytep>(metadata.exif.data()));
  }
  if (!metadata.xmp.empty()) {
    png_text text{};
    text.compression = PNG_ITXT_COMPRESSION_NONE;
    text.key = const_cast<png_charp>(kXmpKey);
    text.text = const_cast<png_charp>(metadata.xmp.c_str());
    text.itxt_length = metadata.xmp.size();
    png_set_text(png, info, &text, 1);
  }
}

std::string png_version() {
  return std::string("libpng ") + png_get_libpng_ver(nullptr);
}

}  // namespace sepconv::codec
