// TIFF row by row through libtiff, as tiff_codec.cpp reads and writes it whole: a strip or a row of
// tiles is decoded at a time (within --max-bytes, as there), and rows are written with
// TIFFWriteScanline with the same tags, compression, predictor and strip height, so both give the
// same pixels and bytes. Streamed: 8/16-bit unsigned and float32 gray or RGB(A) with contiguous
// samples. Planar files (a row needs every plane), other sample types and the layouts libtiff's
// RGBA reader converts (palette, CMYK, YCbCr) are read whole.
//
// libtiff's messages go through per-file handlers; the first error, or a warning about damage,
// fails the file.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "io/image_io.hpp"
#include "io/metadata_codecs.hpp"
#include "io/row_codecs.hpp"
#include "io/tiff_errors.hpp"

namespace sepconv::codec {
namespace {

/// The open file libtiff reads or writes, and the first error it reported (io/tiff_errors).
struct TiffFile : TiffMessages {
  std::FILE* file = nullptr;
  std::string system_error;  ///< why a write failed ("File too large"), said as the system says it
};

tmsize_t read_proc(thandle_t handle, void* buffer, tmsize_t count) {
  auto* f = static_cast<TiffFile*>(handle);
  return static_cast<tmsize_t>(std::fread(buffer, 1, static_cast<std::size_t>(count), f->file));
}

tmsize_t write_proc(thandle_t handle, void* buffer, tmsize_t count) {
  auto* f = static_cast<TiffFile*>(handle);
  const std::size_t n = std::fwrite(buffer, 1, static_cast<std::size_t>(count), f->file);
  if (n == static_cast<std::size_t>(count)) return count;
  if (f->system_error.empty()) f->system_error = std::strerror(errno);
  return -1;
}

toff_t seek_proc(thandle_t handle, toff_t offset, int whence) {
  auto* f = static_cast<TiffFile*>(handle);
  if (fseeko(f->file, static_cast<off_t>(offset), whence) != 0) return static_cast<toff_t>(-1);
  return static_cast<toff_t>(ftello(f->file));
}

int close_proc(thandle_t) {
  return 0;
}

toff_t size_proc(thandle_t handle) {
  auto* f = static_cast<TiffFile*>(handle);
  std::fflush(f->file);
  struct stat info {};
  return ::fstat(fileno(f->file), &info) == 0 ? static_cast<toff_t>(info.st_size) : 0;
}

int map_proc(thandle_t, void**, toff_t*) {
  return 0;
}

void unmap_proc(thandle_t, void*, toff_t) {}

TiffHandle open_file(TiffFile& f, const char* mode) {
  const TiffProcs procs{read_proc, write_proc, seek_proc, close_proc,
                        size_proc, map_proc,   unmap_proc};
  return open_tiff(&f, procs, mode, f);
}

template <typename T>
T field(TIFF* tiff, ttag_t tag, T fallback) {
  T value = fallback;
  if (TIFFGetFieldDefaulted(tiff, tag, &value) != 1) return fallback;
  return value;
}

/// RGB(A) <-> BGR(A) in place, samples of `bytes` bytes.
void swap_red_blue(std::uint8_t* row, int width, int channels, int bytes) {
  for (int x = 0; x < width; ++x) {
    std::uint8_t* pixel = row + std::size_t(x) * channels * bytes;
    for (int b = 0; b < bytes; ++b) std::swap(pixel[b], pixel[2 * bytes + b]);
  }
}

class TiffRowReader : public RowReader {
 public:
  TiffRowReader(FilePtr file, const std::string& name) : file_(std::move(file)) {
    f_.file = file_.get();
    f_.name = name;
  }

