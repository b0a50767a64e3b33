#pragma once
// The functions the OpenCV imgcodecs plugin (plugins/opencv_imgcodecs) exports, looked up by
// name after dlopen. Both sides are built together by the same compiler against the same
// libopencv_core, so cv::Mat and std types cross the boundary safely; no exception does: each
// call returns false and fills `error` instead.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

/// Bumped whenever a signature below changes, so a stale plugin is refused rather than called.
#define SEPCONV_FALLBACK_ABI 1

extern "C" {
int sepconv_fallback_abi();
bool sepconv_fallback_decode(const unsigned char* data, std::size_t size, cv::Mat* image,
                             std::string* error);
bool sepconv_fallback_encode(const char* ext, const cv::Mat* image,
                             std::vector<unsigned char>* bytes, std::string* error);
bool sepconv_fallback_can_write(const char* ext);
}
