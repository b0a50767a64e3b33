// The native codecs: round trips of every format, depth and channel layout, read back both by
// sepconv and by OpenCV's imgcodecs (an independent reader); damaged files refused with one line;
// the limits in bytes; the OpenCV fallback loaded only for formats sepconv does not read itself.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <tiffio.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "core/error.hpp"
#include "io/hostile_files.hpp"
#include "io/image_io.hpp"
#include "support/error_of.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {
namespace fs = std::filesystem;
using testing::contains;
using testing::run_sepconv;
using testing::TempDir;

using testing::error_of;
using testing::write_bytes;

std::string file_bytes(const std::string& path) {
  return testing::read_text(path);
}

/// Random samples over the whole range of `type` (float: including negative values).
cv::Mat random_image(int rows, int cols, int type) {
  cv::Mat image(rows, cols, type);
  cv::RNG rng(rows * 1000 + cols + type);
  switch (CV_MAT_DEPTH(type)) {
    case CV_8U:
      rng.fill(image, cv::RNG::UNIFORM, 0, 256);
      break;
    case CV_16U:
      rng.fill(image, cv::RNG::UNIFORM, 0, 65536);
      break;
    case CV_16S:
      rng.fill(image, cv::RNG::UNIFORM, -32768, 32768);
      break;
    default:
      rng.fill(image, cv::RNG::UNIFORM, -1000.0, 1000.0);
  }
  return image;
}

double max_difference(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return 1e300;
  return cv::norm(a, b, cv::NORM_INF);
}

/// What cv::imread gives for a gray+alpha image: BGRA with gray in B, G and R.
cv::Mat as_opencv_reads(const cv::Mat& image) {
  if (image.channels() != 2) return image;
  cv::Mat bgra(image.size(), CV_MAKETYPE(image.depth(), 4));
  const int pairs[] = {0, 0, 0, 1, 0, 2, 1, 3};
  cv::mixChannels(&image, 1, &bgra, 1, pairs, 4);
  return bgra;
}

struct Layout {
  const char* ext;
  int type;
};

TEST(Codecs, LosslessRoundTripsAreBitExactForSepconvAndOpenCV) {
  TempDir dir;
  const Layout layouts[] = {
      {".png", CV_8UC1},  {".png", CV_8UC2},  {".png", CV_8UC3},  {".png", CV_8UC4},
      {".png", CV_16UC1}, {".png", CV_16UC2}, {".png", CV_16UC3}, {".png", CV_16UC4},
      {".tif", CV_8UC1},  {".tif", CV_8UC3},  {".tif", CV_8UC4},  {".tif", CV_16UC1},
      {".tif", CV_16UC3}, {".tif", CV_16UC4}, {".tif", CV_16SC1}, {".tif", CV_16SC3},
      {".tif", CV_32FC1}, {".tif", CV_32FC3}, {".tif", CV_32FC4}, {".pgm", CV_8UC1},
      {".ppm", CV_8UC3},  {".pgm", CV_16UC1}, {".ppm", CV_16UC3}, {".pfm", CV_32FC1},
      {".pfm", CV_32FC3}, {".webp", CV_8UC3}, {".webp", CV_8UC4},
  };
  for (const auto& [ext, type] : layouts) {
    const cv::Mat image = random_image(37, 53, type);
    const std::string path = dir / ("x" + std::to_string(type) + ext);
    write_image_atomically(path, image);
    EXPECT_EQ(max_difference(read_image(path), image), 0) << ext << " type " << type;
    // OpenCV reads 8-bit TIFF with alpha through libtiff's RGBA reader, which premultiplies.
    if (std::string(ext) == ".tif" && type == CV_8UC4) continue;
    const cv::Mat by_opencv = cv::imread(path, cv::IMREAD_UNCHANGED);
    EXPECT_EQ(max_difference(by_opencv, as_opencv_reads(image)), 0) << ext << " type " << type;
  }
}

