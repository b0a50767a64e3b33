#include "engine/fft.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/core/utility.hpp>
#include <vector>

#include "analysis/cost_model.hpp"
#include "engine/fft_simd.hpp"
#include "engine/padded_rows.hpp"

namespace sepconv {
namespace {

/// Source rows transformed per cv::dft call (and output rows per inverse call): enough to spread
/// the call's setup, few enough that the spectra stay in the core's cache.
constexpr int kBatchRows = 64;

/// The bordered plane in the working type, `extra` zero columns on the right so that every
/// segment of the last row band reads a whole DFT length. One copy of the plane (the conversion
/// and the border land in place).
cv::Mat padded_plane(const cv::Mat& plane, const Footprint& footprint, const Border& border,
                     int type, int extra) {
  const cv::Size bordered(footprint.extended_width(),
                          footprint.output.height + footprint.kernel.height - 1);
  cv::Mat padded(bordered.height, bordered.width + extra, type);
  padded.colRange(bordered.width, padded.cols).setTo(0);
  cv::Mat inside = padded(cv::Rect(0, 0, bordered.width, bordered.height));
  if (border.kind == BorderKind::valid) {
    plane.convertTo(inside, type);
    return padded;
  }
  cv::Mat converted = plane;
  if (plane.type() != type) plane.convertTo(converted, type);
  cv::copyMakeBorder(converted, inside, footprint.top, footprint.bottom, footprint.left,
                     footprint.right, to_cv_border(border.kind), cv::Scalar::all(border.value));
  return padded;
}

/// The kernel's row spectra, each kernel row zero-padded to the DFT length, in the layout
/// spectral_rows reads: (re, re) and (im, -im) at each bin's packed position.
template <typename T>
struct KernelSpectra {
  cv::Mat real, imaginary;

  KernelSpectra(const cv::Mat1d& taps, int length, int type) {
    cv::Mat rows = cv::Mat::zeros(taps.rows, length, type), spectra;
    taps.convertTo(rows(cv::Rect(0, 0, taps.cols, taps.rows)), type);
    cv::dft(rows, spectra, cv::DFT_ROWS);
    const int width = length + static_cast<int>(kSpectralSlack);
    real = cv::Mat::zeros(taps.rows, width, type);
    imaginary = cv::Mat::zeros(taps.rows, width, type);
    for (int j = 0; j < taps.rows; ++j) {
      const T* k = spectra.ptr<T>(j);
      T* re = real.ptr<T>(j);
      T* im = imaginary.ptr<T>(j);
      re[0] = k[0];
      re[length - 1] = k[length - 1];
      for (int p = 1; p < length - 1; p += 2) {
        re[p] = re[p + 1] = k[p];
        im[p] = k[p + 1];  // the conjugate: correlation, not convolution
        im[p + 1] = -k[p + 1];
      }
    }
  }

  SpectralTaps<T> taps() const {
    return {real.ptr<T>(), imaginary.ptr<T>(), real.step1(), real.rows,
            real.cols - static_cast<int>(kSpectralSlack)};
  }
};

/// Overlap-save along rows, direct sums down columns: each source row is cut into segments of one
/// DFT length and transformed once; an output row's spectrum is the sum of kh source spectra times
/// the kernel rows' conjugate spectra, and its inverse transform gives `segment` output pixels.
/// Against OpenCV's 2D tiles this does one 1D transform where the tile does two, and wastes only
/// the kernel's width (not its height) of each transform.
template <typename T>
class RowCorrelation {
 public:
  RowCorrelation(const cv::Mat& padded, const KernelSpectra<T>& kernel, int length, int segment,
                 cv::Mat& out)
      : padded_(padded),
        taps_(kernel.taps()),
        length_(length),
        segment_(segment),
        batch_(std::max(kBatchRows, taps_.rows)),
        out_(out) {}

