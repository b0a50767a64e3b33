#pragma once
// Looking at an image file before OpenCV decodes it: its size from the header, so the pixel limit
// is checked before anything is allocated, and the structural damage the decoders would only
// report on stderr (a truncated PNG or JPEG, a PNG chunk with a bad checksum) as a reason.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sepconv {

/// Random access to the bytes of an image: a file (read in blocks as needed) or a buffer.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// The total number of bytes.
  virtual std::uint64_t size() const = 0;
  /// Up to `count` bytes from `offset`; fewer at the end of the data, none past it.
  virtual std::string read(std::uint64_t offset, std::size_t count) const = 0;
};

/// The bytes of an open file. Throws Error naming `path` when it cannot be opened.
class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::uint64_t size() const override { return size_; }
  std::string read(std::uint64_t offset, std::size_t count) const override;

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

/// Bytes already in memory (standard input, a fuzzer's input). Does not copy them.
class BufferSource : public ByteSource {
 public:
  BufferSource(const unsigned char* data, std::size_t size) : data_(data), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::string read(std::uint64_t offset, std::size_t count) const override;

 private:
  const unsigned char* data_;
  std::size_t size_;
};

/// What the header says about an image.
struct ImageHeader {
  std::string format;  ///< "PNG", "JPEG", "TIFF", "BMP", "PNM", "WebP", "Sun raster"; empty if not
                       ///< one of these (OpenCV may still read it)
  std::uint64_t width = 0, height = 0;  ///< 0 when the header was not found or does not say
  std::string problem;  ///< why the file cannot be a whole image; empty when none was found

  bool known_size() const { return width > 0 && height > 0; }
  /// width x height; cannot overflow, both come from at most 32-bit fields.
  std::uint64_t pixels() const { return width * height; }
};

/// Reads the size from the header of PNG (IHDR), JPEG (SOF), TIFF and BigTIFF (tags 256, 257 of the
/// first IFD), BMP, PNM/PAM/PFM, WebP (VP8, VP8L, VP8X) and Sun raster files. For PNG it also
/// walks every chunk (checksums, and a final IEND), and for JPEG every marker up to the
/// end-of-image marker, since libpng and libjpeg report those faults only on stderr (and libjpeg
/// decodes a truncated file as grey without failing).
ImageHeader inspect_image(const ByteSource& source);

/// The CRC-32 of PNG and zlib (polynomial 0xEDB88320), continuing from `crc`.
std::uint32_t crc32(std::uint32_t crc, const std::string& bytes);

}  // namespace sepconv
