#include "io/png_errors.hpp"

#include "io/codecs.hpp"

namespace sepconv::codec {
namespace {

void on_error(png_structp png, png_const_charp message) {
  auto* errors = static_cast<PngErrors*>(png_get_error_ptr(png));
  errors->message = message;
  png_longjmp(png, 1);
}

void on_warning(png_structp png, png_const_charp message) {
  auto* errors = static_cast<PngErrors*>(png_get_error_ptr(png));
  if (!errors->writing && is_damage_warning(message)) {
    errors->message = message;
    png_longjmp(png, 1);
  }
  report_harmless_warning(errors->name, "libpng", message);
}

}  // namespace

png_structp create_png_reader(PngErrors& errors) {
  return png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors, on_error, on_warning);
}

png_structp create_png_writer(PngErrors& errors) {
  errors.writing = true;
  return png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors, on_error, on_warning);
}

}  // namespace sepconv::codec
