// PNG row by row through libpng's png_read_row / png_write_row, with png_codec.cpp's settings: the
// same layout requests on read (so the same pixels) and the same filter, level and strategy on
// write (so the same bytes). An interlaced PNG needs every pass before its first row is complete,
// so it is left to the whole-image decoder.
//
// libpng reports errors by longjmp (io/png_errors): each function that calls into libpng sets its
// own jump point and throws after the jump, with no C++ object alive in between.

#include <png.h>
#include <zlib.h>

#include <cerrno>
#include <csetjmp>
#include <cstring>

#include "core/error.hpp"
#include "io/metadata_codecs.hpp"
#include "io/png_errors.hpp"
#include "io/row_codecs.hpp"

namespace sepconv::codec {
namespace {

/// What the callbacks need: the file, and libpng's error pointer (io/png_errors).
struct PngState {
  std::FILE* file = nullptr;
  PngErrors errors;
  std::string system_error;  ///< why a write failed ("File too large"), said as the system says it
};

void read_file(png_structp png, png_bytep out, png_size_t count) {
  auto* state = static_cast<PngState*>(png_get_io_ptr(png));
  if (std::fread(out, 1, count, state->file) != count) png_error(png, "the file is truncated");
}

void write_file(png_structp png, png_bytep data, png_size_t count) {
  auto* state = static_cast<PngState*>(png_get_io_ptr(png));
  if (std::fwrite(data, 1, count, state->file) != count) {
    state->system_error = std::strerror(errno);
    png_error(png, state->system_error.c_str());
  }
}

void flush_nothing(png_structp) {}

/// png_codec.cpp's request_opencv_layout without the interlace handling: 8 or 16 bits, palette
/// and tRNS expanded, 16-bit samples in host order, colour as BGR.
void request_opencv_layout(png_structp png, png_infop info) {
  const int colour = png_get_color_type(png, info);
  const int bits = png_get_bit_depth(png, info);
  if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (colour == PNG_COLOR_TYPE_GRAY && bits < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  if (bits == 16) png_set_swap(png);
  png_set_bgr(png);
  png_read_update_info(png, info);
}

class PngRowReader : public RowReader {
 public:
  PngRowReader(FilePtr file, const std::string& name) : file_(std::move(file)) {
    state_.file = file_.get();
    state_.errors.name = name;
  }
  ~PngRowReader() override { png_destroy_read_struct(&png_, &info_, nullptr); }

  /// Reads the header (and the metadata with its orientation); false for an interlaced image.
  bool start() {
    png_ = create_png_reader(state_.errors);
    if (png_ == nullptr) throw Error(state_.errors.name, "cannot be decoded: libpng cannot start");
    info_ = png_create_info_struct(png_);
    if (info_ == nullptr) throw Error(state_.errors.name, "cannot be decoded: libpng cannot start");
    if (setjmp(png_jmpbuf(png_))) fail();
    png_set_read_fn(png_, &state_, read_file);
    png_set_crc_action(png_, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_user_limits(png_, 0x7fffffff, 0x7fffffff);
    png_read_info(png_, info_);
    read_png_metadata(png_, info_, metadata_);
    if (png_get_interlace_type(png_, info_) != PNG_INTERLACE_NONE) return false;
    request_opencv_layout(png_, info_);
    const png_uint_32 width = png_get_image_width(png_, info_);
    const png_uint_32 height = png_get_image_height(png_, info_);
    const int channels = png_get_channels(png_, info_);
    const int bytes_per_sample = png_get_bit_depth(png_, info_) == 16 ? 2 : 1;
    check_decoded_size(state_.errors.name, width, height, channels, bytes_per_sample);
    size_ = cv::Size(static_cast<int>(width), static_cast<int>(height));
    type_ = CV_MAKETYPE(bytes_per_sample == 2 ? CV_16U : CV_8U, channels);
    return true;
  }

  void read_row(std::uint8_t* row) override {
    if (setjmp(png_jmpbuf(png_))) fail();
    png_read_row(png_, row, nullptr);
  }

  void finish() override {
    if (setjmp(png_jmpbuf(png_))) fail();
    png_read_end(png_, nullptr);  // the chunks after the image, their checksums and IEND
  }

 private:
  [[noreturn]] void fail() {
    throw Error(state_.errors.name, "is corrupt or truncated: libpng: " + state_.errors.message);
  }

  FilePtr file_;
  PngState state_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

class PngRowWriter : public EncodingRowWriter {
 public:
  explicit PngRowWriter(std::FILE* file) {
    state_.file = file;
    state_.errors.name = "PNG encoder";
  }
  ~PngRowWriter() override { png_destroy_write_struct(&png_, &info_); }

  void start(cv::Size size, int type, const WriteOptions& options, const Metadata& metadata) {
    static constexpr int kColourTypes[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                           PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    const int channels = CV_MAT_CN(type), depth = CV_MAT_DEPTH(type);
    CV_Assert(channels >= 1 && channels <= 4 && (depth == CV_8U || depth == CV_16U));
    png_ = create_png_writer(state_.errors);
    if (png_ == nullptr) throw WriteFailure("libpng cannot start");
    info_ = png_create_info_struct(png_);
    if (info_ == nullptr) throw WriteFailure("libpng cannot start");
    if (setjmp(png_jmpbuf(png_))) fail();
    png_set_write_fn(png_, &state_, write_file, flush_nothing);
    if (options.compression >= 0) {
      png_set_compression_level(png_, options.compression);
    } else {  // png_codec.cpp's default, OpenCV's
      png_set_filter(png_, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
      png_set_compression_level(png_, Z_BEST_SPEED);
      png_set_compression_strategy(png_, Z_RLE);
    }
    png_set_IHDR(png_, info_, size.width, size.height, depth == CV_16U ? 16 : 8,
                 kColourTypes[channels], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
                 PNG_FILTER_TYPE_BASE);
    png_set_benign_errors(png_, 1);  // a profile libpng dislikes is left out, as png_codec.cpp
    write_png_metadata(png_, info_, metadata, channels);
    png_write_info(png_, info_);
    if (depth == CV_16U) png_set_swap(png_);
    if (channels >= 3) png_set_bgr(png_);
  }

  void write_row(const std::uint8_t* row) override {
    if (setjmp(png_jmpbuf(png_))) fail();
    png_write_row(png_, const_cast<png_bytep>(row));
  }

  void close() override {
    if (setjmp(png_jmpbuf(png_))) fail();
    png_write_end(png_, nullptr);  // as png_codec.cpp: every chunk went before the image
  }

 private:
  [[noreturn]] void fail() {
    if (!state_.system_error.empty()) throw WriteFailure(state_.system_error);
    throw WriteFailure("libpng: " + state_.errors.message);
  }

  PngState state_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

}  // namespace

std::unique_ptr<RowReader> png_row_reader(FilePtr file, const std::string& name) {
  auto reader = std::make_unique<PngRowReader>(std::move(file), name);
  if (!reader->start()) return nullptr;
  return reader;
}

std::unique_ptr<EncodingRowWriter> png_row_writer(std::FILE* file, cv::Size size, int type,
                                                  const WriteOptions& options,
                                                  const Metadata& metadata) {
  auto writer = std::make_unique<PngRowWriter>(file);
  writer->start(size, type, options, metadata);
  return writer;
}

}  // namespace sepconv::codec
