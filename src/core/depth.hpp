#pragma once
// Facts about sample depths that several modules need: ranges, mid-grey, names.

#include <cmath>
#include <opencv2/core.hpp>
#include <string>

namespace sepconv {

/// The top of a depth's range: 255 (u8), 65535 (u16), 32767 (s16); 1 for float, taken as 0..1.
inline double depth_top(int depth) {
  switch (depth) {
    case CV_8U:
      return 255;
    case CV_16U:
      return 65535;
    case CV_16S:
      return 32767;
    default:
      return 1;
  }
}

/// The largest magnitude a sample can have, which bounds integer sums: 255, 128 (s8), 65535,
/// 32768 (s16); infinity for float.
inline double largest_magnitude(int depth) {
  switch (depth) {
    case CV_8U:
      return 255;
    case CV_8S:
      return 128;
    case CV_16U:
      return 65535;
    case CV_16S:
      return 32768;
    default:
      return INFINITY;
  }
}

/// Mid-grey, which `--map offset` adds so that zero shows as grey: 128 (u8), 32768 (u16), else 0.
inline double depth_offset(int depth) {
  switch (depth) {
    case CV_8U:
      return 128;
    case CV_16U:
      return 32768;
    default:
      return 0;
  }
}

/// "u8", "u16", "s16" or "f32", as --depth names them.
inline std::string depth_label(int depth) {
  switch (depth) {
    case CV_8U:
      return "u8";
    case CV_16U:
      return "u16";
    case CV_16S:
      return "s16";
    default:
      return "f32";
  }
}

}  // namespace sepconv