TEST(Codecs, TiffGrayAlphaAndMultiPage) {
  TempDir dir;
  const cv::Mat ga = random_image(9, 11, CV_16UC2);
  write_image_atomically(dir / "ga.tif", ga);
  EXPECT_EQ(max_difference(read_image(dir / "ga.tif"), ga), 0);
  const std::vector<cv::Mat> pages = {random_image(5, 6, CV_32FC1), random_image(5, 6, CV_32FC1),
                                      random_image(5, 6, CV_32FC1)};
  write_tiff_pages_atomically(dir / "pages.tif", pages);
  std::vector<cv::Mat> read;
  ASSERT_TRUE(cv::imreadmulti(dir / "pages.tif", read, cv::IMREAD_UNCHANGED));
  ASSERT_EQ(read.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(max_difference(read[i], pages[i]), 0) << i;
  EXPECT_EQ(max_difference(read_image(dir / "pages.tif"), pages[0]), 0);  // the first page
}

TEST(Codecs, ReadsWhatOpenCVWrites) {
  TempDir dir;
  struct Case {
    const char* ext;
    int type;
    std::vector<int> params;
  };
  const Case cases[] = {
      {".png", CV_8UC3, {}},
      {".png", CV_16UC4, {}},
      {".png", CV_8UC1, {cv::IMWRITE_PNG_COMPRESSION, 9}},
      {".tif", CV_16UC3, {}},  // LZW
      {".tif", CV_8UC1, {cv::IMWRITE_TIFF_COMPRESSION, 1}},
      {".tif", CV_32FC1, {}},
      {".webp", CV_8UC4, {}},
  };
  for (const Case& c : cases) {
    const cv::Mat image = random_image(21, 34, c.type);
    const std::string path = dir / ("in" + std::to_string(c.type) + c.ext);
    ASSERT_TRUE(cv::imwrite(path, image, c.params));
    // Compared with OpenCV's decode: its lossless WebP may change fully transparent pixels.
    EXPECT_EQ(max_difference(read_image(path), cv::imread(path, cv::IMREAD_UNCHANGED)), 0)
        << c.ext << " " << c.type;
    if (std::string(c.ext) != ".webp") EXPECT_EQ(max_difference(read_image(path), image), 0);
  }
}

TEST(Codecs, JpegMatchesOpenCVsDecodeAndStaysClose) {
  TempDir dir;
  for (const int type : {CV_8UC1, CV_8UC3}) {
    cv::Mat image = cv::imread(std::string(SEPCONV_SOURCE_DIR) + "/samples/coffee.png",
                               type == CV_8UC1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    const std::string path = dir / ("x" + std::to_string(type) + ".jpg");
    write_image_atomically(path, image);
    const cv::Mat back = read_image(path);
    EXPECT_EQ(max_difference(back, cv::imread(path, cv::IMREAD_UNCHANGED)), 0);
    EXPECT_GT(cv::PSNR(back, image), 35) << type;  // quality 95
    // Progressive JPEG from OpenCV's writer reads the same as OpenCV's own decode.
    ASSERT_TRUE(cv::imwrite(dir / "p.jpg", image, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
    EXPECT_EQ(
        max_difference(read_image(dir / "p.jpg"), cv::imread(dir / "p.jpg", cv::IMREAD_UNCHANGED)),
        0);
  }
}

TEST(Codecs, PaletteAndInterlacedPng) {
  TempDir dir;
  write_bytes(dir / "palette.png", testing::palette_png());
  const cv::Mat palette = read_image(dir / "palette.png");
  ASSERT_EQ(palette.type(), CV_8UC3);
  EXPECT_EQ(palette.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 255));  // red, as BGR
  EXPECT_EQ(palette.at<cv::Vec3b>(1, 2), cv::Vec3b(255, 0, 0));  // blue
  // An interlaced PNG from another writer (vips or ImageMagick), when one is installed.
  const cv::Mat image = random_image(33, 45, CV_8UC3);
  cv::imwrite(dir / "plain.png", image);
  const std::string convert = "/usr/bin/convert";
  if (!fs::exists(convert)) GTEST_SKIP() << "no ImageMagick to write an interlaced PNG";
  ASSERT_EQ(
      std::system((convert + " " + dir / "plain.png" + " -interlace PNG " + dir / "interlaced.png")
                      .c_str()),
      0);
  EXPECT_EQ(file_bytes(dir / "interlaced.png")[28], 1);  // IHDR's interlace method: Adam7
  EXPECT_EQ(max_difference(read_image(dir / "interlaced.png"), image), 0);
}

TEST(Codecs, DamagedFilesOfEachFormatAreRefused) {
  TempDir dir;
  const cv::Mat image = random_image(64, 64, CV_8UC3);
  std::vector<uchar> jpeg, webp, tiff;
  cv::imencode(".jpg", image, jpeg);
  cv::imencode(".webp", image, webp, {cv::IMWRITE_WEBP_QUALITY, 80});
  cv::imencode(".tif", image, tiff);
  // A JPEG whose scan is cut short but still ends with an end-of-image marker.
  std::string cut_scan(jpeg.begin(), jpeg.begin() + jpeg.size() / 2);
  cut_scan += "\xFF\xD9";
  // A JPEG with a stray marker in its scan.
  std::string marker(jpeg.begin(), jpeg.end());
  marker[marker.size() - 100] = '\xFF';
  marker[marker.size() - 99] = '\xC4';
  const std::string cut_webp(webp.begin(), webp.begin() + webp.size() - 40);
  std::string cut_tiff(tiff.begin(), tiff.end());
  cut_tiff.resize(cut_tiff.size() / 3);  // the directory is at the end: lost
  std::string bad_strip(tiff.begin(), tiff.end());
  for (std::size_t i = 20; i < 400; ++i) bad_strip[i] = static_cast<char>(i * 7);
  write_bytes(dir / "cut_scan.jpg", cut_scan);
  write_bytes(dir / "marker.jpg", marker);
  write_bytes(dir / "cut.webp", cut_webp);
  write_bytes(dir / "cut.tif", cut_tiff);
  write_bytes(dir / "bad_strip.tif", bad_strip);
  write_bytes(dir / "cut.ppm", "P6\n10 10\n255\n" + std::string(200, 'x'));
  write_bytes(dir / "cut.pfm", "Pf\n10 10\n-1.0\n" + std::string(200, 'x'));
  for (const char* name : {"cut_scan.jpg", "marker.jpg", "cut.webp", "cut.tif", "bad_strip.tif",
                           "cut.ppm", "cut.pfm"}) {
    const std::string message = error_of([&] { read_image(dir / name); });
    EXPECT_TRUE(contains(message, dir / name + ": ")) << name << ": " << message;
    EXPECT_FALSE(contains(message, "\n")) << name << ": " << message;
    // The binary: exit 1, one line naming the file, nothing written.
    const testing::Run run =
        run_sepconv("apply '" + dir / name + "' -k box3 -o '" + dir / "out.png" + "'");
    EXPECT_EQ(run.status, 1) << name;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << name << ": " << run.err;
    EXPECT_TRUE(contains(run.err, "sepconv: " + dir / name + ": ")) << run.err;
    EXPECT_FALSE(fs::exists(dir / "out.png")) << name;
  }
}

/// A 16x16 8-bit RGB TIFF with two extra samples of the given kinds: sample s of pixel (x, y) is
/// (10 * s + x + 16 * y) mod 256, written with libtiff itself (OpenCV writes at most 4 channels).
void write_five_sample_tiff(const std::string& path, std::uint16_t first_kind) {
  TIFF* tiff = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tiff, nullptr);
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, 16);
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, 16);
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 5);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  std::uint16_t kinds[2] = {first_kind, EXTRASAMPLE_UNSPECIFIED};
  TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 2, kinds);
  std::uint8_t row[16 * 5];
  for (int y = 0; y < 16; ++y) {
    for (int x = 0; x < 16; ++x) {
      for (int s = 0; s < 5; ++s) row[x * 5 + s] = static_cast<std::uint8_t>(10 * s + x + 16 * y);
    }
    ASSERT_EQ(TIFFWriteScanline(tiff, row, y, 0), 1);
  }
  TIFFClose(tiff);
}

