#include "io/tiff_errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdarg>
#include <cstdint>
#include <cstdio>

#include "io/codecs.hpp"
#include "io/image_io.hpp"

namespace sepconv::codec {
namespace {

std::string format_message(const char* module, const char* format, va_list args) {
  char text[512];
  std::vsnprintf(text, sizeof text, format, args);
  return module && *module ? fmt::format("{}: {}", module, text) : std::string(text);
}

int on_error(TIFF*, void* user, const char* module, const char* format, va_list args) {
  auto* messages = static_cast<TiffMessages*>(user);
  if (messages->error.empty()) messages->error = format_message(module, format, args);
  return 1;  // handled: nothing reaches stderr
}

int on_warning(TIFF*, void* user, const char* module, const char* format, va_list args) {
  auto* messages = static_cast<TiffMessages*>(user);
  const std::string message = format_message(module, format, args);
  if (is_damage_warning(message)) {
    if (messages->error.empty()) messages->error = message;
  } else {
    report_harmless_warning(messages->name, "libtiff", message);
  }
  return 1;
}

/// libtiff's process-wide handlers print on stderr; messages go through the per-file ones only.
/// Once, so that jobs opening files on several threads never write the globals at the same time.
void silence_global_handlers() {
  static const bool once = [] {
    TIFFSetErrorHandler(nullptr);
    TIFFSetWarningHandler(nullptr);
    return true;
  }();
  (void)once;
}

}  // namespace

TiffHandle open_tiff(thandle_t handle, const TiffProcs& procs, const char* mode,
                     TiffMessages& messages) {
  silence_global_handlers();
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, &messages);
  TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, &messages);
  TIFFOpenOptionsSetMaxSingleMemAlloc(
      options, static_cast<tmsize_t>(std::min<std::uint64_t>(max_bytes(), INT64_MAX)));
  TiffHandle tiff(TIFFClientOpenExt(messages.name.c_str(), mode, handle, procs.read, procs.write,
                                    procs.seek, procs.close, procs.size, procs.map, procs.unmap,
                                    options));
  TIFFOpenOptionsFree(options);
  return tiff;
}

}  // namespace sepconv::codec
