// WebP through libwebp: lossy and lossless, read as BGR or BGRA; written lossless unless a
// quality is given (OpenCV's default too). Metadata: the ICCP, EXIF and XMP chunks, through
// libwebpmux, which also sets the extended header's flags for them.

#include <fmt/format.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include <memory>
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

struct MuxDeleter {
  void operator()(WebPMux* mux) const { WebPMuxDelete(mux); }
};
using MuxHandle = std::unique_ptr<WebPMux, MuxDeleter>;

/// The bytes of one chunk ("ICCP", "EXIF", "XMP "), empty when absent.
std::vector<std::uint8_t> chunk_of(const WebPMux* mux, const char* fourcc) {
  WebPData chunk{nullptr, 0};
  if (WebPMuxGetChunk(mux, fourcc, &chunk) != WEBP_MUX_OK) return {};
  return std::vector<std::uint8_t>(chunk.bytes, chunk.bytes + chunk.size);
}

void read_metadata(const Encoded& in, Metadata& metadata) {
  const WebPData data{in.data, in.size};
  const MuxHandle mux(WebPMuxCreate(&data, 0));
  if (!mux) return;  // the decoder has already accepted the file; only the extras are unreadable
  metadata.icc = chunk_of(mux.get(), "ICCP");
  const std::vector<std::uint8_t> exif = chunk_of(mux.get(), "EXIF");
  if (!exif.empty()) keep_exif(metadata, exif.data(), exif.size());
  const std::vector<std::uint8_t> xmp = chunk_of(mux.get(), "XMP ");
  metadata.xmp.assign(xmp.begin(), xmp.end());
}

void set_chunk(WebPMux* mux, const char* fourcc, const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  const WebPData chunk{data, size};
  if (WebPMuxSetChunk(mux, fourcc, &chunk, 1) != WEBP_MUX_OK) {
    throw Error("", fmt::format("cannot be encoded: libwebpmux refused the {} chunk", fourcc));
  }
}

/// The encoded image with the metadata chunks added; unchanged when there are none.
Bytes with_metadata(Bytes image, const Metadata& metadata, int channels) {
  std::vector<std::uint8_t> icc = metadata.icc;
  if (!icc.empty() && !icc_fits(icc, channels)) {
    report_dropped_metadata("the ICC profile", "its colour space does not fit the channels");
    icc.clear();
  }
  if (icc.empty() && metadata.exif.empty() && metadata.xmp.empty()) return image;
  const WebPData bitstream{image.data(), image.size()};
  const MuxHandle mux(WebPMuxCreate(&bitstream, 1));
  if (!mux) throw Error("", "cannot be encoded: libwebpmux cannot start");
  set_chunk(mux.get(), "ICCP", icc.data(), icc.size());
  set_chunk(mux.get(), "EXIF", metadata.exif.data(), metadata.exif.size());
  set_chunk(mux.get(), "XMP ", reinterpret_cast<const std::uint8_t*>(metadata.xmp.data()),
            metadata.xmp.size());
  WebPData assembled{nullptr, 0};
  if (WebPMuxAssemble(mux.get(), &assembled) != WEBP_MUX_OK) {
    throw Error("", "cannot be encoded: libwebpmux cannot assemble the file");
  }
  Bytes out(assembled.bytes, assembled.bytes + assembled.size);
  WebPDataClear(&assembled);
  return out;
}

}  // namespace

cv::Mat decode_webp(const Encoded& in, Metadata& metadata) {
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
  read_metadata(in, metadata);
  return image;
}

Bytes encode_webp(const cv::Mat& image, const WriteOptions& options, const Metadata& metadata) {
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
  return with_metadata(std::move(out), metadata, source.channels());
}

int webp_max_side() {
  return WEBP_MAX_DIMENSION;
}

std::string webp_version() {
  const int version = WebPGetDecoderVersion();
  return fmt::format("libwebp {}.{}.{}", version >> 16, version >> 8 & 0xFF, version & 0xFF);
}

}  // namespace sepconv::codec
