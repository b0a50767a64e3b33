#pragma once
// The row readers and writers behind row_io.hpp, one file per library (png_rows.cpp,
// jpeg_rows.cpp, pnm_rows.cpp, tiff_rows.cpp). Internal to io/. Each mirrors the whole-image codec
// of the same format (png_codec.cpp ...) setting for setting, so both give the same pixels and the
// same bytes.

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "io/codecs.hpp"
#include "io/row_io.hpp"

namespace sepconv::codec {

/// Closes a stdio file however its owner ends.
struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

/// A failure of a row writer (a full disk, the encoder's own error): write_rows_atomically turns
/// it into "OUTPUT: cannot be written: REASON", where an Error from the rows' producer passes on.
class WriteFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Row readers on a file positioned at its start; `name` names it in errors. Null when this image
/// cannot be read row by row (an interlaced PNG, a PFM, a planar TIFF).
std::unique_ptr<RowReader> png_row_reader(FilePtr file, const std::string& name);
std::unique_ptr<RowReader> jpeg_row_reader(FilePtr file, const std::string& name);
std::unique_ptr<RowReader> pnm_row_reader(FilePtr file, const std::string& name);
std::unique_ptr<RowReader> tiff_row_reader(FilePtr file, const std::string& name);

/// A row writer whose rows are encoded into `file` (not owned). close() writes what follows the
/// last row; errors throw WriteFailure.
class EncodingRowWriter : public RowWriter {
 public:
  virtual void close() = 0;
};

std::unique_ptr<EncodingRowWriter> png_row_writer(std::FILE* file, cv::Size size, int type,
                                                  const WriteOptions& options,
                                                  const Metadata& metadata);
std::unique_ptr<EncodingRowWriter> jpeg_row_writer(std::FILE* file, cv::Size size, int type,
                                                   const WriteOptions& options,
                                                   const Metadata& metadata);
std::unique_ptr<EncodingRowWriter> pnm_row_writer(std::FILE* file, cv::Size size, int type);
std::unique_ptr<EncodingRowWriter> tiff_row_writer(std::FILE* file, cv::Size size, int type,
                                                   const WriteOptions& options,
                                                   const Metadata& metadata);

/// The encoder settings an output name means: the defaults (--quality, --compression) with its
/// "[Q=90]" suffix applied (image_io.cpp).
WriteOptions output_write_options(const std::string& output);

}  // namespace sepconv::codec
