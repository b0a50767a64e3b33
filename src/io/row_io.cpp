#include "io/row_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/image_header.hpp"
#include "io/image_io.hpp"
#include "io/row_codecs.hpp"

namespace sepconv {
namespace fs = std::filesystem;
using codec::FilePtr;
using codec::Format;

namespace {

/// Large enough that stdio reads and writes the file in few system calls.
constexpr std::size_t kFileBuffer = std::size_t{1} << 18;

std::string lowercase_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

/// read_image's checks before decoding, with its words: the file's own size against --max-bytes,
/// and for PNG and JPEG the structure walk (chunk checksums, markers to the end) and the pixel
/// limit from the header.
void check_before_decoding(const std::string& path, std::uint64_t file_size, Format format) {
  if (file_size > max_bytes()) {
    throw Error(path, fmt::format("is {} bytes, more than the limit of {} (--max-bytes)", file_size,
                                  max_bytes()));
  }
  if (file_size == 0) throw Error(path, "is empty");
  if (format != Format::png && format != Format::jpeg) return;
  const ImageHeader header = inspect_image(FileSource(path));
  if (!header.problem.empty()) throw Error(path, header.problem);
  if (header.known_size() && header.pixels() > max_pixels()) {
    throw Error(path, fmt::format("is {}x{} = {} pixels, more than the limit of {} (--max-pixels)",
                                  header.width, header.height, header.pixels(), max_pixels()));
  }
}

}  // namespace

std::unique_ptr<RowReader> open_row_reader(const std::string& path) {
  // Only regular files: a pipe could not be read again by read_image when the format turns out
  // not to stream, and standard input is bounded by read_image_from.
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return nullptr;
  FilePtr file(std::fopen(path.c_str(), "rbe"));
  if (!file) return nullptr;  // read_image gives the reason
  std::setvbuf(file.get(), nullptr, _IOFBF, kFileBuffer);
  std::uint8_t head[16] = {};
  const std::size_t got = std::fread(head, 1, sizeof head, file.get());
  const Format format = codec::sniff_format(head, got);
  if (format != Format::png && format != Format::jpeg && format != Format::pnm &&
      format != Format::tiff) {
    return nullptr;
  }
  check_before_decoding(path, static_cast<std::uint64_t>(info.st_size), format);
  std::rewind(file.get());
  std::unique_ptr<RowReader> reader;
  switch (format) {
    case Format::png:
      reader = codec::png_row_reader(std::move(file), path);
      break;
    case Format::jpeg:
      reader = codec::jpeg_row_reader(std::move(file), path);
      break;
    case Format::tiff:
      reader = codec::tiff_row_reader(std::move(file), path);
      break;
    default:
      reader = codec::pnm_row_reader(std::move(file), path);
  }
  // Turning the image needs all of it (orientation 6 makes the first output row the first column);
  // with --no-autorotate the stored rows are the output's, and the tag goes with them. The
  // orientation is the one read_image sees: io/metadata's, for every format.
  if (reader && autorotate() && reader->metadata().orientation != 1) return nullptr;
  return reader;
}

bool can_write_rows(const std::string& output, int type) {
  const std::string path = output_file_name(output);
  if (!unsupported_output_reason(output, CV_MAT_DEPTH(type)).empty()) return false;
  const int channels = CV_MAT_CN(type);
  switch (codec::format_for_extension(lowercase_extension(path))) {
    case Format::png:
    case Format::jpeg:
    case Format::tiff:
      return true;
    case Format::pnm:  // the whole-image writer drops alpha
      return channels == 1 || channels == 3;
    default:
      return false;
  }
}

void write_rows_atomically(const std::string& output, cv::Size size, int type,
                           const std::function<void(RowWriter&)>& produce,
                           const Metadata& metadata) {
  const std::string path = output_file_name(output);
  CV_Assert(can_write_rows(output, type));
  if (const std::string reason = unsupported_output_size_reason(path, size); !reason.empty()) {
    throw Error(path, reason);
  }
  const codec::WriteOptions options = codec::output_write_options(output);
  const Metadata carried = strip_metadata() ? Metadata{} : metadata;
  const Format format = codec::format_for_extension(lowercase_extension(path));
  replace_atomically(path, [&](const std::string& temporary) -> std::string {
    FilePtr file(std::fopen(temporary.c_str(), "wbe"));
    if (!file) return std::strerror(errno);
    std::setvbuf(file.get(), nullptr, _IOFBF, kFileBuffer);
    try {
      std::unique_ptr<codec::EncodingRowWriter> writer;
      if (format == Format::png) {
        writer = codec::png_row_writer(file.get(), size, type, options, carried);
      } else if (format == Format::jpeg) {
        writer = codec::jpeg_row_writer(file.get(), size, type, options, carried);
      } else if (format == Format::tiff) {
        writer = codec::tiff_row_writer(file.get(), size, type, options, carried);
      } else {
        writer = codec::pnm_row_writer(file.get(), size, type);
      }
      produce(*writer);  // an Error from here names its own subject and passes on
      writer->close();
    } catch (const codec::WriteFailure& failure) {
      return failure.what();
    }
    errno = 0;
    if (std::fflush(file.get()) != 0 || std::ferror(file.get())) {
      return std::strerror(errno != 0 ? errno : EIO);
    }
    if (std::fclose(file.release()) != 0) return std::strerror(errno);
    return "";
  });
}

}  // namespace sepconv
