#pragma once
// libtiff's messages for sepconv, shared by the whole-image codec (tiff_codec.cpp) and the row
// reader and writer (tiff_rows.cpp). Each file gets handlers of its own that keep the first error,
// or a warning about damaged data, for the caller to throw; harmless warnings (an unknown tag) go
// to -v only; libtiff's process-wide handlers, which print on stderr, are silenced. Internal to
// io/.

#include <tiffio.h>

#include <memory>
#include <string>

namespace sepconv::codec {

/// What libtiff said about one file: a file type of the codec or the row reader derives from it.
struct TiffMessages {
  std::string name;   ///< the file, for errors and for harmless warnings shown with -v
  std::string error;  ///< the first error, or warning about damage; empty while none
};

struct TiffCloser {
  void operator()(TIFF* tiff) const { TIFFClose(tiff); }
};
using TiffHandle = std::unique_ptr<TIFF, TiffCloser>;

/// The client procedures TIFFClientOpenExt reads and writes `handle` with.
struct TiffProcs {
  TIFFReadWriteProc read;
  TIFFReadWriteProc write;
  TIFFSeekProc seek;
  TIFFCloseProc close;
  TIFFSizeProc size;
  TIFFMapFileProc map;
  TIFFUnmapFileProc unmap;
};

/// Opens `handle` (whose messages go to `messages`) with --max-bytes as libtiff's largest single
/// allocation. Null when libtiff cannot open it; `messages.error` then says why.
TiffHandle open_tiff(thandle_t handle, const TiffProcs& procs, const char* mode,
                     TiffMessages& messages);

}  // namespace sepconv::codec
