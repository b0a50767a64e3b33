// WebP through libwebp: lossy and lossless, read as BGR or BGRA; written lossless unless a
// quality is given (OpenCV's default too).

#include <fmt/format.h>
#include <webp/decode.h>
#include <webp/encode.h>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "io/codecs.hpp"

namespace sepconv::codec {
namespace {

std::string status_text(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OK:
      return "ok";
    case VP8_STATUS_OUT_OF_MEMORY:
      return "out of memory";
    case VP8_STATUS_INVALID_PARAM:
      return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:
      return "bitstream error (corrupt data)";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return "unsupported feature";
    case VP8_STATUS_SUSPENDED:
      return "suspended";
    case VP8_STATUS_USER_ABORT:
      return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return "not enough data (truncated)";
  }
  return "unknown error";
}

}  // namespace

cv::Mat decode_webp(const Encoded& in) {
  WebPBitstreamFeatures features;
  const VP8StatusCode status = WebPGetFeatures(in.data, in.size, &features);
  if (status != VP8_STATUS_OK) {
    throw Error(in.name, "is corrupt or truncated: libwebp: " + status_text(status));
  }
  if (features.has_animation)
    throw Error(in.name, "is an animated WebP, which sepconv does not read");
  const int channels = features.has_alpha ? 4 : 3;
  check_decoded_size(in.name, features.width, features.height, channels, 1);
  cv::Mat image(features.height, features.width, CV_8UC(channels));
  const std::size_t bytes = image.total() * image.elemSize();
  const auto* decoded =
      features.has_alpha
          ? WebPDecodeBGRAInto(in.data, in.size, image.data, bytes, static_cast<int>(image.step))
          : WebPDecodeBGRInto(in.data, in.size, image.data, bytes, static_cast<int>(image.step));
  if (decoded == nullptr) throw Error(in.name, "is corrupt or truncated: libwebp cannot decode it");
  return image;
}

Bytes encode_webp(const cv::Mat& image, const WriteOptions& options) {
  CV_Assert(image.depth() == CV_8U);
  // WebP holds colour only: gray is written as BGR, gray+alpha as BGRA.
  cv::Mat source = image;
  if (image.channels() == 1) cv::cvtColor(image, source, cv::COLOR_GRAY2BGR);
  if (image.channels() == 2) {
    const int pairs[] = {0, 0, 0, 1, 0, 2, 1, 3};
    source.create(image.size(), CV_8UC4);
    cv::mixChannels(&image, 1, &source, 1, pairs, 4);
  }
  if (!source.isContinuous()) source = source.clone();
  // The advanced API, for `exact`: the simple lossless calls change the colour of fully
  // transparent pixels, which sepconv's outputs must keep.
  WebPConfig config;
  WebPPicture picture;
  if (!WebPConfigInit(&config) || !WebPPictureInit(&picture)) {
    throw Error("", "cannot be encoded: libwebp version mismatch");
  }
  config.lossless = options.quality > 0 ? 0 : 1;
  config.quality = options.quality > 0 ? static_cast<float>(options.quality) : 75.0f;
  config.exact = 1;
  picture.use_argb = 1;
  picture.width = source.cols;
  picture.height = source.rows;
  WebPMemoryWriter writer;
  WebPMemoryWriterInit(&writer);
  picture.writer = WebPMemoryWrite;
  picture.custom_ptr = &writer;
  const int stride = static_cast<int>(source.step);
  const bool imported = source.channels() == 4
                            ? WebPPictureImportBGRA(&picture, source.data, stride)
                            : WebPPictureImportBGR(&picture, source.data, stride);
  const bool encoded = imported && WebPEncode(&config, &picture);
  const WebPEncodingError error = picture.error_code;
  WebPPictureFree(&picture);
  if (!encoded) {
    WebPMemoryWriterClear(&writer);
    throw Error("",
                fmt::format("cannot be encoded: libwebp error {}{}", static_cast<int>(error),
                            error == VP8_ENC_ERROR_BAD_DIMENSION ? " (a side over 16383)" : ""));
  }
  Bytes out(writer.mem, writer.mem + writer.size);
  WebPMemoryWriterClear(&writer);
  return out;
}

std::string webp_version() {
  const int version = WebPGetDecoderVersion();
  return fmt::format("libwebp {}.{}.{}", version >> 16, version >> 8 & 0xFF, version & 0xFF);
}

}  // namespace sepconv::codec
