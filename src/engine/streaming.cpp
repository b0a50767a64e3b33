#include "engine/streaming.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <opencv2/core/utility.hpp>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "core/depth.hpp"
#include "engine/counted.hpp"
#include "engine/padded_rows.hpp"
#include "engine/passes.hpp"

namespace sepconv {
namespace {

Sample sample_of(int depth) {
  switch (depth) {
    case CV_8U:
      return Sample::u8;
    case CV_16U:
      return Sample::u16;
    case CV_16S:
      return Sample::s16;
    case CV_32F:
      return Sample::f32;
  }
  throw std::invalid_argument("the streaming engine reads 8-bit, 16-bit and float32 planes");
}

/// Taps of one 1D pass with the zero taps left out (sobel's [-1 0 1] runs as two taps).
template <typename T>
struct PassTaps {
  std::vector<std::int32_t> offsets;
  std::vector<T> values;

  explicit PassTaps(const double* taps, int count) {
    for (int i = 0; i < count; ++i) {
      if (taps[i] == 0) continue;
      offsets.push_back(i);
      values.push_back(static_cast<T>(taps[i]));
    }
  }
  SparseTaps<T> sparse() const { return {offsets.data(), values.data(), values.size()}; }
};

/// The SIMD passes, with a tally of what they execute (n * taps products per call).
struct SimdPasses {
  template <typename T>
  static void horizontal(const T* in, size_t n, SparseTaps<T> taps, T* out, bool accumulate,
                         OpCount& ops) {
    horizontal_pass(in, n, taps, out, accumulate);
    tally(n, taps.count, accumulate, ops, products_per_value(taps.values, taps.count));
  }
  template <typename T>
  static void vertical(const T* const* rows, const T* values, size_t count, size_t n, T* out,
                       bool accumulate, OpCount& ops) {
    vertical_pass(rows, values, count, n, out, accumulate);
    tally(n, count, accumulate, ops, products_per_value(values, count));
  }
  template <typename T>
  static void vertical_pair(const T* const* rows, const T* values, size_t count, size_t n, T* out0,
                            T* out1, bool accumulate, OpCount& ops) {
    vertical_pair_pass(rows, values, count, n, out0, out1, accumulate);
    tally(2 * n, count, accumulate, ops, products_per_value(values, count));
  }
  template <typename T>
  static void window(const T* const* rows, const SparseTaps<T>* taps, size_t count, size_t n,
                     T* out, OpCount& ops) {
    window_pass(rows, taps, count, n, out);
    size_t total = 0;
    for (size_t r = 0; r < count; ++r) total += taps[r].count;
    tally(n, total, false, ops);
  }
  /// n values of `taps` taps each: `products` multiplications a value (taps, or fewer where
  /// mirrored taps share theirs) and taps - 1 additions, one more when accumulating.
  static void tally(size_t n, size_t taps, bool accumulate, OpCount& ops, size_t products) {
    if (taps == 0) return;
    ops.mul += static_cast<std::int64_t>(n * products);
    ops.add += static_cast<std::int64_t>(n * (taps - 1 + (accumulate ? 1 : 0)));
  }
  static void tally(size_t n, size_t taps, bool accumulate, OpCount& ops) {
    tally(n, taps, accumulate, ops, taps);
  }
};

/// The 16-bit fixed-point passes (--precision fixed): separable terms only.
struct FixedPointPasses {
  static void horizontal(const std::int16_t* in, size_t n, SparseTaps<std::int16_t> taps,
                         std::int16_t* out, bool accumulate, OpCount& ops) {
    horizontal_fixed_pass(in, n, taps, out, accumulate);
    SimdPasses::tally(n, taps.count, accumulate, ops);
  }
  static void vertical(const std::int16_t* const* rows, const std::int16_t* values, size_t count,
                       size_t n, std::int16_t* out, bool accumulate, OpCount& ops) {
    vertical_fixed_pass(rows, values, count, n, out, accumulate);
    SimdPasses::tally(n, count, accumulate, ops);
  }
  static void vertical_pair(const std::int16_t* const* rows, const std::int16_t* values,
                            size_t count, size_t n, std::int16_t* out0, std::int16_t* out1,
                            bool accumulate, OpCount& ops) {
    vertical_fixed_pair_pass(rows, values, count, n, out0, out1, accumulate);
    SimdPasses::tally(2 * n, count, accumulate, ops);
  }
  static void window(const std::int16_t* const*, const SparseTaps<std::int16_t>*, size_t, size_t,
                     std::int16_t*, OpCount&) {
    throw std::logic_error("fixed point runs separable and low-rank plans only");
  }
};

/// Scalar passes in Counted arithmetic: the instrumented twin of SimdPasses.
struct CountedPasses {
  template <typename T>
  static void window(const T* const* rows, const SparseTaps<T>* taps, size_t count, size_t n,
                     T* out, OpCount&) {
    using C = Counted<double>;
    for (size_t x = 0; x < n; ++x) {
      std::optional<C> sum;
      for (size_t r = 0; r < count; ++r) {
        for (size_t j = 0; j < taps[r].count; ++j) {
          const C product = C(taps[r].values[j]) * C(rows[r][x + taps[r].offsets[j]]);
          sum = sum ? *sum + product : product;
        }
      }
      out[x] = sum ? static_cast<T>(sum->value) : T(0);
    }
  }
  template <typename T>
  static void horizontal(const T* in, size_t n, SparseTaps<T> taps, T* out, bool accumulate,
                         OpCount& ops) {
    std::vector<const T*> sources;
    for (size_t j = 0; j < taps.count; ++j) sources.push_back(in + taps.offsets[j]);
    vertical(sources.data(), taps.values, taps.count, n, out, accumulate, ops);
  }
  /// One counted weighted sum, sharing the products of mirrored taps as the SIMD passes do.
  template <typename T>
  static void vertical(const T* const* rows, const T* values, size_t count, size_t n, T* out,
                       bool accumulate, OpCount&) {
    using C = Counted<double>;
    const bool paired = pairs_taps(values, count);
    for (size_t x = 0; x < n; ++x) {
      std::optional<C> sum;
      if (accumulate) sum = C(out[x]);
      for (size_t i = 0; i < count; ++i) {
        const size_t mirror = count - 1 - i;
        if (paired && i > mirror) break;
        const C input = paired && i < mirror ? C(rows[i][x]) + C(rows[mirror][x]) : C(rows[i][x]);
        const C product = C(values[i]) * input;
        sum = sum ? *sum + product : product;
      }
      out[x] = sum ? static_cast<T>(sum->value) : T(0);
    }
  }
  template <typename T>
  static void vertical_pair(const T* const* rows, const T* values, size_t count, size_t n, T* out0,
                            T* out1, bool accumulate, OpCount& ops) {
    vertical(rows, values, count, n, out0, accumulate, ops);
    vertical(rows + 1, values, count, n, out1, accumulate, ops);
  }
};

/// Source rows of the plane, converted to T and extended by the border to the padded width.
template <typename T>
class RowLoader {
 public:
  /// `pixel_shift` > 0 (16-bit fixed point, 8-bit pixels) loads pixels times 2^pixel_shift.
  RowLoader(const cv::Mat& plane, const Footprint& footprint, const Border& border, int pixel_shift)
      : plane_(plane),
        footprint_(footprint),
        row_table_(border_index_table(plane.rows, footprint.top, footprint.bottom, border.kind)),
        column_table_(border_index_table(plane.cols, footprint.left, footprint.right, border.kind)),
        constant_(static_cast<T>(border.value * (1 << pixel_shift))),
        sample_(sample_of(plane.depth())),
        pixel_shift_(pixel_shift),
        edge_left(edge_columns(footprint.left)),
        edge_right(edge_columns(footprint.right)) {}