// Found by the hostile-input audit's 5-channel TIFF: the RGBA reader asked libtiff for
// ExtraSamples with one pointer where libtiff writes two, and every such file crashed sepconv.
TEST(Codecs, TiffWithExtraSamplesIsReadAsRgbOrRgba) {
  TempDir dir;
  for (const std::uint16_t kind : {EXTRASAMPLE_UNASSALPHA, EXTRASAMPLE_UNSPECIFIED}) {
    const std::string path = dir / "five.tif";
    write_five_sample_tiff(path, kind);
    const cv::Mat image = read_image(path);
    const bool alpha = kind == EXTRASAMPLE_UNASSALPHA;
    ASSERT_EQ(image.channels(), alpha ? 4 : 3);
    for (int y = 0; y < 16; ++y) {
      for (int x = 0; x < 16; ++x) {
        const uchar* pixel = image.ptr<uchar>(y) + x * image.channels();
        const auto sample = [&](int s) { return (10 * s + x + 16 * y) & 255; };
        const int a = sample(3);
        // libtiff's RGBA reader premultiplies unassociated alpha: (v * a + 127) / 255.
        const auto colour = [&](int v) { return alpha ? (v * a + 127) / 255 : v; };
        EXPECT_EQ(pixel[0], colour(sample(2)));  // B is sample 2
        EXPECT_EQ(pixel[2], colour(sample(0)));  // R is sample 0
        if (alpha) EXPECT_EQ(pixel[3], a);
      }
    }
    const auto run = run_sepconv("apply '" + path + "' -k box3 -o '" + dir / "o.png" + "'");
    EXPECT_EQ(run.status, 0) << run.err;
  }
}

