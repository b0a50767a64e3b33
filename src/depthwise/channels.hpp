#pragma once
// Image <-> planes for the depthwise command, in the file's channel order (R, G, B, A) rather than
// OpenCV's (B, G, R, A), so that pointwise matrices and per-channel kernels are written in the
// order every colour formula uses (luma = 0.299 R + 0.587 G + 0.114 B). And writing N planes that
// no ordinary image can hold as a multi-page TIFF.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace sepconv {

/// The colour planes of an image in file order: gray; R, G, B. Alpha (the last plane of a 2- or
/// 4-channel image) is dropped: the pointwise step mixes colour only, and a mixed output has no
/// single alpha to carry.
std::vector<cv::Mat> colour_planes(const cv::Mat& image);

/// Whether N output planes make an ordinary image (gray, RGB, RGBA); else they need pages.
inline bool fits_one_image(int planes) {
  return planes == 1 || planes == 3 || planes == 4;
}

/// Planes in file order merged into one OpenCV image (gray, BGR, BGRA): 1, 3 or 4 planes.
cv::Mat merge_planes(std::vector<cv::Mat> planes);

/// Whether a path names a TIFF file (.tif or .tiff, any case).
bool is_tiff_path(const std::string& path);

/// Writes one page per plane to a multi-page TIFF, through a temporary file beside `path` renamed
/// into place, so `path` is the complete file or untouched. Throws Error naming the file.
void write_pages_atomically(const std::string& path, const std::vector<cv::Mat>& pages);

}  // namespace sepconv
