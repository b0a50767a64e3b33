#include "depthwise/channels.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "io/image_io.hpp"

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
  write_tiff_pages_atomically(path, pages);
}

}  // namespace sepconv
