#pragma once
// Image files crafted byte by byte for the tests: what OpenCV's writers cannot produce (big-endian
// TIFF, palette PNG) and what no writer would (a PNG that lies about its size).

#include <cstdint>
#include <string>
#include <vector>

#include "io/image_header.hpp"

namespace sepconv::testing {

inline void put_big_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>(value >> (8 * i) & 0xFF);
}

inline void put_little_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>(value >> (8 * i) & 0xFF);
}

/// One PNG chunk with its length and a correct CRC.
inline std::string png_chunk(const std::string& type, const std::string& data) {
  std::string chunk;
  put_big_endian(chunk, data.size(), 4);
  chunk += type + data;
  put_big_endian(chunk, crc32(0, type + data), 4);
  return chunk;
}

/// zlib data holding `raw` in stored (uncompressed) deflate blocks, so no compressor is needed.
inline std::string zlib_stored(const std::string& raw) {
  std::string out = "\x78\x01";
  for (std::size_t at = 0; at == 0 || at < raw.size(); at += 65535) {
    const std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
    out += static_cast<char>(at + n >= raw.size() ? 1 : 0);
    put_little_endian(out, n, 2);
    put_little_endian(out, ~n & 0xFFFF, 2);
    out += raw.substr(at, n);
  }
  std::uint32_t a = 1, b = 0;  // Adler-32
  for (unsigned char c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  put_big_endian(out, std::uint64_t{b} << 16 | a, 4);
  return out;
}

/// A PNG: IHDR (8-bit, `color_type`), optional PLTE, the rows (each with filter byte 0), IEND.
inline std::string make_png(std::uint32_t width, std::uint32_t height, int color_type,
                            const std::string& rows, const std::string& palette = "") {
  std::string ihdr;
  put_big_endian(ihdr, width, 4);
  put_big_endian(ihdr, height, 4);
  ihdr += std::string{8, static_cast<char>(color_type), 0, 0, 0};
  std::string png = "\x89PNG\r\n\x1a\n" + png_chunk("IHDR", ihdr);
  if (!palette.empty()) png += png_chunk("PLTE", palette);
  return png + png_chunk("IDAT", zlib_stored(rows)) + png_chunk("IEND", "");
}

/// A PNG whose header claims width x height, with a few bytes of data: a decompression bomb's
/// shape, small on disk.
inline std::string lying_png(std::uint32_t width, std::uint32_t height) {
  return make_png(width, height, 0, std::string(64, '\0'));
}

/// A 4x2 palette PNG: red, green, blue and white pixels, twice.
inline std::string palette_png() {
  const std::string palette = std::string("\xFF\x00\x00\x00\xFF\x00\x00\x00\xFF\xFF\xFF\xFF", 12);
  const std::string row = std::string("\x00\x00\x01\x02\x03", 5);
  return make_png(4, 2, 3, row + row, palette);
}

/// An uncompressed 16-bit gray TIFF in either byte order, samples in row order.
inline std::string tiff16(bool big_endian, std::uint16_t width, std::uint16_t height,
                          const std::vector<std::uint16_t>& samples) {
  const auto put = [big_endian](std::string& out, std::uint64_t value, int bytes) {
    big_endian ? put_big_endian(out, value, bytes) : put_little_endian(out, value, bytes);
  };
  std::string tiff = big_endian ? std::string("MM\0*", 4) : std::string("II*\0", 4);
  const int entries = 9;
  const std::uint32_t data_at = 8 + 2 + entries * 12 + 4;
  put(tiff, 8, 4);
  put(tiff, entries, 2);
  const auto entry = [&](int tag, int type, std::uint32_t value) {
    put(tiff, tag, 2);
    put(tiff, type, 2);
    put(tiff, 1, 4);
    if (type == 3) {  // a SHORT sits in the first two bytes of the value field
      put(tiff, value, 2);
      put(tiff, 0, 2);
    } else {
      put(tiff, value, 4);
    }
  };
  entry(256, 3, width);                // ImageWidth
  entry(257, 3, height);               // ImageLength
  entry(258, 3, 16);                   // BitsPerSample
  entry(259, 3, 1);                    // Compression: none
  entry(262, 3, 1);                    // PhotometricInterpretation: black is zero
  entry(273, 4, data_at);              // StripOffsets
  entry(277, 3, 1);                    // SamplesPerPixel
  entry(278, 3, height);               // RowsPerStrip
  entry(279, 4, 2u * width * height);  // StripByteCounts
  put(tiff, 0, 4);                     // no next IFD
  for (std::uint16_t sample : samples) put(tiff, sample, 2);
  return tiff;
}

}  // namespace sepconv::testing
