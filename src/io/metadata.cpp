// EXIF Orientation read and rewritten inside the EXIF block (and XMP's copy of it), by hand: the
// block is a small TIFF structure and the tag sits in its first directory, so finding it is a
// bounded walk of one IFD. Patching the two bytes in place keeps every other byte of the block,
// maker notes included; libexif would re-serialise the whole block (and is one more library to
// load) for one number.

#include "io/metadata.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstring>
#include <opencv2/core.hpp>
#include <string_view>

#include "io/codecs.hpp"

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

/// Calls `visit(tag, type, count, entry offset)` for each entry of the first IFD, within bounds.
template <typename Visit>
void for_each_entry(const std::vector<std::uint8_t>& exif, Visit visit) {
  if (exif.size() < 8) return;
  const bool little = exif[0] == 'I' && exif[1] == 'I';
  const bool big = exif[0] == 'M' && exif[1] == 'M';
  if (!little && !big) return;
  const TiffBytes tiff{exif, big};
  if (tiff.u16(2) != 42) return;
  const std::size_t ifd = tiff.u32(4);
  if (!tiff.has(ifd, 2)) return;
  const std::size_t entries = tiff.u16(ifd);
  for (std::size_t i = 0; i < entries; ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    if (!tiff.has(entry, 12)) return;
    if (!visit(tiff, tiff.u16(entry), tiff.u16(entry + 2), tiff.u32(entry + 4), entry)) return;
  }
}

/// Where the Orientation value (a SHORT stored in the entry itself) is; 0 when there is none.
std::size_t orientation_value_offset(const std::vector<std::uint8_t>& exif) {
  std::size_t found = 0;
  for_each_entry(exif, [&](const TiffBytes&, std::uint16_t tag, std::uint16_t type,
                           std::uint32_t count, std::size_t entry) {
    if (tag == kOrientationTag && type == kShortType && count == 1) found = entry + 8;
    return found == 0;
  });
  return found;
}

/// Sets XMP's tiff:Orientation, an element (<tiff:Orientation>6<) or an attribute (="6"), in place.
void set_xmp_orientation(std::string& xmp, int orientation) {
  constexpr std::string_view kName = "tiff:Orientation";
  for (std::size_t at = xmp.find(kName); at != std::string::npos; at = xmp.find(kName, at + 1)) {
    std::size_t value = at + kName.size();
    if (value < xmp.size() && xmp[value] == '>') {
      value += 1;
    } else if (xmp.compare(value, 2, "=\"") == 0 || xmp.compare(value, 2, "='") == 0) {
      value += 2;
    } else {
      continue;
    }
    const bool one_digit = value + 1 < xmp.size() && xmp[value] >= '1' && xmp[value] <= '8' &&
                           !std::isdigit(static_cast<unsigned char>(xmp[value + 1]));
    if (one_digit) xmp[value] = static_cast<char>('0' + orientation);
  }
}

constexpr std::uint16_t kAsciiType = 2;

/// Appends a little-endian integer of `bytes` bytes.
void put(std::vector<std::uint8_t>& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
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
    set_xmp_orientation(metadata.xmp, 1);
  }
  if (strip_metadata()) metadata = Metadata{};
}

bool icc_fits(const std::vector<std::uint8_t>& icc, int channels) {
  if (icc.size() < 20) return false;
  const char* space = reinterpret_cast<const char*>(icc.data() + 16);
  if (channels <= 2) return std::memcmp(space, "GRAY", 4) == 0;
  return std::memcmp(space, "RGB ", 4) == 0;
}

namespace codec {

std::vector<TextTag> exif_text_tags(const std::vector<std::uint8_t>& exif) {
  std::vector<TextTag> tags;
  for_each_entry(exif, [&](const TiffBytes& tiff, std::uint16_t tag, std::uint16_t type,
                           std::uint32_t count, std::size_t entry) {
    const bool wanted =
        std::find(kTiffTextTags.begin(), kTiffTextTags.end(), tag) != kTiffTextTags.end();
    if (!wanted || type != kAsciiType || count == 0) return true;
    const std::size_t at = count <= 4 ? entry + 8 : tiff.u32(entry + 8);
    if (!tiff.has(at, count)) return true;
    const char* text = reinterpret_cast<const char*>(exif.data() + at);
    tags.push_back({tag, std::string(text, strnlen(text, count))});
    return true;
  });
  return tags;
}

std::vector<std::uint8_t> exif_from_text_tags(std::vector<TextTag> tags, int orientation) {
  std::sort(tags.begin(), tags.end(),
            [](const TextTag& a, const TextTag& b) { return a.tag < b.tag; });
  const std::size_t count = tags.size() + 1;  // and Orientation
  std::vector<std::uint8_t> out = {'I', 'I', 42, 0};
  put(out, 8, 4);
  put(out, static_cast<std::uint32_t>(count), 2);
  std::uint32_t data_at = static_cast<std::uint32_t>(8 + 2 + 12 * count + 4);
  std::vector<std::uint8_t> data;
  bool orientation_written = false;
  const auto put_orientation = [&] {
    put(out, kOrientationTag, 2);
    put(out, kShortType, 2);
    put(out, 1, 4);
    put(out, static_cast<std::uint32_t>(orientation), 4);
    orientation_written = true;
  };
  for (const TextTag& tag : tags) {
    if (!orientation_written && tag.tag > kOrientationTag) put_orientation();
    const std::uint32_t size = static_cast<std::uint32_t>(tag.text.size() + 1);
    put(out, tag.tag, 2);
    put(out, kAsciiType, 2);
    put(out, size, 4);
    std::vector<std::uint8_t> bytes(tag.text.begin(), tag.text.end());
    bytes.push_back(0);
    if (size <= 4) {
      bytes.resize(4, 0);
      out.insert(out.end(), bytes.begin(), bytes.end());
    } else {
      put(out, data_at + static_cast<std::uint32_t>(data.size()), 4);
      data.insert(data.end(), bytes.begin(), bytes.end());
      if (data.size() % 2 != 0) data.push_back(0);  // values start on a word boundary
    }
  }
  if (!orientation_written) put_orientation();
  put(out, 0, 4);  // no next IFD
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

}  // namespace codec
}  // namespace sepconv
