#pragma once
// Images read and written a row at a time, so a large image never has to be in memory whole: the
// decoder reads the file as rows are asked for, and the encoder writes each row as it is given.
// The pixels are exactly those read_image returns and write_image_atomically writes (colour as
// BGR(A), 16-bit samples in host order), and the same limits and damage checks apply.
//
// Row by row: PNG (not interlaced), JPEG (baseline; progressive too, inside libjpeg's own
// coefficient buffer), binary PGM/PPM, TIFF (8/16-bit and float32 gray or RGB(A), contiguous
// samples, strips or tiles; a strip or a row of tiles at a time). Everything else (interlaced PNG,
// planar or palette TIFF, WebP, PFM, the OpenCV fallback, standard input) is read whole by
// read_image.

#include <functional>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "io/metadata.hpp"

namespace sepconv {

/// Reads an image's rows in order, top to bottom.
class RowReader {
 public:
  virtual ~RowReader() = default;
  /// The image's size and OpenCV type (CV_8UC3 ...), known from the header.
  cv::Size size() const { return size_; }
  int type() const { return type_; }
  /// The EXIF, ICC and XMP blocks found before the pixels, and the stored orientation.
  const Metadata& metadata() const { return metadata_; }
  /// Decodes the next row into `row` (size().width pixels of type()). Throws Error naming the file
  /// when the data is damaged or truncated.
  virtual void read_row(std::uint8_t* row) = 0;
  /// After the last row: reads what follows the pixels (checksums, the end marker) so damage
  /// there is an error too.
  virtual void finish() = 0;

 protected:
  cv::Size size_;
  int type_ = 0;
  Metadata metadata_;
};

/// Opens `path` for reading row by row, or returns null when its format cannot be read so, or when
/// its EXIF Orientation must be applied (autorotate()): then read_image reads it whole. Like
/// read_image it refuses, with an Error naming the file, a missing or unreadable file, a file or
/// image larger than the limits (checked from the header, before any pixel is decoded), and a PNG
/// or JPEG whose structure is damaged.
std::unique_ptr<RowReader> open_row_reader(const std::string& path);

/// Takes the rows of one image, top to bottom.
class RowWriter {
 public:
  virtual ~RowWriter() = default;
  /// Encodes the next row (width pixels of the type given when the writer was made).
  virtual void write_row(const std::uint8_t* row) = 0;
};

/// Whether write_rows_atomically can write `type` pixels into `output` (a path, possibly with
/// encoder options: "out.png[compression=9]"): PNG, JPEG, binary PGM/PPM and TIFF of the depths
/// those formats hold. unsupported_output_reason() gives the reason for the others.
bool can_write_rows(const std::string& output, int type);

/// Writes an image of `size` and `type` to `output` row by row: `produce` is called once with a
/// writer and must give it every row. The rows go to a temporary file beside the target that is
/// renamed into place only when all of them are written, so any failure (an Error thrown by
/// `produce`, which is passed on unchanged, or a write error) leaves `output` untouched.
/// `metadata` goes into PNG and JPEG outputs as write_image_atomically puts it.
void write_rows_atomically(const std::string& output, cv::Size size, int type,
                           const std::function<void(RowWriter&)>& produce,
                           const Metadata& metadata = Metadata{});

}  // namespace sepconv
