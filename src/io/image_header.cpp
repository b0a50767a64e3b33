#include "io/image_header.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace sepconv {
namespace {

// ---------------------------------------------------------------------------------------------
// Reading numbers out of byte strings; every helper checks the bounds, so a short read is "no
// such field" and never an out-of-range access.

bool has(const std::string& bytes, std::size_t at, std::size_t count) {
  return at <= bytes.size() && count <= bytes.size() - at;
}

std::uint64_t byte_at(const std::string& bytes, std::size_t at) {
  return static_cast<unsigned char>(bytes[at]);
}

std::uint64_t big_endian(const std::string& bytes, std::size_t at, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = value << 8 | byte_at(bytes, at + i);
  return value;
}

std::uint64_t little_endian(const std::string& bytes, std::size_t at, int count) {
  std::uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = value << 8 | byte_at(bytes, at + i);
  return value;
}

bool starts_with(const std::string& bytes, std::string_view prefix) {
  return bytes.compare(0, prefix.size(), prefix) == 0;
}

/// Sizes are kept to 32 bits so width x height cannot overflow; anything larger is refused by the
/// pixel limit anyway.
std::uint64_t capped(std::uint64_t value) {
  return std::min<std::uint64_t>(value, 0xFFFFFFFFu);
}

/// A chunk type or marker for a message: printable, else in hex.
std::string printable(const std::string& name) {
  const bool plain = std::all_of(name.begin(), name.end(),
                                 [](unsigned char c) { return std::isalnum(c) || c == ' '; });
  if (plain) return name;
  std::string hex;
  for (unsigned char c : name) hex += fmt::format("{:02x}", c);
  return "0x" + hex;
}

/// Sequential reading in blocks, for the formats whose structure is walked to the end.
class Cursor {
 public:
  Cursor(const ByteSource& source, std::uint64_t position) : source_(source), position_(position) {}

  std::uint64_t position() const { return position_; }
  void seek(std::uint64_t position) { position_ = position; }
  bool at_end() const { return position_ >= source_.size(); }

  /// The next byte, or -1 at the end.
  int next() {
    if (position_ < block_start_ || position_ >= block_start_ + block_.size()) {
      if (at_end()) return -1;
      block_start_ = position_;
      block_ = source_.read(position_, kBlock);
      if (block_.empty()) return -1;
    }
    return static_cast<unsigned char>(block_[position_++ - block_start_]);
  }

