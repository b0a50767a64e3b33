// What every codec shares: the size limits checked from the header, the sorting of library
// warnings into damage (an error) and noise (shown only with -v), and telling formats apart.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "io/codecs.hpp"
#include "io/image_io.hpp"

namespace sepconv {
namespace {

std::atomic<std::uint64_t> g_max_pixels{kDefaultMaxPixels};
std::atomic<std::uint64_t> g_max_bytes{kDefaultMaxBytes};
std::atomic<bool> g_verbose{false};

bool starts_with(const std::uint8_t* data, std::size_t size, std::string_view prefix) {
  return size >= prefix.size() && std::memcmp(data, prefix.data(), prefix.size()) == 0;
}

}  // namespace

void set_max_pixels(std::uint64_t pixels) {
  if (pixels == 0) throw usage_error("--max-pixels", "must be at least 1");
  g_max_pixels = pixels;
}

std::uint64_t max_pixels() {
  return g_max_pixels;
}

void set_max_bytes(std::uint64_t bytes) {
  if (bytes == 0) throw usage_error("--max-bytes", "must be at least 1");
  g_max_bytes = bytes;
}

std::uint64_t max_bytes() {
  return g_max_bytes;
}

void set_codec_verbose(bool verbose) {
  g_verbose = verbose;
}

namespace codec {

void check_decoded_size(const std::string& name, std::uint64_t width, std::uint64_t height,
                        std::uint64_t channels, std::uint64_t bytes_per_sample) {
  if (width == 0 || height == 0) throw Error(name, "is corrupt: its header gives a size of 0");
  // Each factor is at most 32 bits, so the pixel count cannot overflow; the byte count is checked
  // by division instead.
  const std::uint64_t pixels = width * height;
  if (pixels > max_pixels()) {
    throw Error(name, fmt::format("is {}x{} = {} pixels, more than the limit of {} (--max-pixels)",
                                  width, height, pixels, max_pixels()));
  }
  const std::uint64_t sample_bytes = channels * bytes_per_sample;
  if (pixels > max_bytes() / sample_bytes) {
    throw Error(name, fmt::format("is {}x{} with {} channel(s) of {} byte(s): {} bytes decoded, "
                                  "more than the limit of {} (--max-bytes)",
                                  width, height, channels, bytes_per_sample,
                                  static_cast<double>(pixels) * sample_bytes > 1.8e19
                                      ? std::string("too many")
                                      : std::to_string(pixels * sample_bytes),
                                  max_bytes()));
  }
}

bool is_damage_warning(const std::string& message) {
  std::string lower = message;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // The words libpng, libjpeg and libtiff use when data is missing or wrong; a profile, gamma or
  // tag they merely dislike says none of these.
  static constexpr std::array<std::string_view, 17> kDamage = {
      "crc",        "truncat",    "corrupt",     "premature",        "extraneous", "damage",
      "missing",    "too much",   "not enough",  "extra compressed", "invalid",    "read error",
      "unexpected", "incomplete", "out of data", "decompression",    "seek"};
  return std::any_of(kDamage.begin(), kDamage.end(),
                     [&](std::string_view word) { return lower.find(word) != std::string::npos; });
}

void report_harmless_warning(const std::string& name, const std::string& library,
                             const std::string& message) {
  if (!g_verbose) return;
  std::string line = message;
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::fprintf(stderr, "sepconv: %s: %s warning: %s\n", name.c_str(), library.c_str(),
               line.c_str());
}

void keep_exif(Metadata& metadata, const std::uint8_t* data, std::size_t size) {
  constexpr std::string_view kPrefix("Exif\0\0", 6);
  if (starts_with(data, size, kPrefix)) {
    data += kPrefix.size();
    size -= kPrefix.size();
  }
  metadata.exif.assign(data, data + size);
  metadata.orientation = exif_orientation(metadata.exif);
}

void report_dropped_metadata(const std::string& what, const std::string& reason) {
  if (!g_verbose) return;
  std::fprintf(stderr, "sepconv: note: %s left out of the output: %s\n", what.c_str(),
               reason.c_str());
}

Format sniff_format(const std::uint8_t* data, std::size_t size) {
  if (starts_with(data, size, "\x89PNG\r\n\x1a\n")) return Format::png;
  if (starts_with(data, size, "\xFF\xD8\xFF")) return Format::jpeg;
  if (starts_with(data, size, std::string_view("II*\0", 4)) ||
      starts_with(data, size, std::string_view("MM\0*", 4)) ||
      starts_with(data, size, std::string_view("II+\0", 4)) ||
      starts_with(data, size, std::string_view("MM\0+", 4))) {
    return Format::tiff;
  }
  if (size >= 12 && starts_with(data, size, "RIFF") && std::memcmp(data + 8, "WEBP", 4) == 0) {
    return Format::webp;
  }
  if (size >= 3 && data[0] == 'P' && std::isspace(data[2])) {
    if (data[1] == '5' || data[1] == '6') return Format::pnm;
    if (data[1] == 'F' || data[1] == 'f') return Format::pfm;
  }
  return Format::other;
}

Format format_for_extension(const std::string& ext) {
  if (ext == ".png") return Format::png;
  if (ext == ".jpg" || ext == ".jpeg" || ext == ".jpe") return Format::jpeg;
  if (ext == ".tif" || ext == ".tiff") return Format::tiff;
  if (ext == ".webp") return Format::webp;
  if (ext == ".pgm" || ext == ".ppm" || ext == ".pnm") return Format::pnm;
  if (ext == ".pfm") return Format::pfm;
  return Format::other;
}

}  // namespace codec
}  // namespace sepconv
