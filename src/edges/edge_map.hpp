#pragma once
// The picture `sepconv edges` writes: the gradient magnitude fitted into the output depth (clamped
// as OpenCV's convertScaleAbs does, or scaled), optionally thresholded into a binary map.

#include <opencv2/core.hpp>
#include <optional>
#include <string>

namespace sepconv {

/// How the magnitude becomes output values.
/// clamp: the magnitude as is, rounded and saturated into the output range (what
///        cv::convertScaleAbs(cv::magnitude(gx, gy)) gives for 8 bits);
/// strongest: times top / (the strongest possible response on the input's range), so no pixel
///        saturates (dark on photographs);
/// normalize: times top / (the image's own largest magnitude).
enum class EdgeScale { clamp, strongest, normalize };

EdgeScale parse_edge_scale(const std::string& text);
std::string edge_scale_name(EdgeScale scale);

struct EdgeMapRequest {
  EdgeScale scale = EdgeScale::clamp;
  int depth = CV_8U;  ///< CV_8U, CV_16U, or CV_32F (the exact magnitude, no scale)
  /// The strongest possible magnitude for samples in [0, 1] (strongest_response); times the
  /// input's range it is the full scale of EdgeScale::strongest.
  double unit_strongest = 0;
  std::optional<double> level;  ///< a fixed threshold on the 8-bit map, 0..255
  bool otsu = false;            ///< Otsu's threshold on the 8-bit map
};

struct EdgeMap {
  cv::Mat pixels;
  std::optional<double> full_scale;  ///< the magnitude written as the output's top (not for f32)
  std::optional<double> threshold;   ///< the level used (Otsu's as found)
};

/// Throws a usage Error naming --depth when the request asks for what its depth cannot hold: a
/// threshold needs u8, f32 takes no scale.
void check_edge_map_request(const EdgeMapRequest& request);

/// `magnitude` (from gradient_magnitude on an image of `input_depth`) as the picture to write.
EdgeMap edge_map(const cv::Mat1f& magnitude, int input_depth, const EdgeMapRequest& request);

}  // namespace sepconv