  /// The in-image row that output-relative row `p` (may be outside) reads, or -1 for the constant.
  int source_row(int p) const { return row_table_[p + footprint_.top]; }

  /// Row `source` (or the constant row, -1) padded: footprint.extended_width() values into `out`.
  void load(int source, T* out) const {
    const int width = static_cast<int>(column_table_.size());
    if (source < 0) {
      std::fill(out, out + width, constant_);
      return;
    }
    widen(source, out + footprint_.left);
    for (int i = 0; i < footprint_.left; ++i) out[i] = edge(column_table_[i], out);
    for (int i = footprint_.left + plane_.cols; i < width; ++i)
      out[i] = edge(column_table_[i], out);
  }

  /// Whether output-relative rows [p, p + count) all lie inside the image (no border mapping).
  bool inside(int p, int count) const { return p >= 0 && p + count <= plane_.rows; }

  /// Whether passes can read the plane's rows where they are: the plane holds T already (float
  /// images under float plans), so only the few columns the border supplies need a copy.
  bool in_place() const {
    return std::is_same_v<T, float> && sample_ == Sample::f32 && pixel_shift_ == 0 &&
           footprint_.output.width > edge_left + edge_right;
  }

  /// What output column edge_left reads first, in row `source` of the plane itself (in_place()
  /// only): the passes read the interior columns from here.
  const T* interior(int source) const {
    return plane_.ptr<T>(source) + (edge_left - footprint_.left);
  }

