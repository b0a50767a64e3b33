// JPEG row by row through libjpeg-turbo's jpeg_read_scanlines / jpeg_write_scanlines, with
// jpeg_codec.cpp's settings: gray, colour as BGR, CMYK/YCCK made BGR; every warning about damaged
// data an error; written at quality 95 unless told otherwise. A progressive JPEG streams too, but
// libjpeg keeps its coefficients (2 bytes a sample) until the last scan.
//
// libjpeg reports errors by longjmp: each function that calls into it sets its own jump point and
// throws after the jump, with no C++ object alive in between.

#include <fmt/format.h>

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

#include "core/error.hpp"
#include "io/jpeg_errors.hpp"
#include "io/metadata_codecs.hpp"
#include "io/row_codecs.hpp"

namespace sepconv::codec {
namespace {

/// jpeg_codec.cpp's conversion of Adobe's inverted CMYK: R = c k / 255 and so on.
void cmyk_row_to_bgr(const std::uint8_t* cmyk, std::uint8_t* bgr, int width) {
  for (int x = 0; x < width; ++x, cmyk += 4, bgr += 3) {
    const int k = cmyk[3];
    bgr[0] = static_cast<std::uint8_t>((cmyk[2] * k + 127) / 255);
    bgr[1] = static_cast<std::uint8_t>((cmyk[1] * k + 127) / 255);
    bgr[2] = static_cast<std::uint8_t>((cmyk[0] * k + 127) / 255);
  }
}

class JpegRowReader : public RowReader {
 public:
  JpegRowReader(FilePtr file, const std::string& name) : file_(std::move(file)) {
    errors_.name = name;
  }
  ~JpegRowReader() override {
    if (created_) jpeg_destroy_decompress(&info_);
  }

  /// Reads the header (and the metadata with its orientation) and starts decoding.
  bool start() {
    use_jpeg_errors(errors_, info_.err);
    if (setjmp(errors_.jump)) fail();
    jpeg_create_decompress(&info_);
    created_ = true;
    progress_.progress_monitor = stop_after_too_many_scans;
    info_.progress = &progress_;
    jpeg_stdio_src(&info_, file_.get());
    save_jpeg_metadata_markers(&info_);
    jpeg_read_header(&info_, TRUE);
    read_jpeg_metadata(&info_, metadata_);
    cmyk_ = info_.jpeg_color_space == JCS_CMYK || info_.jpeg_color_space == JCS_YCCK;
    const bool gray = info_.num_components == 1;
    info_.out_color_space = gray ? JCS_GRAYSCALE : cmyk_ ? JCS_CMYK : JCS_EXT_BGR;
    const int channels = gray ? 1 : 3;
    check_decoded_size(errors_.name, info_.image_width, info_.image_height, cmyk_ ? 4 : channels,
                       1);
    jpeg_start_decompress(&info_);
    size_ = cv::Size(static_cast<int>(info_.output_width), static_cast<int>(info_.output_height));
    type_ = CV_8UC(channels);
    if (cmyk_) cmyk_row_.resize(std::size_t{info_.output_width} * 4);
    return true;
  }

  void read_row(std::uint8_t* row) override {
    if (!cmyk_) return read_scanline(row);
    read_scanline(cmyk_row_.data());
    cmyk_row_to_bgr(cmyk_row_.data(), row, size_.width);
  }

  void finish() override {
    if (setjmp(errors_.jump)) fail();
    jpeg_finish_decompress(&info_);
  }

 private:
  /// The jump point in a function of its own, so no caller's variable lives across it.
  void read_scanline(JSAMPROW target) {
    if (setjmp(errors_.jump)) fail();
    jpeg_read_scanlines(&info_, &target, 1);
  }

 private:
  [[noreturn]] void fail() {
    throw Error(errors_.name, "is corrupt or truncated: libjpeg: " + errors_.message);
  }