 private:
  static constexpr std::size_t kBlock = 1 << 16;
  const ByteSource& source_;
  std::uint64_t position_;
  std::uint64_t block_start_ = 0;
  std::string block_;
};

// ---------------------------------------------------------------------------------------------
// PNG: the signature, then chunks of length (4, big-endian), type (4), data, CRC-32 of type and
// data (4). IHDR comes first: width (4), height (4). IEND ends the image.

constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";

std::uint32_t chunk_crc(const ByteSource& source, std::uint64_t start, std::uint64_t length) {
  std::uint32_t crc = 0;
  for (std::uint64_t done = 0; done < length;) {
    const std::size_t step =
        static_cast<std::size_t>(std::min<std::uint64_t>(length - done, 1 << 16));
    crc = crc32(crc, source.read(start + done, step));
    done += step;
  }
  return crc;
}

void inspect_png(const ByteSource& source, ImageHeader& header) {
  header.format = "PNG";
  std::uint64_t offset = kPngSignature.size();
  for (bool first = true;; first = false) {
    const std::string head = source.read(offset, 8);
    if (head.size() < 8) {
      header.problem = "is truncated: the PNG ends before its IEND chunk";
      return;
    }
    const std::uint64_t length = big_endian(head, 0, 4);
    const std::string type = head.substr(4, 4);
    if (length > 0x7FFFFFFFu) {
      header.problem =
          fmt::format("is corrupt: PNG chunk {} claims {} bytes", printable(type), length);
      return;
    }
    if (first) {
      const std::string ihdr = source.read(offset + 8, 8);
      if (type != "IHDR" || length != 13 || ihdr.size() < 8) {
        header.problem = "is corrupt: a PNG must start with a 13-byte IHDR chunk";
        return;
      }
      header.width = big_endian(ihdr, 0, 4);
      header.height = big_endian(ihdr, 4, 4);
    }
    if (offset + 12 + length > source.size()) {
      header.problem =
          fmt::format("is truncated: PNG chunk {} runs past the end of the file", printable(type));
      return;
    }
    const std::string stored = source.read(offset + 8 + length, 4);
    if (chunk_crc(source, offset + 4, 4 + length) != big_endian(stored, 0, 4)) {
      header.problem =
          fmt::format("is corrupt: PNG chunk {} fails its checksum (CRC)", printable(type));
      return;
    }
    if (type == "IEND") return;
    offset += 12 + length;
  }
}

// ---------------------------------------------------------------------------------------------
// JPEG: markers 0xFF xx; most are followed by a 2-byte big-endian length that counts itself. The
// frame header (SOFn) holds precision (1), height (2), width (2). After a start of scan (SOS) come
// entropy-coded bytes, where 0xFF is followed by 0x00 (a stuffed byte) or a restart marker.

bool is_frame_marker(int marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/// Skips entropy-coded data; leaves the cursor on the 0xFF of the next marker. False at the end.
bool skip_scan(Cursor& cursor) {
  for (int byte; (byte = cursor.next()) >= 0;) {
    if (byte != 0xFF) continue;
    const std::uint64_t marker_at = cursor.position() - 1;
    int next = cursor.next();
    while (next == 0xFF) next = cursor.next();  // fill bytes
    if (next < 0) return false;
    if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) continue;
    cursor.seek(marker_at);
    return true;
  }
  return false;
}

void inspect_jpeg(const ByteSource& source, ImageHeader& header) {
  header.format = "JPEG";
  const std::string truncated = "is truncated: the JPEG ends before its end-of-image marker";
  Cursor cursor(source, 2);
  for (;;) {
    // libjpeg skips stray bytes before a marker (with a warning), so this does too.
    int byte = cursor.next();
    while (byte >= 0 && byte != 0xFF) byte = cursor.next();
    while (byte == 0xFF) byte = cursor.next();
    if (byte < 0) {
      header.problem = truncated;
      return;
    }
    const int marker = byte;
    if (marker == 0xD9) return;                                          // end of image
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
    const std::string segment = source.read(cursor.position(), 7);
    if (segment.size() < 2) {
      header.problem = truncated;
      return;
    }
    const std::uint64_t length = big_endian(segment, 0, 2);
    if (length < 2) {
      header.problem =
          fmt::format("is corrupt: JPEG marker 0x{:02x} has length {}", marker, length);
      return;
    }
    if (is_frame_marker(marker) && has(segment, 3, 4) && !header.known_size()) {
      header.height = big_endian(segment, 3, 2);
      header.width = big_endian(segment, 5, 2);
    }
    cursor.seek(cursor.position() + length);
    if (marker == 0xDA && !skip_scan(cursor)) {
      header.problem = truncated;
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// TIFF: "II" (little-endian) or "MM" (big-endian), 42 and the offset of the first directory (IFD);
// BigTIFF: 43, 8, 0 and an 8-byte offset. Each IFD entry: tag (2), type (2), count, value. Tag
// 256 is ImageWidth, 257 ImageLength, as SHORT (3), LONG (4) or LONG8 (16).

void inspect_tiff(const ByteSource& source, ImageHeader& header) {
  header.format = "TIFF";
  const std::string head = source.read(0, 16);
  const bool little = head[0] == 'I';
  const auto number = [little](const std::string& bytes, std::size_t at, int count) {
    return little ? little_endian(bytes, at, count) : big_endian(bytes, at, count);
  };
  if (!has(head, 0, 8)) {
    header.problem = "is truncated: the TIFF header is incomplete";
    return;
  }
  const bool big_tiff = number(head, 2, 2) == 43;
  if (big_tiff && !has(head, 0, 16)) {
    header.problem = "is truncated: the BigTIFF header is incomplete";
    return;
  }
  const std::uint64_t directory = big_tiff ? number(head, 8, 8) : number(head, 4, 4);
  const int count_size = big_tiff ? 8 : 2, entry_size = big_tiff ? 20 : 12;
  const std::string count_bytes = source.read(directory, count_size);
  if (directory < 8 || count_bytes.size() < static_cast<std::size_t>(count_size)) {
    header.problem = "is truncated or corrupt: its first TIFF directory is outside the file";
    return;
  }
  // Only the first entries matter: tags are sorted, and 256 and 257 are the smallest in use.
  const std::uint64_t entries = std::min<std::uint64_t>(number(count_bytes, 0, count_size), 64);
  const std::string table = source.read(directory + count_size, entries * entry_size);
  for (std::size_t i = 0; i < entries && has(table, i * entry_size, entry_size); ++i) {
    const std::size_t at = i * entry_size;
    const std::uint64_t tag = number(table, at, 2), type = number(table, at + 2, 2);
    const std::size_t value_at = at + (big_tiff ? 12 : 8);
    std::uint64_t value = 0;
    if (type == 3)
      value = number(table, value_at, 2);
    else if (type == 4)
      value = number(table, value_at, 4);
    else if (type == 16 && big_tiff)
      value = number(table, value_at, 8);
    else
      continue;
    if (tag == 256) header.width = capped(value);
    if (tag == 257) header.height = capped(value);
  }
}

// ---------------------------------------------------------------------------------------------
// BMP: "BM", a 14-byte file header, then the DIB header: its size (4); a 12-byte OS/2 core
// header has 2-byte width and height, the others 4-byte signed ones (height < 0: top-down).

void inspect_bmp(const ByteSource& source, ImageHeader& header) {
  header.format = "BMP";
  const std::string head = source.read(0, 26);
  if (!has(head, 14, 4)) return;
  if (little_endian(head, 14, 4) == 12) {
    if (!has(head, 18, 4)) return;
    header.width = little_endian(head, 18, 2);
    header.height = little_endian(head, 20, 2);
    return;
  }
  if (!has(head, 18, 8)) return;
  const auto width = static_cast<std::int32_t>(little_endian(head, 18, 4));
  const auto height = static_cast<std::int32_t>(little_endian(head, 22, 4));
  if (width > 0) header.width = static_cast<std::uint64_t>(width);
  if (height != 0) header.height = static_cast<std::uint64_t>(std::abs(std::int64_t{height}));
}

// ---------------------------------------------------------------------------------------------
// PNM: "P1".."P6" then width and height as text, with '#' comments; PFM: "PF" or "Pf" then width
// and height; PAM: "P7" then lines such as "WIDTH 640" and "HEIGHT 480" up to "ENDHDR".

/// The next whitespace-separated word of a PNM header, skipping '#' comments.
std::string next_word(const std::string& text, std::size_t& at) {
  for (;;) {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    if (at >= text.size() || text[at] != '#') break;
    while (at < text.size() && text[at] != '\n' && text[at] != '\r') ++at;
  }
  const std::size_t start = at;
  while (at < text.size() && !std::isspace(static_cast<unsigned char>(text[at])) &&
         text[at] != '#') {
    ++at;
  }
  return text.substr(start, at - start);
}

/// A decimal header number, capped; 0 when it is not one.
std::uint64_t header_number(const std::string& word) {
  if (word.empty() || word.size() > 19) return word.empty() ? 0 : 0xFFFFFFFFu;
  std::uint64_t value = 0;
  for (unsigned char c : word) {
    if (!std::isdigit(c)) return 0;
    value = value * 10 + (c - '0');
  }
  return capped(value);
}

void inspect_pnm(const ByteSource& source, ImageHeader& header) {
  header.format = "PNM";
  const std::string text = source.read(0, 4096);
  std::size_t at = 2;
  if (text[1] != '7') {
    header.width = header_number(next_word(text, at));
    header.height = header_number(next_word(text, at));
    return;
  }
  for (std::string word; !(word = next_word(text, at)).empty() && word != "ENDHDR";) {
    if (word == "WIDTH") header.width = header_number(next_word(text, at));
    if (word == "HEIGHT") header.height = header_number(next_word(text, at));
  }
}

bool is_pnm(const std::string& head) {
  return head.size() >= 3 && head[0] == 'P' &&
         std::string_view("1234567Ff").find(head[1]) != std::string_view::npos &&
         std::isspace(static_cast<unsigned char>(head[2]));
}

// ---------------------------------------------------------------------------------------------
// WebP: "RIFF", size, "WEBP", then the first chunk's type (4), size (4) and data: lossy "VP8 "
// (frame tag (3), 9d 01 2a, 14-bit width and height), lossless "VP8L" (0x2f, then width - 1 and
// height - 1 in 14 bits each) or extended "VP8X" (flags (4), 24-bit width - 1, height - 1).

void inspect_webp(const ByteSource& source, ImageHeader& header) {
  header.format = "WebP";
  const std::string head = source.read(0, 30);
  if (!has(head, 12, 18)) return;
  const std::string chunk = head.substr(12, 4);
  if (chunk == "VP8 " && big_endian(head, 23, 3) == 0x9D012A) {
    header.width = little_endian(head, 26, 2) & 0x3FFF;
    header.height = little_endian(head, 28, 2) & 0x3FFF;
  } else if (chunk == "VP8L" && byte_at(head, 20) == 0x2F) {
    const std::uint64_t bits = little_endian(head, 21, 4);
    header.width = (bits & 0x3FFF) + 1;
    header.height = (bits >> 14 & 0x3FFF) + 1;
  } else if (chunk == "VP8X") {
    header.width = little_endian(head, 24, 3) + 1;
    header.height = little_endian(head, 27, 3) + 1;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

FileSource::FileSource(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(path, fmt::format("cannot be opened: {}", std::strerror(errno)));
  struct stat info {};
  if (::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode)) size_ = info.st_size;
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::string FileSource::read(std::uint64_t offset, std::size_t count) const {
  if (offset >= size_) return "";
  std::string bytes(static_cast<std::size_t>(std::min<std::uint64_t>(count, size_ - offset)), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pread(fd_, bytes.data() + done, bytes.size() - done, offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

std::string BufferSource::read(std::uint64_t offset, std::size_t count) const {
  if (offset >= size_) return "";
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(count, size_ - offset));
  return std::string(reinterpret_cast<const char*>(data_) + offset, n);
}

std::uint32_t crc32(std::uint32_t crc, const std::string& bytes) {
  // zlib's, which libpng uses too: several times faster than a byte-wise table.
  return static_cast<std::uint32_t>(
      ::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

ImageHeader inspect_image(const ByteSource& source) {
  ImageHeader header;
  const std::string head = source.read(0, 16);
  if (starts_with(head, kPngSignature)) {
    inspect_png(source, header);
  } else if (starts_with(head, "\xFF\xD8\xFF")) {
    inspect_jpeg(source, header);
  } else if (starts_with(head, std::string_view("II*\0", 4)) ||
             starts_with(head, std::string_view("MM\0*", 4)) ||
             starts_with(head, std::string_view("II+\0", 4)) ||
             starts_with(head, std::string_view("MM\0+", 4))) {
    inspect_tiff(source, header);
  } else if (starts_with(head, "BM")) {
    inspect_bmp(source, header);
  } else if (is_pnm(head)) {
    inspect_pnm(source, header);
  } else if (starts_with(head, "RIFF") && has(head, 8, 4) && head.compare(8, 4, "WEBP") == 0) {
    inspect_webp(source, header);
  } else if (starts_with(head, "\x59\xA6\x6A\x95") && has(head, 0, 12)) {
    header.format = "Sun raster";
    header.width = big_endian(head, 4, 4);
    header.height = big_endian(head, 8, 4);
  }
  return header;
}

}  // namespace sepconv
