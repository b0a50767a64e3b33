#include "engine/fft.hpp"

#include <algorithm>
#include <opencv2/core/utility.hpp>

#include "analysis/cost_model.hpp"
#include "engine/padded_rows.hpp"

namespace sepconv {
namespace {

/// The padded plane: the image with the border applied all round, as the working type.
cv::Mat padded_plane(const cv::Mat& plane, const Footprint& footprint, const Border& border,
                     int type) {
  cv::Mat converted;
  plane.convertTo(converted, type);
  if (border.kind == BorderKind::valid) return converted;
  cv::Mat padded;
  cv::copyMakeBorder(converted, padded, footprint.top, footprint.bottom, footprint.left,
                     footprint.right, to_cv_border(border.kind), cv::Scalar::all(border.value));
  return padded;
}

}  // namespace

cv::Mat1d run_fft(const Plan& plan, const cv::Mat& plane, const Border& border, int threads) {
  // Whole taps sum in a double transform and the sums are rounded back to whole numbers.
  const bool whole = plan.arithmetic != Arithmetic::float32;
  const int type = whole ? CV_64F : CV_32F;
  const Footprint footprint(plane.size(), plan.kernel_size(), plan.anchor, border);
  const cv::Mat source = padded_plane(plane, footprint, border, type);
  const int n = plan.fft_tile > 0 ? plan.fft_tile : fft_tile_size(plan.kernel_size());
  const int tile_w = n - plan.cols + 1, tile_h = n - plan.rows + 1;

  cv::Mat kernel_tile = cv::Mat::zeros(n, n, type), kernel_spectrum;
  plan.taps.convertTo(kernel_tile(cv::Rect(0, 0, plan.cols, plan.rows)), type);
  cv::dft(kernel_tile, kernel_spectrum, 0, plan.rows);

  cv::Mat1d out(footprint.output);
  const int tiles_x = (out.cols + tile_w - 1) / tile_w, tiles_y = (out.rows + tile_h - 1) / tile_h;
  auto run_tiles = [&](const cv::Range& range) {
    cv::Mat block(n, n, type), spectrum, product, result;
    for (int t = range.start; t < range.end; ++t) {
      const cv::Rect target((t % tiles_x) * tile_w, (t / tiles_x) * tile_h, 0, 0);
      const int w = std::min(tile_w, out.cols - target.x),
                h = std::min(tile_h, out.rows - target.y);
      const int in_w = w + plan.cols - 1, in_h = h + plan.rows - 1;
      block.setTo(0);
      source(cv::Rect(target.x, target.y, in_w, in_h)).copyTo(block(cv::Rect(0, 0, in_w, in_h)));
      cv::dft(block, spectrum, 0, in_h);
      // Correlation is multiplication by the kernel's conjugate spectrum.
      cv::mulSpectrums(spectrum, kernel_spectrum, product, 0, true);
      cv::idft(product, result, cv::DFT_SCALE | cv::DFT_REAL_OUTPUT, h);
      result(cv::Rect(0, 0, w, h)).convertTo(out(cv::Rect(target.x, target.y, w, h)), CV_64F);
    }
  };
  const int tiles = tiles_x * tiles_y;
  if (threads <= 1) {
    run_tiles(cv::Range(0, tiles));
  } else {
    cv::parallel_for_(cv::Range(0, tiles), run_tiles, tiles);
  }
  if (whole) {
    for (double& v : out) v = std::round(v);  // whole sums: the transform's error is far below 1/2
  }
  if (plan.scale != 1.0) out *= plan.scale;
  return out;
}

}  // namespace sepconv