  FilePtr file_;
  JpegErrors errors_;
  jpeg_decompress_struct info_{};
  jpeg_progress_mgr progress_{};
  bool created_ = false;
  bool cmyk_ = false;
  std::vector<std::uint8_t> cmyk_row_;
};

class JpegRowWriter : public EncodingRowWriter {
 public:
  explicit JpegRowWriter(std::FILE* file) : file_(file) { errors_.name = "JPEG encoder"; }
  ~JpegRowWriter() override {
    if (created_) jpeg_destroy_compress(&info_);
  }

  void start(cv::Size size, int type, const WriteOptions& options, const Metadata& metadata) {
    CV_Assert(CV_MAT_DEPTH(type) == CV_8U && CV_MAT_CN(type) >= 1 && CV_MAT_CN(type) <= 4);
    // JPEG has no alpha: gray+alpha is written as gray (write_row takes the first sample of each
    // pixel), BGRA as BGR (libjpeg-turbo skips the X).
    channels_ = CV_MAT_CN(type);
    const int components = channels_ == 2 ? 1 : channels_;
    if (channels_ == 2) gray_row_.resize(size.width);
    use_jpeg_errors(errors_, info_.err);
    if (setjmp(errors_.jump)) fail();
    jpeg_create_compress(&info_);
    created_ = true;
    jpeg_stdio_dest(&info_, file_);
    info_.image_width = static_cast<JDIMENSION>(size.width);
    info_.image_height = static_cast<JDIMENSION>(size.height);
    static constexpr J_COLOR_SPACE kSpaces[] = {JCS_UNKNOWN, JCS_GRAYSCALE, JCS_UNKNOWN,
                                                JCS_EXT_BGR, JCS_EXT_BGRX};
    info_.input_components = components;
    info_.in_color_space = kSpaces[components];
    jpeg_set_defaults(&info_);
    jpeg_set_quality(&info_, options.quality > 0 ? options.quality : 95, TRUE);
    jpeg_start_compress(&info_, TRUE);
    write_jpeg_metadata(&info_, metadata, components);
  }

  void write_row(const std::uint8_t* row) override {
    if (channels_ != 2) return write_scanline(const_cast<JSAMPROW>(row));
    for (std::size_t x = 0; x < gray_row_.size(); ++x) gray_row_[x] = row[2 * x];
    write_scanline(gray_row_.data());
  }

  void close() override {
    if (setjmp(errors_.jump)) fail();
    jpeg_finish_compress(&info_);
    // jpeg_stdio_dest reports a failed fwrite as an error, but only at the end: check the stream.
    if (std::ferror(file_)) throw WriteFailure(std::strerror(errno != 0 ? errno : EIO));
  }

 private:
  /// The jump point in a function of its own, so no caller's variable lives across it.
  void write_scanline(JSAMPROW source) {
    if (setjmp(errors_.jump)) fail();
    jpeg_write_scanlines(&info_, &source, 1);
  }

  [[noreturn]] void fail() {
    const int error = errno;  // libjpeg's stdio writer stops right after a short fwrite
    if (std::ferror(file_)) throw WriteFailure(std::strerror(error != 0 ? error : EIO));
    throw WriteFailure("libjpeg: " + errors_.message);
  }

  std::FILE* file_;
  JpegErrors errors_;
  jpeg_compress_struct info_{};
  bool created_ = false;
  int channels_ = 1;
  std::vector<std::uint8_t> gray_row_;
};

}  // namespace

std::unique_ptr<RowReader> jpeg_row_reader(FilePtr file, const std::string& name) {
  auto reader = std::make_unique<JpegRowReader>(std::move(file), name);
  if (!reader->start()) return nullptr;
  return reader;
}

std::unique_ptr<EncodingRowWriter> jpeg_row_writer(std::FILE* file, cv::Size size, int type,
                                                   const WriteOptions& options,
                                                   const Metadata& metadata) {
  auto writer = std::make_unique<JpegRowWriter>(file);
  writer->start(size, type, options, metadata);
  return writer;
}

}  // namespace sepconv::codec