  /// The padded row's values that output columns [0, edge_left) and the last edge_right read:
  /// edge_left + kw - 1 values into `left`, edge_right + kw - 1 into `right`.
  void load_edges(int source, T* left, T* right) const {
    const int kw = footprint_.kernel.width;
    const int right_start = footprint_.output.width - edge_right;
    for (int i = 0; i < edge_left + kw - 1; ++i) left[i] = pixel(source, column_table_[i]);
    for (int i = 0; i < edge_right + kw - 1; ++i)
      right[i] = pixel(source, column_table_[right_start + i]);
  }

 private:
  void widen(int source, T* out) const {
    if constexpr (std::is_same_v<T, std::int16_t>) {
      if (pixel_shift_ > 0) {
        return widen_row_shifted(plane_.ptr<std::uint8_t>(source), plane_.cols, pixel_shift_, out);
      }
    }
    widen_row(plane_.ptr(source), sample_, plane_.cols, out);
  }
  T edge(int column, const T* out) const {
    return column < 0 ? constant_ : out[footprint_.left + column];
  }
  /// Output columns a reach of `columns` beyond the image makes edge columns (made from copies of
  /// the padded edges): whole vectors of 16 floats (AVX-512; a multiple of the narrower targets'
  /// lanes), so they run in SIMD lanes rather than in the passes' scalar tail.
  static int edge_columns(int columns) { return columns == 0 ? 0 : (columns + 15) / 16 * 16; }
  T pixel(int source, int column) const {
    return source < 0 || column < 0 ? constant_ : plane_.ptr<T>(source)[column];
  }
  const cv::Mat& plane_;
  const Footprint& footprint_;
  std::vector<int> row_table_, column_table_;
  T constant_;
  Sample sample_;
  int pixel_shift_;

 public:
  const int edge_left, edge_right;  ///< output columns made from edge copies when in_place()
};

/// kh rows of `width` values, filled on demand and reused while the window slides down: inside the
/// image, source row s lives in slot s % slots; windows that touch the border use scratch rows.
template <typename T>
class RowRing {
 public:
  RowRing(int slots, size_t width)
      : slots_(slots),
        width_(width),
        data_(2 * static_cast<size_t>(slots) * width),
        tags_(slots, kNone) {}

  /// The slot for `source` and whether it already holds that row.
  std::pair<T*, bool> slot(int source) {
    const int index = source % slots_;
    const bool hit = tags_[index] == source;
    tags_[index] = source;
    return {row(index), hit};
  }
  /// Scratch row i, outside the cache.
  T* scratch(int i) { return row(slots_ + i); }

 private:
  static constexpr int kNone = -2;
  T* row(int index) { return data_.data() + static_cast<size_t>(index) * width_; }
  int slots_;
  size_t width_;
  std::vector<T> data_;
  std::vector<int> tags_;
};

/// The distinct source rows of one window at the border. Near the border several taps read the same
/// source row (every tap, on an image one row high under a 1025-row kernel): each distinct row is
/// loaded or filtered once per window, not once per tap.
class WindowRows {
 public:
  explicit WindowRows(int image_rows)
      : scratch_(static_cast<size_t>(image_rows) + 1),
        stamp_(static_cast<size_t>(image_rows) + 1) {}

  /// Starts a new window: no row is known yet.
  void next() { ++window_; }

  /// The scratch index that already holds `source` (-1: the constant row) in this window, or -1
  /// after recording that scratch `index` will hold it.
  int find_or_claim(int source, int index) {
    const size_t key = static_cast<size_t>(source + 1);
    if (stamp_[key] == window_) return scratch_[key];
    stamp_[key] = window_;
    scratch_[key] = index;
    return -1;
  }