  /// Output rows [y0, y1), every segment.
  void run(int y0, int y1) const {
    const int type = padded_.type(), width = length_ + static_cast<int>(kSpectralSlack);
    cv::Mat spectra = cv::Mat::zeros(batch_ + taps_.rows - 1, width, type);
    cv::Mat sums = cv::Mat::zeros(batch_, width, type), result;
    std::vector<const T*> rows(batch_ + taps_.rows - 1);
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) rows[r] = spectra.ptr<T>(r);
    for (int x0 = 0; x0 < out_.cols; x0 += segment_) {
      const int w = std::min(segment_, out_.cols - x0);
      for (int y = y0; y < y1; y += batch_) {
        const int h = std::min(batch_, y1 - y);
        transform_sources(spectra, x0, y, y == y0, h);
        for (int r = 0; r < h; r += 4) {
          spectral_rows(rows.data() + r, taps_, sums.ptr<T>(r), sums.step1(), std::min(4, h - r));
        }
        cv::dft(sums(cv::Rect(0, 0, length_, h)), result,
                cv::DFT_ROWS | cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
        result(cv::Rect(0, 0, w, h)).convertTo(out_(cv::Rect(x0, y, w, h)), out_.type());
      }
    }
  }

 private:
  /// Fills spectra rows 0 .. h + kh - 2 with the source rows from y: all of them for the first
  /// band of a segment, else the last kh - 1 of the previous band moved up and h new ones.
  void transform_sources(cv::Mat& spectra, int x0, int y, bool first, int h) const {
    const int reach = taps_.rows - 1;
    int from = 0;
    if (!first && reach > 0) {
      // The previous band was a whole batch (only the last one is shorter); batch >= kh keeps
      // the two ranges apart.
      spectra.rowRange(batch_, batch_ + reach).copyTo(spectra.rowRange(0, reach));
      from = reach;
    }
    const int count = h + reach - from;
    cv::Mat target = spectra(cv::Rect(0, from, length_, count));
    cv::dft(padded_(cv::Rect(x0, y + from, length_, count)), target, cv::DFT_ROWS);
  }

  const cv::Mat& padded_;
  SpectralTaps<T> taps_;
  int length_, segment_, batch_;
  cv::Mat& out_;
};

template <typename T>
void correlate(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
               cv::Mat& out, const Footprint& footprint) {
  const int type = cv::DataType<T>::type;
  // A narrow image needs no longer transform than its own bordered width.
  const int length = std::min(plan.fft_tile > 0 ? plan.fft_tile : fft_tile_size(plan.kernel_size()),
                              even_dft_size(out.cols + plan.cols - 1));
  const int segment = length - plan.cols + 1;
  const int segments = (out.cols + segment - 1) / segment;
  const int bordered_width = out.cols + plan.cols - 1;
  const cv::Mat padded = padded_plane(plane, footprint, border, type,
                                      segments * segment + plan.cols - 1 - bordered_width);
  const KernelSpectra<T> kernel(plan.taps, length, type);
  const RowCorrelation<T> correlation(padded, kernel, length, segment, out);
  const int strips = std::max(1, std::min(threads, out.rows));
  auto run_strips = [&](const cv::Range& range) {
    for (int s = range.start; s < range.end; ++s) {
      correlation.run(s * out.rows / strips, (s + 1) * out.rows / strips);
    }
  };
  if (strips == 1) {
    run_strips(cv::Range(0, 1));
  } else {
    cv::parallel_for_(cv::Range(0, strips), run_strips, strips);
  }
}

}  // namespace

cv::Mat1d run_fft(const Plan& plan, const cv::Mat& plane, const Border& border, int threads) {
  // Whole taps sum in a double transform and the sums are rounded back to whole numbers.
  const bool whole = plan.arithmetic != Arithmetic::float32;
  const Footprint footprint(plane.size(), plan.kernel_size(), plan.anchor, border);
  cv::Mat1d out(footprint.output);
  if (out.empty()) return out;
  cv::Mat sums = out;
  if (whole) {
    correlate<double>(plan, plane, border, threads, sums, footprint);
    for (double& v : out) v = std::round(v);  // whole sums: the transform's error is far below 1/2
  } else {
    correlate<float>(plan, plane, border, threads, sums, footprint);
  }
  if (plan.scale != 1.0) out *= plan.scale;
  return out;
}

void run_fft_float32(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                     cv::Mat& out) {
  CV_Assert(plan.arithmetic == Arithmetic::float32 && plan.scale == 1.0);
  const Footprint footprint(plane.size(), plan.kernel_size(), plan.anchor, border);
  out.create(footprint.output, CV_32F);
  if (!out.empty()) correlate<float>(plan, plane, border, threads, out, footprint);
}

}  // namespace sepconv
