// Binary PGM/PPM (P5, P6; 8 or 16-bit) and PFM (Pf gray, PF colour; float32), by hand: each is a
// text header and raw samples, simpler to read here than to bring in netpbm. The ASCII and
// bitmap variants (P1-P4) and PAM (P7) go to the OpenCV fallback.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "io/codecs.hpp"

namespace sepconv::codec {
namespace {

/// Reads the whitespace-separated header words after the two-byte magic, skipping '#' comments;
/// leaves `at` on the single whitespace byte that ends the header.
std::vector<std::string> header_words(const Encoded& in, std::size_t count, std::size_t& at) {
  std::vector<std::string> words;
  at = 2;
  while (words.size() < count) {
    while (at < in.size && (std::isspace(in.data[at]) || in.data[at] == '#')) {
      if (in.data[at] == '#') {
        while (at < in.size && in.data[at] != '\n' && in.data[at] != '\r') ++at;
      } else {
        ++at;
      }
    }
    std::string word;
    while (at < in.size && !std::isspace(in.data[at]) && word.size() < 32) {
      word += static_cast<char>(in.data[at++]);
    }
    if (word.empty()) throw Error(in.name, "is truncated: its PNM header is incomplete");
    words.push_back(word);
  }
  if (at >= in.size) throw Error(in.name, "is truncated: it has no pixels after its header");
  ++at;  // the one whitespace byte before the samples
  return words;
}

std::uint64_t header_number(const Encoded& in, const std::string& word) {
  std::uint64_t value = 0;
  for (char c : word) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || value > 0xFFFFFFFFu) {
      throw Error(in.name, fmt::format("is corrupt: '{}' in its PNM header is not a size", word));
    }
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

void require_bytes(const Encoded& in, std::size_t at, std::uint64_t needed) {
  if (in.size - at < needed) {
    throw Error(in.name,
                fmt::format("is truncated: {} bytes of pixels, {} expected", in.size - at, needed));
  }
}

cv::Mat decode_pgm_ppm(const Encoded& in) {
  std::size_t at = 0;
  const auto words = header_words(in, 3, at);
  const std::uint64_t width = header_number(in, words[0]), height = header_number(in, words[1]);
  const std::uint64_t maxval = header_number(in, words[2]);
  if (maxval == 0 || maxval > 65535) {
    throw Error(in.name, fmt::format("is corrupt: PNM maximum value {}", words[2]));
  }
  const int channels = in.data[1] == '6' ? 3 : 1;
  const int bytes = maxval > 255 ? 2 : 1;
  check_decoded_size(in.name, width, height, channels, bytes);
  require_bytes(in, at, width * height * channels * bytes);
  cv::Mat image(static_cast<int>(height), static_cast<int>(width),
                CV_MAKETYPE(bytes == 2 ? CV_16U : CV_8U, channels));
  std::memcpy(image.data, in.data + at, image.total() * image.elemSize());
  if (bytes == 2) {  // big-endian in the file
    for (std::uint16_t* sample = image.ptr<std::uint16_t>();
         sample != image.ptr<std::uint16_t>() + image.total() * channels; ++sample) {
      *sample = static_cast<std::uint16_t>(*sample >> 8 | *sample << 8);
    }
  }
  if (channels == 3) cv::cvtColor(image, image, cv::COLOR_RGB2BGR);
  return image;
}

cv::Mat decode_pfm(const Encoded& in) {
  std::size_t at = 0;
  const auto words = header_words(in, 3, at);
  const std::uint64_t width = header_number(in, words[0]), height = header_number(in, words[1]);
  char* end = nullptr;
  const double scale = std::strtod(words[2].c_str(), &end);
  if (*end != '\0' || scale == 0) {
    throw Error(in.name, fmt::format("is corrupt: PFM scale '{}'", words[2]));
  }
  const int channels = in.data[1] == 'F' ? 3 : 1;
  check_decoded_size(in.name, width, height, channels, 4);
  require_bytes(in, at, width * height * channels * 4);
  cv::Mat image(static_cast<int>(height), static_cast<int>(width), CV_32FC(channels));
  const std::size_t row_bytes = image.cols * image.elemSize();
  const bool swap = scale > 0;  // positive scale: big-endian samples; this host is little-endian
  for (int y = 0; y < image.rows; ++y) {  // rows are stored bottom to top
    std::uint8_t* row = image.ptr(image.rows - 1 - y);
    std::memcpy(row, in.data + at + y * row_bytes, row_bytes);
    if (swap) {
      for (std::size_t i = 0; i < row_bytes; i += 4) std::reverse(row + i, row + i + 4);
    }
  }
  if (channels == 3) cv::cvtColor(image, image, cv::COLOR_RGB2BGR);
  return image;
}

/// The colour channels only: PNM and PFM hold no alpha.
cv::Mat without_alpha(const cv::Mat& image) {
  cv::Mat colour = image;
  if (image.channels() == 2) cv::extractChannel(image, colour, 0);
  if (image.channels() == 4) cv::cvtColor(image, colour, cv::COLOR_BGRA2BGR);
  return colour;
}

}  // namespace

cv::Mat decode_pnm(const Encoded& in) {
  return in.data[1] == 'F' || in.data[1] == 'f' ? decode_pfm(in) : decode_pgm_ppm(in);
}

Bytes encode_pnm(const cv::Mat& image, bool pfm) {
  // A new Mat for the RGB order: converting in place would change the caller's image.
  const cv::Mat bgr = without_alpha(image);
  cv::Mat colour;
  if (bgr.channels() == 3) {
    cv::cvtColor(bgr, colour, cv::COLOR_BGR2RGB);
  } else {
    colour = bgr.isContinuous() ? bgr : bgr.clone();
  }
  const bool gray = colour.channels() == 1;
  std::string header;
  if (pfm) {
    CV_Assert(colour.depth() == CV_32F);
    header = fmt::format("{}\n{} {}\n-1.0\n", gray ? "Pf" : "PF", colour.cols, colour.rows);
  } else {
    CV_Assert(colour.depth() == CV_8U || colour.depth() == CV_16U);
    header = fmt::format("{}\n{} {}\n{}\n", gray ? "P5" : "P6", colour.cols, colour.rows,
                         colour.depth() == CV_16U ? 65535 : 255);
  }
  Bytes out(header.begin(), header.end());
  const std::size_t row_bytes = colour.cols * colour.elemSize();
  for (int y = 0; y < colour.rows; ++y) {
    const std::uint8_t* row = colour.ptr(pfm ? colour.rows - 1 - y : y);  // PFM: bottom to top
    const std::size_t start = out.size();
    out.insert(out.end(), row, row + row_bytes);
    if (!pfm && colour.depth() == CV_16U) {  // big-endian in the file
      for (std::size_t i = start; i < out.size(); i += 2) std::swap(out[i], out[i + 1]);
    }
  }
  return out;
}

}  // namespace sepconv::codec