  /// Reads the first directory (and the metadata with its Orientation tag); false when its layout
  /// is not streamed.
  bool start() {
    tiff_ = open_file(f_, "r");
    check(tiff_ != nullptr);
    TIFF* t = tiff_.get();
    const auto width = field<std::uint32_t>(t, TIFFTAG_IMAGEWIDTH, 0);
    const auto height = field<std::uint32_t>(t, TIFFTAG_IMAGELENGTH, 0);
    channels_ = field<std::uint16_t>(t, TIFFTAG_SAMPLESPERPIXEL, 1);
    const auto bits = field<std::uint16_t>(t, TIFFTAG_BITSPERSAMPLE, 1);
    const auto format = field<std::uint16_t>(t, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
    const auto photometric = field<std::uint16_t>(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    const auto planar = field<std::uint16_t>(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    const auto compression = field<std::uint16_t>(t, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
    read_tiff_metadata(t, metadata_);
    check();
    int depth = -1;
    if (format == SAMPLEFORMAT_UINT && (bits == 8 || bits == 16))
      depth = bits == 8 ? CV_8U : CV_16U;
    if (format == SAMPLEFORMAT_IEEEFP && bits == 32) depth = CV_32F;
    const bool gray =
        (photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE) &&
        channels_ <= 2;
    const bool colour = photometric == PHOTOMETRIC_RGB && (channels_ == 3 || channels_ == 4);
    if (depth < 0 || !(gray || colour) || compression == COMPRESSION_JPEG ||
        (planar != PLANARCONFIG_CONTIG && channels_ > 1)) {
      return false;
    }
    check_decoded_size(f_.name, width, height, channels_, CV_ELEM_SIZE1(depth));
    invert_ = photometric == PHOTOMETRIC_MINISWHITE && depth != CV_32F;
    size_ = cv::Size(static_cast<int>(width), static_cast<int>(height));
    type_ = CV_MAKETYPE(depth, channels_);
    row_bytes_ = std::size_t(width) * CV_ELEM_SIZE(type_);
    return TIFFIsTiled(t) ? start_tiles() : start_strips();
  }

  void read_row(std::uint8_t* row) override {
    if (next_ == block_end_) read_block();
    std::memcpy(row, block_.data() + (next_ - block_start_) * row_bytes_, row_bytes_);
    ++next_;
    const int bytes = static_cast<int>(CV_ELEM_SIZE1(type_));
    if (invert_) {  // white is 0: make it the maximum, as gray is read
      for (int x = 0; x < size_.width; ++x) {
        std::uint8_t* sample = row + std::size_t(x) * channels_ * bytes;
        for (int b = 0; b < bytes; ++b) sample[b] = static_cast<std::uint8_t>(~sample[b]);
      }
    }
    if (channels_ >= 3) swap_red_blue(row, size_.width, channels_, bytes);
  }

  void finish() override { check(); }

 private:
  bool start_strips() {
    rows_per_block_ = std::min<std::uint32_t>(
        field<std::uint32_t>(tiff_.get(), TIFFTAG_ROWSPERSTRIP, size_.height), size_.height);
    strip_bytes_ = TIFFStripSize(tiff_.get());
    check_block_size(static_cast<std::uint64_t>(std::max<tmsize_t>(strip_bytes_, 0)));
    block_.resize(static_cast<std::size_t>(strip_bytes_));
    return true;
  }

  bool start_tiles() {
    tile_width_ = field<std::uint32_t>(tiff_.get(), TIFFTAG_TILEWIDTH, 0);
    rows_per_block_ = field<std::uint32_t>(tiff_.get(), TIFFTAG_TILELENGTH, 0);
    const tmsize_t tile_bytes = TIFFTileSize(tiff_.get());
    check_block_size(static_cast<std::uint64_t>(std::max<tmsize_t>(tile_bytes, 0)));
    if (tile_width_ == 0 || rows_per_block_ == 0) check(false);
    tile_.resize(static_cast<std::size_t>(tile_bytes));
    block_.resize(row_bytes_ * rows_per_block_);
    return true;
  }

  /// The next strip, or the next row of tiles, into block_.
  void read_block() {
    block_start_ = next_;
    const std::uint32_t y = static_cast<std::uint32_t>(next_);
    const std::uint32_t rows =
        std::min<std::uint32_t>(rows_per_block_, static_cast<std::uint32_t>(size_.height) - y);
    block_end_ = next_ + static_cast<int>(rows);
    if (tile_width_ == 0) {
      const tmsize_t got = TIFFReadEncodedStrip(tiff_.get(), TIFFComputeStrip(tiff_.get(), y, 0),
                                                block_.data(), strip_bytes_);
      check(got >= static_cast<tmsize_t>(rows * row_bytes_));
      return;
    }
    const std::size_t pixel = CV_ELEM_SIZE(type_);
    const std::size_t tile_row = tile_.size() / rows_per_block_;
    for (std::uint32_t x = 0; x < static_cast<std::uint32_t>(size_.width); x += tile_width_) {
      check(TIFFReadTile(tiff_.get(), tile_.data(), x, y, 0, 0) >= 0);
      const std::size_t bytes = std::min<std::size_t>(tile_width_, size_.width - x) * pixel;
      for (std::uint32_t r = 0; r < rows; ++r) {
        std::memcpy(block_.data() + r * row_bytes_ + x * pixel, tile_.data() + r * tile_row, bytes);
      }
    }
  }

  /// tiff_codec.cpp's bound on a tile or strip buffer that a header sets.
  void check_block_size(std::uint64_t block_bytes) {
    constexpr std::uint64_t kAlwaysFine = 16 << 20;
    const std::uint64_t image_bytes = std::uint64_t(row_bytes_) * size_.height;
    if (block_bytes == 0) check(false);
    if (block_bytes > max_bytes() || (block_bytes > kAlwaysFine && block_bytes > 4 * image_bytes)) {
      throw Error(f_.name, fmt::format("is corrupt: a TIFF tile or strip of {} bytes for an image "
                                       "of {} bytes (limit {}, --max-bytes)",
                                       block_bytes, image_bytes, max_bytes()));
    }
  }

  /// Throws the first error libtiff reported (or a damage warning), naming the file.
  void check(bool ok = true) const {
    if (!f_.error.empty()) throw Error(f_.name, "is corrupt or truncated: libtiff: " + f_.error);
    if (!ok) throw Error(f_.name, "is corrupt or truncated: libtiff failed without a reason");
  }

  FilePtr file_;
  TiffFile f_;
  TiffHandle tiff_;  // after f_, which its handlers use until it is closed
  int channels_ = 1;
  bool invert_ = false;
  std::size_t row_bytes_ = 0;
  std::uint32_t rows_per_block_ = 0, tile_width_ = 0;
  tmsize_t strip_bytes_ = 0;
  std::vector<std::uint8_t> block_, tile_;
  int next_ = 0, block_start_ = 0, block_end_ = 0;
};

class TiffRowWriter : public EncodingRowWriter {
 public:
  explicit TiffRowWriter(std::FILE* file) {
    f_.file = file;
    f_.name = "TIFF encoder";
  }

  void start(cv::Size size, int type, const WriteOptions& options, const Metadata& metadata) {
    const int depth = CV_MAT_DEPTH(type);
    channels_ = CV_MAT_CN(type);
    bytes_ = CV_ELEM_SIZE1(type);
    row_.resize(std::size_t(size.width) * CV_ELEM_SIZE(type));
    width_ = size.width;
    // Classic TIFF offsets are 32-bit: BigTIFF past about 3 GiB, as tiff_codec.cpp decides.
    const std::uint64_t total = std::uint64_t(row_.size()) * size.height;
    tiff_ = open_file(f_, total > (std::uint64_t{3} << 30) ? "w8" : "w");
    if (!tiff_) fail();
    TIFF* t = tiff_.get();
    const bool is_float = depth == CV_32F;
    int compression = is_float ? COMPRESSION_ADOBE_DEFLATE : COMPRESSION_LZW;
    if (options.tiff_compression == "none") compression = COMPRESSION_NONE;
    if (options.tiff_compression == "lzw") compression = COMPRESSION_LZW;
    if (options.tiff_compression == "deflate") compression = COMPRESSION_ADOBE_DEFLATE;
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(size.width));
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(size.height));
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, static_cast<std::uint16_t>(8 * bytes_));
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, static_cast<std::uint16_t>(channels_));
    TIFFSetField(t, TIFFTAG_SAMPLEFORMAT,
                 is_float          ? SAMPLEFORMAT_IEEEFP
                 : depth == CV_16S ? SAMPLEFORMAT_INT
                                   : SAMPLEFORMAT_UINT);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, channels_ >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
    if (channels_ == 2 || channels_ == 4) {
      const std::uint16_t extra[] = {EXTRASAMPLE_UNASSALPHA};
      TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, extra);
    }
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_COMPRESSION, compression);
    if (compression != COMPRESSION_NONE) {
      TIFFSetField(t, TIFFTAG_PREDICTOR, is_float ? PREDICTOR_FLOATINGPOINT : PREDICTOR_HORIZONTAL);
    }
    const std::uint32_t rows_per_strip =
        static_cast<std::uint32_t>(std::max<std::size_t>(1, (256 << 10) / row_.size()));
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP,
                 std::min<std::uint32_t>(rows_per_strip, static_cast<std::uint32_t>(size.height)));
    write_tiff_metadata(t, metadata, channels_);
    if (!f_.error.empty()) fail();
  }

  void write_row(const std::uint8_t* row) override {
    // A copy: TIFF stores RGB(A), and the predictors change the row in place.
    std::memcpy(row_.data(), row, row_.size());
    if (channels_ >= 3) swap_red_blue(row_.data(), width_, channels_, bytes_);
    if (TIFFWriteScanline(tiff_.get(), row_.data(), next_++, 0) != 1 || !f_.error.empty()) fail();
  }

  void close() override {
    if (TIFFWriteDirectory(tiff_.get()) != 1 || !f_.error.empty()) fail();
    tiff_.reset();  // flushes
    if (!f_.error.empty()) fail();
  }

 private:
  [[noreturn]] void fail() const {
    if (!f_.system_error.empty()) throw WriteFailure(f_.system_error);
    throw WriteFailure("libtiff: " + (f_.error.empty() ? std::string("failed") : f_.error));
  }

  TiffFile f_;
  TiffHandle tiff_;
  int channels_ = 1, bytes_ = 1, width_ = 0;
  std::uint32_t next_ = 0;
  std::vector<std::uint8_t> row_;
};

}  // namespace

std::unique_ptr<RowReader> tiff_row_reader(FilePtr file, const std::string& name) {
  auto reader = std::make_unique<TiffRowReader>(std::move(file), name);
  if (!reader->start()) return nullptr;
  return reader;
}

std::unique_ptr<EncodingRowWriter> tiff_row_writer(std::FILE* file, cv::Size size, int type,
                                                   const WriteOptions& options,
                                                   const Metadata& metadata) {
  auto writer = std::make_unique<TiffRowWriter>(file);
  writer->start(size, type, options, metadata);
  return writer;
}

}  // namespace sepconv::codec
