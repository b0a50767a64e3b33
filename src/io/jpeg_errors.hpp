#pragma once
// libjpeg's error handling for sepconv, shared by the whole-image codec (jpeg_codec.cpp) and the
// row reader and writer (jpeg_rows.cpp). libjpeg reports errors by calling error_exit, which must
// not return: these handlers keep the message and longjmp to the jump point the caller set, and
// the caller throws after the jump, with no C++ object alive in between. Internal to io/.

#include <csetjmp>
#include <cstdio>
#include <string>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

namespace sepconv::codec {

/// More scans than any real progressive JPEG has (libjpeg-turbo's tools suggest 100): a file with
/// thousands of tiny scans would otherwise take minutes.
constexpr int kMaxJpegScans = 1000;

struct JpegErrors {
  jpeg_error_mgr manager;  // first, so a j_common_ptr's err can be cast back
  std::jmp_buf jump;
  std::string name;
  std::string message;
};

/// Installs `errors` as the error manager in `slot` (a compress or decompress struct's `err`):
/// an error, or a warning about damaged data, longjmps to errors.jump with the message kept;
/// harmless warnings (an Adobe transform, a bad ICC marker, a newer JFIF) go to -v only.
void use_jpeg_errors(JpegErrors& errors, jpeg_error_mgr*& slot);

/// A progress monitor that stops a decode after kMaxJpegScans scans, as an error.
void stop_after_too_many_scans(j_common_ptr info);

}  // namespace sepconv::codec