 private:
  std::vector<int> scratch_;
  std::vector<std::int64_t> stamp_;
  std::int64_t window_ = 0;
};

/// Everything one strip of output rows needs; one per thread at a time.
template <typename T, typename Passes>
class Strip {
 public:
  Strip(const Plan& plan, const cv::Mat& plane, const Border& border, int pixel_shift)
      : plan_(plan),
        footprint_(plane.size(), plan.kernel_size(), plan.anchor, border),
        loader_(plane, footprint_, border, pixel_shift),
        window_rows_(plane.rows),
        padded_(footprint_.extended_width()),
        out_(footprint_.output.width),
        second_out_(footprint_.output.width),
        in_place_(loader_.in_place()),
        left_edge_(loader_.edge_left + footprint_.kernel.width - 1),
        right_edge_(loader_.edge_right + footprint_.kernel.width - 1) {}

  OpCount run(int y0, int y1, const RowSink<T>& sink, const RowTarget<T>& target) {
    target_ = target;
    switch (plan_.mode) {
      case Mode::full:
        run_full(y0, y1, sink);
        break;
      case Mode::separable:
      case Mode::lowrank:
        run_terms(y0, y1, sink);
        break;
      case Mode::fft:  // streaming_supports refuses FFT plans
        throw std::logic_error("the streaming engine does not run FFT plans");
    }
    return ops_;
  }

  cv::Size output() const { return footprint_.output; }

 private:
  /// Where output row y is built: the caller's row when it gave a target, else the strip's own.
  T* destination(int y) { return target_ ? target_(y) : out_.data(); }

  /// Hands row y to the sink, if there is one.
  void finish(const RowSink<T>& sink, int y, const T* row) const {
    if (sink) sink(y, row);
  }

  /// Loads a padded source row once for all the terms that ask for it in a row.
  const T* padded(int source) {
    if (source != padded_source_) {
      loader_.load(source, padded_.data());
      padded_source_ = source;
    }
    return padded_.data();
  }

  /// The horizontal pass over padded row `source` into `out`. When the loader allows, the pass
  /// reads the plane's row in place and only the columns near the edges come from copies: a float
  /// image is then read once, not copied into a padded row first.
  void horizontal_from(int source, SparseTaps<T> taps, T* out) {
    const size_t width = out_.size();
    if (!in_place_ || source < 0) {
      Passes::horizontal(padded(source), width, taps, out, false, ops_);
      return;
    }
    const size_t left = loader_.edge_left, right = loader_.edge_right;
    Passes::horizontal(loader_.interior(source), width - left - right, taps, out + left, false,
                       ops_);
    if (left + right == 0) return;
    const auto [left_edge, right_edge] = edges(source);
    if (left > 0) Passes::horizontal(left_edge, left, taps, out, false, ops_);
    if (right > 0) Passes::horizontal(right_edge, right, taps, out + width - right, false, ops_);
  }

  /// The edge copies of padded row `source` (RowLoader::load_edges), loaded once for all the
  /// terms that ask for it in a row.
  std::pair<const T*, const T*> edges(int source) {
    if (source != edges_source_) {
      loader_.load_edges(source, left_edge_.data(), right_edge_.data());
      edges_source_ = source;
    }
    return {left_edge_.data(), right_edge_.data()};
  }

  /// Where tap `i` of a window at the border finds source row `source`: the scratch row of an
  /// earlier tap that read the same row (already made), else its own scratch row.
  std::pair<T*, bool> border_slot(RowRing<T>& ring, int source, size_t i) {
    const int earlier = window_rows_.find_or_claim(source, static_cast<int>(i));
    if (earlier >= 0) return {ring.scratch(earlier), true};
    return {ring.scratch(static_cast<int>(i)), false};
  }