TEST(Codecs, AncillaryChunkChecksumIsDamageButABadProfileIsNot) {
  TempDir dir;
  const std::string text_chunk = testing::png_chunk("tEXt", std::string("Comment\0hi", 10));
  std::string png = testing::palette_png();
  png.insert(png.size() - 12, text_chunk);  // before IEND
  write_bytes(dir / "ok.png", png);
  EXPECT_EQ(read_image(dir / "ok.png").cols, 4);
  png[png.size() - 13] ^= 1;  // the tEXt chunk's CRC
  write_bytes(dir / "bad.png", png);
  EXPECT_TRUE(contains(error_of([&] { read_image(dir / "bad.png"); }), "checksum"));
}

TEST(Codecs, ByteLimitCountsChannelsAndSampleSize) {
  TempDir dir;
  // Uniform, so the file is far smaller than the 80000 bytes it decodes to.
  cv::imwrite(dir / "rgba16.png", cv::Mat(100, 100, CV_16UC4, cv::Scalar(1, 2, 3, 4)));
  cv::imwrite(dir / "gray8.png", random_image(100, 100, CV_8UC1));  // 10000 bytes
  const std::uint64_t old = max_bytes();
  set_max_bytes(50000);
  EXPECT_TRUE(contains(error_of([&] { read_image(dir / "rgba16.png"); }),
                       "100x100 with 4 channel(s) of 2 byte(s): 80000 bytes decoded, more than "
                       "the limit of 50000 (--max-bytes)"));
  EXPECT_EQ(read_image(dir / "gray8.png").total(), 10000u);
  set_max_bytes(old);
  // The binary takes --max-bytes too, and refuses 0.
  const std::string apply = "apply '" + dir / "rgba16.png" + "' -k box3 -o '" + dir / "o.png" + "'";
  const testing::Run run = run_sepconv(apply + " --max-bytes 50000");
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(contains(run.err, "80000 bytes decoded")) << run.err;
  EXPECT_EQ(run_sepconv(apply + " --max-bytes 0").status, 2);
  EXPECT_EQ(run_sepconv(apply + " --max-bytes 80000 --stats none").status, 0);
}

/// A little-endian TIFF directory with the given (tag, type, value) entries, one value each,
/// followed by `data`; offsets in values are the caller's.
std::string tiff_with(const std::vector<std::array<std::uint32_t, 3>>& entries,
                      const std::string& data) {
  std::string tiff("II*\0", 4);
  testing::put_little_endian(tiff, 8, 4);
  testing::put_little_endian(tiff, entries.size(), 2);
  for (const auto& [tag, type, value] : entries) {
    testing::put_little_endian(tiff, tag, 2);
    testing::put_little_endian(tiff, type, 2);
    testing::put_little_endian(tiff, 1, 4);
    testing::put_little_endian(tiff, value, 4);
  }
  testing::put_little_endian(tiff, 0, 4);
  return tiff + data;
}

