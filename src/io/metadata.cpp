// EXIF Orientation read and rewritten inside the EXIF block, by hand: the block is a small TIFF
// structure and the tag sits in its first directory, so finding it is a bounded walk of one IFD.
// Patching the two bytes in place keeps every other byte of the block, maker notes included;
// libexif would re-serialise the whole block (and is one more library to load) for one number.

#include "io/metadata.hpp"

#include <atomic>
#include <cstring>
#include <opencv2/core.hpp>

namespace sepconv {
namespace {

std::atomic<bool> g_autorotate{true};
std::atomic<bool> g_strip{false};

constexpr std::uint16_t kOrientationTag = 0x0112;
constexpr std::uint16_t kShortType = 3;

/// Reads the integers of a TIFF structure in its own byte order.
struct TiffBytes {
  const std::vector<std::uint8_t>& bytes;
  bool big_endian;

  bool has(std::size_t at, std::size_t size) const {
    return at <= bytes.size() && size <= bytes.size() - at;
  }
  std::uint16_t u16(std::size_t at) const {
    return big_endian ? static_cast<std::uint16_t>(bytes[at] << 8 | bytes[at + 1])
                      : static_cast<std::uint16_t>(bytes[at + 1] << 8 | bytes[at]);
  }
  std::uint32_t u32(std::size_t at) const {
    return big_endian ? std::uint32_t{u16(at)} << 16 | u16(at + 2)
                      : std::uint32_t{u16(at + 2)} << 16 | u16(at);
  }
};

/// Where the Orientation value (a SHORT stored in the entry itself) is; 0 when there is none.
std::size_t orientation_value_offset(const std::vector<std::uint8_t>& exif) {
  if (exif.size() < 8) return 0;
  const bool little = exif[0] == 'I' && exif[1] == 'I';
  const bool big = exif[0] == 'M' && exif[1] == 'M';
  if (!little && !big) return 0;
  const TiffBytes tiff{exif, big};
  if (tiff.u16(2) != 42) return 0;
  const std::size_t ifd = tiff.u32(4);
  if (!tiff.has(ifd, 2)) return 0;
  const std::size_t entries = tiff.u16(ifd);
  for (std::size_t i = 0; i < entries; ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    if (!tiff.has(entry, 12)) return 0;
    if (tiff.u16(entry) == kOrientationTag && tiff.u16(entry + 2) == kShortType &&
        tiff.u32(entry + 4) == 1) {
      return entry + 8;
    }
  }
  return 0;
}

}  // namespace

void set_autorotate(bool autorotate) {
  g_autorotate = autorotate;
}

bool autorotate() {
  return g_autorotate;
}

void set_strip_metadata(bool strip) {
  g_strip = strip;
}

bool strip_metadata() {
  return g_strip;
}

int exif_orientation(const std::vector<std::uint8_t>& exif) {
  const std::size_t at = orientation_value_offset(exif);
  if (at == 0) return 1;
  const int value = TiffBytes{exif, exif[0] == 'M'}.u16(at);
  return value >= 1 && value <= 8 ? value : 1;
}

bool set_exif_orientation(std::vector<std::uint8_t>& exif, int orientation) {
  const std::size_t at = orientation_value_offset(exif);
  if (at == 0) return false;
  const bool big_endian = exif[0] == 'M';
  exif[at + (big_endian ? 0 : 1)] = 0;
  exif[at + (big_endian ? 1 : 0)] = static_cast<std::uint8_t>(orientation);
  return true;
}

cv::Mat displayed(const cv::Mat& stored, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2:
      cv::flip(stored, out, 1);
      return out;
    case 3:
      cv::flip(stored, out, -1);
      return out;
    case 4:
      cv::flip(stored, out, 0);
      return out;
    case 5:
      cv::transpose(stored, out);
      return out;
    case 6:
      cv::transpose(stored, out);
      cv::flip(out, out, 1);
      return out;
    case 7:
      cv::transpose(stored, out);
      cv::flip(out, out, -1);
      return out;
    case 8:
      cv::transpose(stored, out);
      cv::flip(out, out, 0);
      return out;
    default:
      return stored;
  }
}

void settle_orientation(cv::Mat& image, Metadata& metadata) {
  if (autorotate() && metadata.orientation != 1) {
    image = displayed(image, metadata.orientation);
    metadata.orientation = 1;
    set_exif_orientation(metadata.exif, 1);
  }
  if (strip_metadata()) metadata = Metadata{};
}

bool icc_fits(const std::vector<std::uint8_t>& icc, int channels) {
  if (icc.size() < 20) return false;
  const char* space = reinterpret_cast<const char*>(icc.data() + 16);
  if (channels <= 2) return std::memcmp(space, "GRAY", 4) == 0;
  return std::memcmp(space, "RGB ", 4) == 0;
}

}  // namespace sepconv