  /// Each output row is one sweep over the padded source rows of its window (the kernel rows with
  /// a nonzero tap); inside the image those rows come from a ring and are loaded once, at the
  /// border into scratch rows.
  void run_full(int y0, int y1, const RowSink<T>& sink) {
    const size_t width = footprint_.extended_width();
    RowRing<T> ring(plan_.rows, width);
    std::vector<PassTaps<T>> row_taps;
    std::vector<int> kernel_rows;
    for (int r = 0; r < plan_.rows; ++r) {
      PassTaps<T> taps(plan_.taps.ptr<double>(r), plan_.cols);
      if (taps.values.empty()) continue;
      row_taps.push_back(std::move(taps));
      kernel_rows.push_back(r);
    }
    std::vector<SparseTaps<T>> sparse;
    for (const PassTaps<T>& taps : row_taps) sparse.push_back(taps.sparse());
    std::vector<const T*> window(kernel_rows.size());
    for (int y = y0; y < y1; ++y) {
      const int first = y - footprint_.top;
      const bool inside = loader_.inside(first, plan_.rows);
      window_rows_.next();
      for (size_t i = 0; i < kernel_rows.size(); ++i) {
        const int source = loader_.source_row(first + kernel_rows[i]);
        auto [row, hit] = inside ? ring.slot(source) : border_slot(ring, source, i);
        if (!hit) loader_.load(source, row);
        window[i] = row;
      }
      T* out = destination(y);
      Passes::window(window.data(), sparse.data(), sparse.size(), out_.size(), out, ops_);
      finish(sink, y, out);
    }
  }

  /// One separable term's state: its taps and its ring of horizontally filtered rows.
  struct Term {
    PassTaps<T> horizontal, vertical;
    RowRing<T> ring;
  };

  void run_terms(int y0, int y1, const RowSink<T>& sink) {
    const size_t width = out_.size();
    std::vector<Term> terms;
    bool dense = true;  // every term has a tap in every kernel row: rows can go in pairs
    for (const SeparableTerm& term : plan_.terms) {
      // One slot more than the kernel's height: a pair of output rows reads kh + 1 source rows.
      terms.push_back(Term{PassTaps<T>(term.row.data(), plan_.cols),
                           PassTaps<T>(term.column.data(), plan_.rows),
                           RowRing<T>(plan_.rows + 1, width)});
      dense = dense && terms.back().vertical.values.size() == static_cast<size_t>(plan_.rows);
    }
    std::vector<const T*> sources(plan_.rows + 1);
    for (int y = y0; y < y1;) {
      const int first = y - footprint_.top;
      if (dense && y + 1 < y1 && loader_.inside(first, plan_.rows + 1)) {
        run_pair(terms, y, sources, sink);
        y += 2;
        continue;
      }
      const bool inside = loader_.inside(first, plan_.rows);
      T* out = destination(y);
      for (size_t t = 0; t < terms.size(); ++t) {
        Term& term = terms[t];
        window_rows_.next();
        for (size_t i = 0; i < term.vertical.offsets.size(); ++i) {
          const int source = loader_.source_row(first + term.vertical.offsets[i]);
          auto [row, hit] = inside ? term.ring.slot(source) : border_slot(term.ring, source, i);
          if (!hit) horizontal_from(source, term.horizontal.sparse(), row);
          sources[i] = row;
        }
        Passes::vertical(sources.data(), term.vertical.values.data(), term.vertical.values.size(),
                         width, out, t > 0, ops_);
      }
      finish(sink, y, out);
      ++y;
    }
  }

  /// Output rows y and y + 1 of dense terms whose kh + 1 source rows lie inside the image: one
  /// vertical pass makes both, loading each source row once (vertical_pair_pass).
  void run_pair(std::vector<Term>& terms, int y, std::vector<const T*>& sources,
                const RowSink<T>& sink) {
    const int first = y - footprint_.top;
    T* out0 = destination(y);
    T* out1 = target_ ? target_(y + 1) : second_out_.data();
    for (size_t t = 0; t < terms.size(); ++t) {
      Term& term = terms[t];
      for (int i = 0; i <= plan_.rows; ++i) {
        const int source = first + i;
        auto [row, hit] = term.ring.slot(source);
        if (!hit) horizontal_from(source, term.horizontal.sparse(), row);
        sources[i] = row;
      }
      Passes::vertical_pair(sources.data(), term.vertical.values.data(),
                            term.vertical.values.size(), out_.size(), out0, out1, t > 0, ops_);
    }
    finish(sink, y, out0);
    finish(sink, y + 1, out1);
  }

