// The OpenCV fallback: every format OpenCV's imgcodecs handles that sepconv's native codecs do not
// (BMP, OpenEXR, Radiance HDR, JPEG 2000, Sun raster, PBM/PAM...). A shared library of its own so
// that sepconv links neither imgcodecs nor what Debian's build of it pulls in (GDAL, HDF5, ...);
// io/opencv_fallback.cpp loads it with dlopen the first time such a file is met.

#include <opencv2/imgcodecs.hpp>

#include "io/fallback_abi.hpp"

extern "C" {

__attribute__((visibility("default"))) int sepconv_fallback_abi() {
  return SEPCONV_FALLBACK_ABI;
}

__attribute__((visibility("default"))) bool sepconv_fallback_decode(const unsigned char* data,
                                                                    std::size_t size,
                                                                    cv::Mat* image,
                                                                    std::string* error) {
  try {
    const cv::Mat bytes(1, static_cast<int>(size), CV_8U, const_cast<unsigned char*>(data));
    *image = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    if (image->empty())
      *error = "is not an image OpenCV can decode (unknown format, truncated or corrupt)";
    return !image->empty();
  } catch (const cv::Exception& e) {
    *error = "cannot be decoded: OpenCV: " + e.err;
  } catch (const std::exception& e) {
    *error = std::string("cannot be decoded: ") + e.what();
  }
  return false;
}

__attribute__((visibility("default"))) bool sepconv_fallback_encode(
    const char* ext, const cv::Mat* image, std::vector<unsigned char>* bytes, std::string* error) {
  try {
    if (cv::imencode(ext, *image, *bytes)) return true;
    *error = "OpenCV's encoder failed";
  } catch (const cv::Exception& e) {
    *error = "OpenCV: " + e.err;
  } catch (const std::exception& e) {
    *error = e.what();
  }
  return false;
}

__attribute__((visibility("default"))) bool sepconv_fallback_can_write(const char* ext) {
  try {
    return cv::haveImageWriter(std::string("x") + ext);
  } catch (const cv::Exception&) {
    return false;
  }
}
}
