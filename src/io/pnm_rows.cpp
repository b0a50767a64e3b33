// Binary PGM/PPM (P5, P6; 8 or 16-bit) row by row, as pnm_codec.cpp reads and writes them whole:
// the same header rules and errors, samples big-endian in the file, colour as RGB in the file and
// BGR in memory. PFM stores its rows bottom to top, so it is left to the whole-image codec.

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "io/row_codecs.hpp"

namespace sepconv::codec {
namespace {

/// Swaps the bytes of 16-bit samples (big-endian in the file) and RGB <-> BGR, in place; the same
/// operation reads and writes.
void swap_row(std::uint8_t* row, int width, int channels, int bytes) {
  if (bytes == 2) {
    for (int i = 0; i < width * channels; ++i) std::swap(row[2 * i], row[2 * i + 1]);
  }
  if (channels == 3) {
    const int pixel = 3 * bytes;
    for (int x = 0; x < width; ++x) {
      std::uint8_t* p = row + x * pixel;
      for (int b = 0; b < bytes; ++b) std::swap(p[b], p[2 * bytes + b]);
    }
  }
}

class PnmRowReader : public RowReader {
 public:
  PnmRowReader(FilePtr file, const std::string& name) : file_(std::move(file)), name_(name) {}

  void start() {
    std::fseek(file_.get(), 2, SEEK_SET);  // after the magic, which the caller has checked
    std::vector<std::string> words;
    while (words.size() < 3) words.push_back(next_word());
    // The one whitespace byte before the samples.
    if (std::fgetc(file_.get()) == EOF) {
      throw Error(name_, "is truncated: it has no pixels after its header");
    }
    const std::uint64_t width = number(words[0]), height = number(words[1]);
    const std::uint64_t maxval = number(words[2]);
    if (maxval == 0 || maxval > 65535) {
      throw Error(name_, fmt::format("is corrupt: PNM maximum value {}", words[2]));
    }
    channels_ = colour_ ? 3 : 1;
    bytes_ = maxval > 255 ? 2 : 1;
    check_decoded_size(name_, width, height, channels_, bytes_);
    size_ = cv::Size(static_cast<int>(width), static_cast<int>(height));
    type_ = CV_MAKETYPE(bytes_ == 2 ? CV_16U : CV_8U, channels_);
  }

  void set_colour(bool colour) { colour_ = colour; }

  void read_row(std::uint8_t* row) override {
    const std::size_t row_bytes = std::size_t(size_.width) * channels_ * bytes_;
    const std::size_t got = std::fread(row, 1, row_bytes, file_.get());
    read_bytes_ += got;
    if (got != row_bytes) {
      throw Error(name_, fmt::format("is truncated: {} bytes of pixels, {} expected", read_bytes_,
                                     std::uint64_t(row_bytes) * size_.height));
    }
    swap_row(row, size_.width, channels_, bytes_);
  }

  void finish() override {}  // pnm_codec.cpp ignores bytes after the pixels too

 private:
  /// The next header word, skipping whitespace and '#' comments.
  std::string next_word() {
    std::FILE* f = file_.get();
    int c = std::fgetc(f);
    while (c != EOF && (std::isspace(c) || c == '#')) {
      if (c == '#') {
        while (c != EOF && c != '\n' && c != '\r') c = std::fgetc(f);
      } else {
        c = std::fgetc(f);
      }
    }
    std::string word;
    while (c != EOF && !std::isspace(c) && word.size() < 32) {
      word += static_cast<char>(c);
      c = std::fgetc(f);
    }
    if (word.empty()) throw Error(name_, "is truncated: its PNM header is incomplete");
    if (c != EOF) std::ungetc(c, f);
    return word;
  }

  std::uint64_t number(const std::string& word) const {
    std::uint64_t value = 0;
    for (char c : word) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || value > 0xFFFFFFFFu) {
        throw Error(name_, fmt::format("is corrupt: '{}' in its PNM header is not a size", word));
      }
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
  }

  FilePtr file_;
  std::string name_;
  bool colour_ = false;
  int channels_ = 1, bytes_ = 1;
  std::uint64_t read_bytes_ = 0;
};

class PnmRowWriter : public EncodingRowWriter {
 public:
  PnmRowWriter(std::FILE* file, cv::Size size, int type)
      : file_(file),
        width_(size.width),
        channels_(CV_MAT_CN(type)),
        bytes_(CV_ELEM_SIZE1(type)),
        row_(std::size_t(size.width) * CV_MAT_CN(type) * CV_ELEM_SIZE1(type)) {
    CV_Assert((channels_ == 1 || channels_ == 3) && bytes_ <= 2);
    const std::string header = fmt::format("{}\n{} {}\n{}\n", channels_ == 1 ? "P5" : "P6",
                                           size.width, size.height, bytes_ == 2 ? 65535 : 255);
    put(header.data(), header.size());
  }

  void write_row(const std::uint8_t* row) override {
    std::memcpy(row_.data(), row, row_.size());
    swap_row(row_.data(), width_, channels_, bytes_);
    put(row_.data(), row_.size());
  }

  void close() override {}

 private:
  void put(const void* data, std::size_t size) {
    if (std::fwrite(data, 1, size, file_) != size) throw WriteFailure(std::strerror(errno));
  }

  std::FILE* file_;
  int width_, channels_, bytes_;
  std::vector<std::uint8_t> row_;
};

}  // namespace

std::unique_ptr<RowReader> pnm_row_reader(FilePtr file, const std::string& name) {
  char magic[2] = {};
  if (std::fread(magic, 1, 2, file.get()) != 2 || magic[0] != 'P') return nullptr;
  if (magic[1] != '5' && magic[1] != '6') return nullptr;  // PFM and the rest: whole
  auto reader = std::make_unique<PnmRowReader>(std::move(file), name);
  reader->set_colour(magic[1] == '6');
  reader->start();
  return reader;
}

std::unique_ptr<EncodingRowWriter> pnm_row_writer(std::FILE* file, cv::Size size, int type) {
  return std::make_unique<PnmRowWriter>(file, size, type);
}

}  // namespace sepconv::codec
