// The reference engine, the oracle the other engines are tested against: every output pixel as
// the plain double sum over the kernel's taps, each pixel fetched through cv::borderInterpolate.
// Slow and obviously right; nothing else calls it.

#include "engine/engine.hpp"

namespace sepconv {

cv::Mat1d run_reference(const Kernel& kernel, const cv::Mat& plane, const Border& border) {
  CV_Assert(plane.channels() == 1);
  cv::Mat1d source;
  plane.convertTo(source, CV_64F);
  const bool valid = border.kind == BorderKind::valid;
  const cv::Point anchor = valid ? cv::Point(0, 0) : kernel.anchor;
  const int cv_border = valid ? cv::BORDER_CONSTANT : to_cv_border(border.kind);
  cv::Mat1d out(output_size(source.size(), kernel.values.size(), border));
  for (int y = 0; y < out.rows; ++y) {
    for (int x = 0; x < out.cols; ++x) {
      double sum = 0;
      for (int r = 0; r < kernel.rows(); ++r) {
        for (int c = 0; c < kernel.cols(); ++c) {
          const int sy = cv::borderInterpolate(y + r - anchor.y, source.rows, cv_border);
          const int sx = cv::borderInterpolate(x + c - anchor.x, source.cols, cv_border);
          const double pixel = (sy < 0 || sx < 0) ? border.value : source(sy, sx);
          sum += kernel.values(r, c) * pixel;
        }
      }
      out(y, x) = sum;
    }
  }
  return out;
}

}  // namespace sepconv
