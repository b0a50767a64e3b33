#pragma once
// The metadata sepconv carries from an input image to its output: the EXIF block, the ICC colour
// profile and the XMP packet, as the codec libraries hand them over, and the EXIF Orientation.
//
// read_image fills a Metadata beside the pixels, write_image_atomically puts it into the output
// where the output format holds it (docs/formats.md). Orientation follows the image: by default
// read_image turns the pixels as they are displayed (set_autorotate) and then says orientation 1,
// both here and inside `exif`, so the output is displayed as the input was.

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace sepconv {

/// What an image carries besides its pixels. Empty members: the input had none.
struct Metadata {
  /// EXIF as a TIFF structure ("II*\0..." or "MM\0*..."), without JPEG's "Exif\0\0" prefix.
  std::vector<std::uint8_t> exif;
  /// An ICC colour profile, whole (JPEG's APP2 chunks joined).
  std::vector<std::uint8_t> icc;
  /// An XMP packet (UTF-8 XML), without JPEG's namespace prefix.
  std::string xmp;
  /// How the stored pixels are displayed, EXIF's 1..8 (1: as stored). For a TIFF, its own
  /// Orientation tag; otherwise the one in `exif`.
  int orientation = 1;

  bool empty() const { return exif.empty() && icc.empty() && xmp.empty() && orientation == 1; }
};

/// Whether read_image turns the pixels as EXIF Orientation says (the default) or keeps them as
/// stored, with the tag (--no-autorotate).
void set_autorotate(bool autorotate);
bool autorotate();

/// Whether read_image drops every metadata block, so outputs carry none (--strip). Orientation is
/// still applied when autorotate() is on.
void set_strip_metadata(bool strip);
bool strip_metadata();

/// EXIF's Orientation (tag 0x0112 of the first IFD), 1..8; 1 when there is none or it is not
/// readable.
int exif_orientation(const std::vector<std::uint8_t>& exif);

/// Writes `orientation` into the Orientation tag of `exif`, in place: every other byte is kept.
/// Returns false (and changes nothing) when `exif` has no such tag.
bool set_exif_orientation(std::vector<std::uint8_t>& exif, int orientation);

/// The stored pixels as displayed for an EXIF orientation 1..8 (as libjpeg's jpegtran, OpenCV's
/// imread and web browsers do): 6 turns a quarter clockwise, 8 a quarter anticlockwise, 3 a half.
cv::Mat displayed(const cv::Mat& stored, int orientation);

/// Applies the autorotate and strip settings to what a decoder returned.
void settle_orientation(cv::Mat& image, Metadata& metadata);

/// Whether an ICC profile suits an image of `channels` channels (its colour space is GRAY for 1-2
/// channels, RGB for 3-4), so a gray output never carries a colour profile.
bool icc_fits(const std::vector<std::uint8_t>& icc, int channels);

}  // namespace sepconv