  const Plan& plan_;
  const Footprint footprint_;
  const RowLoader<T> loader_;
  WindowRows window_rows_;
  std::vector<T> padded_;
  int padded_source_ = -3;  // no row loaded yet (-1 is the constant row)
  std::vector<T> out_;
  std::vector<T> second_out_;  ///< output row y + 1 of a pair when the caller gave no target
  const bool in_place_;        ///< RowLoader::in_place()
  std::vector<T> left_edge_, right_edge_;  ///< RowLoader::load_edges of edges_source_
  int edges_source_ = -3;
  RowTarget<T> target_;
  OpCount ops_;
};

/// Runs strips of output rows on up to `threads` threads and adds up what they executed.
template <typename T, typename Passes>
OpCount run_strips(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                   const RowSink<T>& sink, const RowTarget<T>& target = {}, int pixel_shift = 0) {
  const int rows = output_size(plane.size(), plan.kernel_size(), border).height;
  if (threads <= 1 || rows < 64)
    return Strip<T, Passes>(plan, plane, border, pixel_shift).run(0, rows, sink, target);
  std::mutex mutex;
  OpCount total;
  // Two strips a thread balance the load; each strip recomputes kh - 1 rows at its top.
  const int strips = std::min(rows / 32, threads * 2);
  cv::parallel_for_(
      cv::Range(0, strips),
      [&](const cv::Range& range) {
        const int y0 = static_cast<int>(static_cast<std::int64_t>(rows) * range.start / strips);
        const int y1 = static_cast<int>(static_cast<std::int64_t>(rows) * range.end / strips);
        const OpCount ops =
            Strip<T, Passes>(plan, plane, border, pixel_shift).run(y0, y1, sink, target);
        std::lock_guard<std::mutex> lock(mutex);
        total += ops;
      },
      strips);
  return total;
}

}  // namespace

bool streaming_supports(const Plan& plan, int depth) {
  if (depth != CV_8U && depth != CV_16U && depth != CV_16S && depth != CV_32F) return false;
  switch (plan.arithmetic) {
    case Arithmetic::float32:
      return plan.mode != Mode::fft;
    case Arithmetic::float64:
      return false;
    case Arithmetic::integer:
      return plan.mode != Mode::fft && sum_bound(plan, depth) < kInt32Sum;
  }
  return false;
}

OpCount stream_float(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                     const RowSink<float>& sink, const RowTarget<float>& target) {
  return run_strips<float, SimdPasses>(plan, plane, border, threads, sink, target);
}

OpCount stream_integer(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                       const RowSink<std::int32_t>& sink) {
  return run_strips<std::int32_t, SimdPasses>(plan, plane, border, threads, sink);
}

bool fits_16_bits(const Plan& plan, int depth) {
  return plan.arithmetic == Arithmetic::integer && depth == CV_8U &&
         sum_bound(plan, depth) < kInt16Sum;
}

OpCount stream_integer16(const Plan& plan, const cv::Mat& plane, const Border& border, int threads,
                         const RowSink<std::int16_t>& sink, const RowTarget<std::int16_t>& target) {
  return run_strips<std::int16_t, SimdPasses>(plan, plane, border, threads, sink, target);
}

OpCount stream_fixed_point(const Plan& plan, int pixel_shift, const cv::Mat& plane,
                           const Border& border, int threads, const RowSink<std::int16_t>& sink) {
  if (plane.depth() != CV_8U || plan.mode == Mode::full || plan.mode == Mode::fft) {
    throw std::invalid_argument("fixed point runs separable plans on 8-bit planes");
  }
  return run_strips<std::int16_t, FixedPointPasses>(plan, plane, border, threads, sink, {},
                                                    pixel_shift);
}

OpCount count_streaming_ops(const Plan& plan, const cv::Mat& plane, const Border& border) {
  counted_ops = {};
  if (fits_16_bits(plan, plane.depth())) {
    run_strips<std::int16_t, CountedPasses>(plan, plane, border, 1,
                                            [](int, const std::int16_t*) {});
  } else if (plan.arithmetic == Arithmetic::integer) {
    run_strips<std::int32_t, CountedPasses>(plan, plane, border, 1,
                                            [](int, const std::int32_t*) {});
  } else {
    run_strips<float, CountedPasses>(plan, plane, border, 1, [](int, const float*) {});
  }
  return counted_ops;
}

}  // namespace sepconv
