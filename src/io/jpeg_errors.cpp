#include "io/jpeg_errors.hpp"

#include <fmt/format.h>
#include <jerror.h>

#include "io/codecs.hpp"

namespace sepconv::codec {

namespace {

std::string message_of(j_common_ptr info) {
  char text[JMSG_LENGTH_MAX];
  (*info->err->format_message)(info, text);
  return text;
}

[[noreturn]] void on_error(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  errors->message = message_of(info);
  std::longjmp(errors->jump, 1);
}

bool is_harmless_warning(int code) {
  return code == JWRN_ADOBE_XFORM || code == JWRN_BOGUS_ICC || code == JWRN_JFIF_MAJOR;
}

void on_message(j_common_ptr info, int level) {
  if (level >= 0) return;  // trace messages
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  if (!is_harmless_warning(info->err->msg_code)) {
    errors->message = message_of(info);
    std::longjmp(errors->jump, 1);
  }
  report_harmless_warning(errors->name, "libjpeg", message_of(info));
}

}  // namespace

void stop_after_too_many_scans(j_common_ptr info) {
  auto* decompress = reinterpret_cast<j_decompress_ptr>(info);
  if (decompress->input_scan_number > kMaxJpegScans) {
    auto* errors = reinterpret_cast<JpegErrors*>(info->err);
    errors->message = fmt::format("more than {} scans", kMaxJpegScans);
    std::longjmp(errors->jump, 1);
  }
}

void use_jpeg_errors(JpegErrors& errors, jpeg_error_mgr*& slot) {
  slot = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = on_error;
  errors.manager.emit_message = on_message;
}

}  // namespace sepconv::codec
