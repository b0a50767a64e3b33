#include "pipeline/banded.hpp"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

namespace sepconv {
namespace {

/// Input rows per band the default aims at: small against any memory limit, large enough that the
/// engine's threads each get a good strip.
constexpr std::size_t kBandBytes = std::size_t{4} << 20;

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// SEPCONV_BAND_ROWS as a number, or -1 when it is unset or not a number.
long band_rows_setting() {
  const char* text = std::getenv("SEPCONV_BAND_ROWS");
  if (text == nullptr || *text == '\0') return -1;
  char* end = nullptr;
  const long rows = std::strtol(text, &end, 10);
  return *end == '\0' && rows >= 0 ? rows : -1;
}

/// Encodes finished rows on a thread of its own, so that encoding (the slowest stage for PNG, at
/// about three times the decoding) runs while the next band is decoded and filtered. At most two
/// bands wait, so memory stays a few bands. An encoder error stops the thread and is thrown again
/// on the caller's thread at its next push or at finish.
class WriterThread {
 public:
  explicit WriterThread(RowWriter& writer) : writer_(writer), thread_([this] { run(); }) {}
  ~WriterThread() {
    if (thread_.joinable()) stop();
  }

  /// Queues rows (a view that keeps its band alive) to be written after those queued before.
  void push(cv::Mat rows) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queue_.size() < kMaxQueued || error_; });
    if (error_) std::rethrow_exception(error_);
    queue_.push_back(std::move(rows));
    changed_.notify_all();
  }

  /// Writes what is queued and returns the time spent encoding, in milliseconds.
  double finish() {
    stop();
    if (error_) std::rethrow_exception(error_);
    return write_ms_;
  }

 private:
  static constexpr std::size_t kMaxQueued = 2;

  void stop() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  void run() {
    for (;;) {
      cv::Mat rows;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !queue_.empty() || done_; });
        if (queue_.empty() || error_) return;
        rows = queue_.front();
      }
      try {
        const auto start = Clock::now();
        for (int y = 0; y < rows.rows; ++y) writer_.write_row(rows.ptr(y));
        write_ms_ += ms_since(start);
      } catch (...) {
        std::lock_guard lock(mutex_);
        error_ = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      queue_.pop_front();
      changed_.notify_all();
      if (error_) return;
    }
  }

  RowWriter& writer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<cv::Mat> queue_;
  bool done_ = false;
  std::exception_ptr error_;
  double write_ms_ = 0;  // the thread's own until it is joined
  std::thread thread_;   // last: started once everything it uses exists
};

/// Every band allocates its planes and output afresh (the whole-image code it runs does). glibc
/// serves blocks over 128 KiB with mmap and returns them on free, so each band's buffers were new
/// zeroed pages: a third of the CPU time of a 4K colour JPEG went to page faults. Served from the
/// heap and kept (up to 128 MiB free at its top), the next band reuses the same pages.
void keep_band_sized_blocks() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
  });
}

}  // namespace

BandGeometry band_geometry(int kernel_rows, int anchor_row, bool valid) {
  if (valid) return {0, kernel_rows - 1, true};
  return {anchor_row, kernel_rows - 1 - anchor_row, false};
}

RowRange band_input_rows(const BandGeometry& g, int height, int first, int last) {
  if (g.valid) return {first, last + g.below};
  // At the top, the border maps rows -1 .. -above to rows at most `above` (reflect101: -k -> k),
  // so the band reaches row `above`; at the bottom it maps rows past the end to rows no higher
  // than height - 1 - below.
  const int begin = std::max(0, std::min(first - g.above, height - 1 - g.below));
  const int end = std::min(height, std::max(last + g.below, g.above + 1));
  return {begin, end};
}

int band_rows_for(cv::Size size, int type, int kernel_rows) {
  const long setting = band_rows_setting();
  if (setting > 0) return static_cast<int>(std::min<long>(setting, size.height));
  const std::size_t row_bytes = std::size_t(size.width) * CV_ELEM_SIZE(type);
  const std::size_t rows = std::max<std::size_t>(kBandBytes / std::max<std::size_t>(row_bytes, 1),
                                                 std::max(16, 2 * kernel_rows));
  return static_cast<int>(std::min<std::size_t>(rows, size.height));
}

bool banded_enabled() {
  return band_rows_setting() != 0;
}

bool streams_into(const std::string& output, int type, const Border& border) {
  return banded_enabled() && output != "-" && border.kind != BorderKind::wrap &&
         can_write_rows(output, type);
}

BandedTimes run_banded(RowReader& reader, RowWriter& writer, const BandGeometry& geometry,
                       int band_rows, const BandFilter& filter) {
  keep_band_sized_blocks();
  BandedTimes times;
  const int height = reader.size().height;
  const int out_rows = geometry.valid ? height - geometry.below : height;
  CV_Assert(band_rows >= 1 && out_rows >= 1);
  // The rows of the band being filtered: buffer row 0 is input row `first`, and `loaded` rows are
  // there. A band needs at most band_rows + above + below + 1 rows (band_input_rows' widening).
  const int capacity = std::min(height, band_rows + geometry.above + geometry.below + 1);
  cv::Mat buffer(capacity, reader.size().width, reader.type());
  const std::size_t row_bytes = buffer.step[0];
  int first = 0, loaded = 0;
  WriterThread writer_thread(writer);
  for (int y0 = 0; y0 < out_rows; y0 += band_rows) {
    const int y1 = std::min(out_rows, y0 + band_rows);
    const RowRange rows = band_input_rows(geometry, height, y0, y1);
    CV_Assert(rows.begin >= first && rows.begin <= first + loaded &&
              rows.end - rows.begin <= capacity);
    // Keep the rows this band shares with the last one; read the new ones below them.
    const int drop = rows.begin - first;
    if (drop > 0) {
      std::memmove(buffer.ptr(0), buffer.ptr(drop), (loaded - drop) * row_bytes);
      loaded -= drop;
      first = rows.begin;
    }
    auto start = Clock::now();
    for (; first + loaded < rows.end; ++loaded) reader.read_row(buffer.ptr(loaded));
    times.read_ms += ms_since(start);

    start = Clock::now();
    const cv::Mat filtered = filter(buffer.rowRange(0, rows.end - rows.begin));
    times.filter_ms += ms_since(start);

    writer_thread.push(filtered.rowRange(y0 - rows.begin, y1 - rows.begin));
  }
  const auto start = Clock::now();
  reader.finish();
  times.read_ms += ms_since(start);
  times.write_ms = writer_thread.finish();
  return times;
}

std::string streamed_note(int band_rows) {
  if (band_rows <= 0) return "";
  return ", streamed in bands of " + std::to_string(band_rows) +
         (band_rows == 1 ? " row" : " rows");
}

}  // namespace sepconv
