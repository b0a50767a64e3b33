#include "depthwise/channels.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "core/error.hpp"

namespace sepconv {
namespace fs = std::filesystem;

std::vector<cv::Mat> colour_planes(const cv::Mat& image) {
  std::vector<cv::Mat> planes;
  cv::split(image, planes);
  if (planes.size() == 2 || planes.size() == 4) planes.pop_back();  // alpha
  if (planes.size() == 3) std::swap(planes[0], planes[2]);          // BGR -> RGB
  return planes;
}

cv::Mat merge_planes(std::vector<cv::Mat> planes) {
  CV_Assert(fits_one_image(static_cast<int>(planes.size())));
  if (planes.size() >= 3) std::swap(planes[0], planes[2]);  // RGB(A) -> BGR(A)
  cv::Mat image;
  cv::merge(planes, image);
  return image;
}

bool is_tiff_path(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".tif" || ext == ".tiff";
}

void write_pages_atomically(const std::string& path, const std::vector<cv::Mat>& pages) {
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw Error(path, fmt::format("output folder '{}' does not exist", folder.string()));
  }
  if (fs::is_directory(target, error)) throw Error(path, "is a directory");
  if (!is_tiff_path(path)) {
    throw Error(path, fmt::format("{} output channels need a multi-page TIFF (.tif or .tiff)",
                                  pages.size()));
  }
  // Same folder, so the rename stays on one file system and is atomic.
  const fs::path temporary = folder / fmt::format(".{}.sepconv-{}{}", target.stem().string(),
                                                  getpid(), target.extension().string());
  std::string reason;
  try {
    if (cv::imwritemulti(temporary.string(), pages)) {
      fs::rename(temporary, target, error);
      if (!error) return;
      reason = fmt::format("cannot be renamed into place: {}", error.message());
    } else {
      reason = access(folder.c_str(), W_OK) != 0
                   ? fmt::format("cannot be written: no write permission in '{}'", folder.string())
                   : "cannot be written (disk full, or the TIFF encoder failed)";
    }
  } catch (const cv::Exception& e) {
    reason = fmt::format("cannot be written: {}", e.err);
  }
  fs::remove(temporary, error);
  throw Error(path, reason);
}

}  // namespace sepconv
