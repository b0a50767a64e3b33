#pragma once
// libpng's error handling for sepconv, shared by the whole-image codec (png_codec.cpp) and the
// row reader and writer (png_rows.cpp). libpng reports an error by calling the error function,
// which must not return: it keeps the message and longjmps to the jump point the caller set with
// setjmp(png_jmpbuf(png)), and the caller throws after the jump, with no C++ object alive in
// between. Internal to io/.

#include <png.h>

#include <string>

namespace sepconv::codec {

/// libpng's error pointer: what the handlers need, and the message that ended the call.
struct PngErrors {
  std::string name;      ///< the file (or "PNG encoder"), for harmless warnings shown with -v
  std::string message;   ///< the error, or the warning about damaged data, that longjmp'd
  bool writing = false;  ///< an encoder's warnings (about metadata it refused) never fail it
};

/// png_create_read_struct / png_create_write_struct with `errors` as the error pointer: an error,
/// or (reading) a warning about damaged data, longjmps with its message kept; harmless warnings
/// (an incorrect sRGB profile) go to -v only. Null when libpng cannot start.
png_structp create_png_reader(PngErrors& errors);
png_structp create_png_writer(PngErrors& errors);

}  // namespace sepconv::codec