TEST(Codecs, TiffTileFarLargerThanTheImageIsRefused) {
  TempDir dir;
  const std::uint32_t data_at = 8 + 2 + 10 * 12 + 4;
  // 1x1 image, 16-bit, one 16000x16000 tile: 512 MB that no real file needs.
  write_bytes(dir / "tile.tif", tiff_with({{256, 4, 1},
                                           {257, 4, 1},
                                           {258, 3, 16},
                                           {259, 3, 1},
                                           {262, 3, 1},
                                           {277, 3, 1},
                                           {322, 4, 16000},
                                           {323, 4, 16000},
                                           {324, 4, data_at},
                                           {325, 4, 2}},
                                          "\x01\x02"));
  EXPECT_TRUE(contains(error_of([&] { read_image(dir / "tile.tif"); }), "tile or strip"));
  // The same with a 16x16 tile is a valid image.
  write_bytes(dir / "small.tif", tiff_with({{256, 4, 1},
                                            {257, 4, 1},
                                            {258, 3, 16},
                                            {259, 3, 1},
                                            {262, 3, 1},
                                            {277, 3, 1},
                                            {322, 4, 16},
                                            {323, 4, 16},
                                            {324, 4, data_at},
                                            {325, 4, 512}},
                                           std::string("\x34\x12", 2) + std::string(510, '\0')));
  const cv::Mat small = read_image(dir / "small.tif");
  ASSERT_EQ(small.type(), CV_16UC1);
  EXPECT_EQ(small.at<std::uint16_t>(0, 0), 0x1234);
}

TEST(Codecs, NamedPipesAndStandardInputAreReadOnceAndBounded) {
  TempDir dir;
  cv::imwrite(dir / "a.png", random_image(20, 30, CV_8UC1));
  // A named pipe (what <(...) gives) can be opened and read only once.
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << file_bytes(dir / "a.png"); });
  testing::Run run =
      run_sepconv("apply '" + fifo + "' -k box3 --stats none -o '" + dir / "f.png" + "'");
  writer.join();
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(
      max_difference(cv::imread(dir / "f.png", cv::IMREAD_UNCHANGED), read_image(dir / "f.png")),
      0);
  // Standard input past --max-bytes is refused without reading it all.
  run = run_sepconv("apply - -k box3 --max-bytes 100000 -o '" + dir / "s.png" + "'",
                    "head -c 50000000 /dev/zero | ");
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(contains(run.err, "-: holds more than the limit of 100000 bytes (--max-bytes)"))
      << run.err;
}

TEST(Codecs, OpenCVFallbackOnlyForOtherFormats) {
  TempDir dir;
  const cv::Mat image = random_image(12, 10, CV_8UC3);
  cv::imwrite(dir / "a.bmp", image);
  cv::imwrite(dir / "a.png", image);
  // LD_DEBUG=files makes the dynamic loader list every library it opens, dlopen included.
  const auto loaded_plugin = [&](const std::string& input, const std::string& output) {
    const testing::Run run =
        run_sepconv("apply '" + dir / input + "' -k box3 --stats none -o '" + dir / output + "'",
                    "LD_DEBUG=files ");
    EXPECT_EQ(run.status, 0) << input;
    return contains(run.err, "libsepconv_opencv_imgcodecs.so");
  };
  EXPECT_FALSE(loaded_plugin("a.png", "o.png"));
  EXPECT_TRUE(loaded_plugin("a.bmp", "o.bmp"));
  EXPECT_EQ(max_difference(cv::imread(dir / "o.bmp", cv::IMREAD_UNCHANGED),
                           cv::imread(dir / "o.png", cv::IMREAD_UNCHANGED)),
            0);
  const testing::Run version = run_sepconv("--version", "LD_DEBUG=files ");
  EXPECT_FALSE(contains(version.err, "imgcodecs"));
  EXPECT_TRUE(contains(version.out, "libpng 1.")) << version.out;
  EXPECT_TRUE(contains(version.out, "libjpeg-turbo")) << version.out;
  EXPECT_TRUE(contains(version.out, "libtiff 4.")) << version.out;
  EXPECT_TRUE(contains(version.out, "libwebp 1.")) << version.out;
}

}  // namespace
}  // namespace sepconv
