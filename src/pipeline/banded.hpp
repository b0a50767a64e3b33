#pragma once
// Filtering an image that is never whole in memory: rows come from a RowReader, are filtered a
// band at a time by the whole-image code, and go to a RowWriter as soon as they are finished.
//
// Why this gives the whole-image result bit for bit: an output row depends only on the input rows
// under its kernel window (the engines are row-local; FFT plans, the wrap border and the normalize
// map, which are not, never come here). Each band holds the rows its output rows' windows reach,
// so the engine sees the same rows; where a window crosses the image's top or bottom edge, the
// band starts or ends at that same edge and holds every row the border reflects or repeats, so the
// engine's border gives the same rows too. Rows the engine makes at a band's inner edges, from a
// border that is not the image's, are thrown away. Memory is a band of rows (a few MiB) plus the
// codecs' buffers, whatever the height.

#include <functional>
#include <opencv2/core.hpp>
#include <string>

#include "engine/border.hpp"
#include "io/row_io.hpp"

namespace sepconv {

/// How far the window of an output row reaches: `above` rows above it and `below` rows below it.
/// For a `valid` border, output row y's window is input rows y .. y + kernel height - 1: above 0,
/// below kernel height - 1, and there are height - kernel height + 1 output rows.
struct BandGeometry {
  int above = 0;
  int below = 0;
  bool valid = false;
};

/// The geometry of a kernel of `kernel_rows` rows with its anchor on row `anchor_row`.
BandGeometry band_geometry(int kernel_rows, int anchor_row, bool valid);

/// Input rows [begin, end).
struct RowRange {
  int begin = 0, end = 0;
};

/// The input rows a band of output rows [first, last) needs, of an image `height` rows tall: the
/// windows' rows, widened at the image's top and bottom edges to hold the rows the border maps to.
RowRange band_input_rows(const BandGeometry& geometry, int height, int first, int last);

/// Output rows per band: SEPCONV_BAND_ROWS when it is set to a positive number (tests use it to
/// make bands of one or a few rows), else about 4 MiB of input rows and at least twice the
/// kernel's height, so the rows recomputed at band edges cost little.
int band_rows_for(cv::Size size, int type, int kernel_rows);

/// Whether filtering streams at all: SEPCONV_BAND_ROWS=0 turns it off, so the whole-image path can
/// be compared with it.
bool banded_enabled();

/// Whether an image can stream into `output` as `type` pixels, as apply and edges both ask:
/// streaming is on, the output is a file whose format has a row encoder for that type (not "-"),
/// and the border needs no far side of the image (wrap). The command adds its own conditions.
bool streams_into(const std::string& output, int type, const Border& border);

/// Filters one band (all its rows, any number) as the whole-image code would filter an image;
/// returns the filtered band (as many rows, or kernel height - 1 fewer under `valid`) in memory of
/// its own: it is encoded while the next band is read into the band's memory.
using BandFilter = std::function<cv::Mat(const cv::Mat& band)>;

/// Time spent in each stage, in milliseconds.
struct BandedTimes {
  double read_ms = 0, filter_ms = 0, write_ms = 0;
};

/// Reads every row of `reader`, filters it band by band of `band_rows` output rows with `filter`,
/// writes every output row to `writer` in order (on a second thread, so encoding overlaps decoding
/// and filtering), and lets the reader check what follows the rows. An Error from any stage is
/// thrown once both threads have stopped.
BandedTimes run_banded(RowReader& reader, RowWriter& writer, const BandGeometry& geometry,
                       int band_rows, const BandFilter& filter);

/// What the statistics' time line adds for a streamed input: ", streamed in bands of N rows"; empty
/// for 0 (read whole).
std::string streamed_note(int band_rows);

}  // namespace sepconv
