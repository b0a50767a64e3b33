// Streaming rows from decoder to encoder (pipeline/banded.hpp, io/row_io.hpp) gives exactly the
// whole-image path's pixels and bytes: every border, kernels taller than a band, anchors off
// centre, gray/colour/alpha, 8 and 16 bits, odd sizes and images smaller than a band or a kernel;
// the row codecs give read_image's pixels and write_image_atomically's bytes; a file damaged in
// the middle of its pixels fails with one line and leaves no output behind.

#include "pipeline/banded.hpp"

#include <gtest/gtest.h>
#include <tiffio.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "core/convert.hpp"
#include "core/error.hpp"
#include "engine/border.hpp"
#include "engine/image_filter.hpp"
#include "io/image_io.hpp"
#include "io/row_codecs.hpp"
#include "io/row_io.hpp"
#include "kernel/kernel.hpp"
#include "kernel/parse.hpp"
#include "support/run_binary.hpp"

namespace sepconv {
namespace {
namespace fs = std::filesystem;
using testing::contains;
using testing::read_text;
using testing::run_sepconv;
using testing::TempDir;

/// Collects rows into an image.
class MatWriter : public RowWriter {
 public:
  MatWriter(cv::Size size, int type) : image(size, type) {}
  void write_row(const std::uint8_t* row) override {
    ASSERT_LT(next, image.rows);
    std::memcpy(image.ptr(next++), row, image.cols * image.elemSize());
  }
  cv::Mat image;
  int next = 0;
};

cv::Mat random_image(cv::Size size, int type, unsigned seed) {
  cv::Mat image(size, type);
  cv::RNG rng(seed);
  rng.fill(image, cv::RNG::UNIFORM, 0, CV_MAT_DEPTH(type) == CV_16U ? 65536 : 256);
  return image;
}

Kernel random_kernel(int rows, int cols, cv::Point anchor, bool whole, unsigned seed) {
  cv::Mat1d values(rows, cols);
  cv::RNG rng(seed);
  rng.fill(values, cv::RNG::UNIFORM, -4, 5);
  if (whole) {
    for (double& v : values) v = std::floor(v);
  }
  values(0, 0) = 1;  // never all zero
  return make_kernel(values, "random", "", anchor);
}

/// The kernels: integer and float, full, separable and low-rank, taller than the small bands,
/// anchors off centre, one row and one column.
std::vector<Kernel> kernels() {
  return {parse_kernel("sobel_x"),
          parse_kernel("gaussian:5"),
          random_kernel(5, 3, {0, 4}, true, 1),     // full, anchor on the bottom row
          random_kernel(11, 2, {1, 0}, false, 2),   // float, taller than a band, anchor on top
          random_kernel(1, 7, {-1, -1}, true, 3),   // one row: no halo
          random_kernel(9, 1, {-1, -1}, false, 4),  // one column
          make_kernel(cv::Mat1d(cv::Mat1d::ones(4, 4)), "box4")};  // even size
}

std::vector<std::string> borders() {
  return {"reflect101", "reflect", "replicate", "constant:0", "constant:3.5", "valid"};
}

/// The filtered image through the band driver, reading `path` row by row.
cv::Mat banded(const std::string& path, const Plan& plan, const Border& border, int out_depth,
               ValueMap map, int band_rows) {
  std::unique_ptr<RowReader> reader = open_row_reader(path);
  if (!reader) throw std::runtime_error("no row reader for " + path);
  const cv::Size out_size = output_size(reader->size(), plan.kernel_size(), border);
  MatWriter writer(out_size, CV_MAKETYPE(out_depth, CV_MAT_CN(reader->type())));
  run_banded(
      *reader, writer, band_geometry(plan.rows, plan.anchor.y, border.kind == BorderKind::valid),
      band_rows,
      [&](const cv::Mat& band) { return filter_image(band, plan, border, out_depth, map).pixels; });
  EXPECT_EQ(writer.next, out_size.height);
  return writer.image;
}

/// Whether two images are the same type and size with every sample equal.
bool identical(const cv::Mat& a, const cv::Mat& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  cv::Mat difference;
  cv::absdiff(a.reshape(1), b.reshape(1), difference);
  return cv::countNonZero(difference) == 0;
}

struct Case {
  cv::Size size;
  int type;
};

TEST(Banded, GivesTheWholeImagePixelsForEveryBorderKernelAndBandHeight) {
  TempDir dir;
  const std::vector<Case> cases = {{{23, 17}, CV_8UC1}, {{9, 31}, CV_16UC3}, {{6, 4}, CV_8UC4},
                                   {{13, 2}, CV_16UC1}, {{1, 9}, CV_8UC3},   {{40, 6}, CV_8UC2}};
  int compared = 0;
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const cv::Mat image = random_image(cases[c].size, cases[c].type, 10 + c);
    const std::string path = dir / ("in" + std::to_string(c) + ".png");
    write_image_atomically(path, image);
    const cv::Mat whole_input = read_image(path);
    ASSERT_TRUE(identical(whole_input, image));
    const int depth = CV_MAT_DEPTH(cases[c].type);
    for (const Kernel& kernel : kernels()) {
      const Analysis analysis = analyze_kernel(kernel);
      for (const std::string& border_text : borders()) {
        const Border border = parse_border(border_text);
        const Plan plan = make_plan(kernel, analysis, {}, depth, border);
        if (plan.mode == Mode::fft) continue;  // never banded
        // The output depths and maps apply and edges write: same depth (abs for derivatives),
        // signed 16-bit, float.
        for (const int out_depth : {depth, int(CV_16S), int(CV_32F)}) {
          const ValueMap map = resolve_map(ValueMap::automatic, analysis.zero_sum, out_depth);
          cv::Mat whole;
          try {
            whole = filter_image(whole_input, plan, border, out_depth, map).pixels;
          } catch (const Error&) {  // a valid border larger than the image: both refuse
            EXPECT_THROW(banded(path, plan, border, out_depth, map, 1), Error);
            continue;
          }
          for (const int band_rows : {1, 2, 3, 7, 1000}) {
            EXPECT_TRUE(identical(banded(path, plan, border, out_depth, map, band_rows), whole))
                << "image " << c << ", kernel " << kernel.name << " " << kernel.rows() << "x"
                << kernel.cols() << ", border " << border_text << ", depth " << out_depth
                << ", band " << band_rows;
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 1500);
}

TEST(Banded, BandInputRowsHoldTheRowsTheBorderReflects) {
  // A 3x3 kernel on 10 rows in bands of 2: the top band reaches row 2 (row 1 is reflected to -1,
  // and 1 + 1 below), the bottom band starts where row 9's window starts.
  const BandGeometry g = band_geometry(3, 1, false);
  EXPECT_EQ(band_input_rows(g, 10, 0, 2).begin, 0);
  EXPECT_EQ(band_input_rows(g, 10, 0, 2).end, 3);
  EXPECT_EQ(band_input_rows(g, 10, 4, 6).begin, 3);
  EXPECT_EQ(band_input_rows(g, 10, 4, 6).end, 7);
  EXPECT_EQ(band_input_rows(g, 10, 8, 10).begin, 7);
  EXPECT_EQ(band_input_rows(g, 10, 8, 10).end, 10);
  // An anchor on the bottom row of a 5-row kernel: 4 rows above, none below; a band of 1 at the
  // top still holds rows 0..4, which the border reflects row -4 .. -1 to.
  const BandGeometry bottom = band_geometry(5, 4, false);
  EXPECT_EQ(band_input_rows(bottom, 20, 0, 1).end, 5);
  // At the bottom, the last row's window ends at the last row, but a row past the end is never
  // needed: the band starts 4 rows up.
  EXPECT_EQ(band_input_rows(bottom, 20, 19, 20).begin, 15);
  // valid: output row y reads rows y .. y + 4.
  const BandGeometry valid = band_geometry(5, 2, true);
  EXPECT_EQ(band_input_rows(valid, 20, 3, 6).begin, 3);
  EXPECT_EQ(band_input_rows(valid, 20, 3, 6).end, 10);
}

/// Every row of `path` through the row reader.
cv::Mat read_rows(const std::string& path) {
  std::unique_ptr<RowReader> reader = open_row_reader(path);
  if (!reader) return {};
  cv::Mat image(reader->size(), reader->type());
  for (int y = 0; y < image.rows; ++y) reader->read_row(image.ptr(y));
  reader->finish();
  return image;
}

TEST(RowIo, ReadersGiveReadImagesPixels) {
  TempDir dir;
  const std::string samples = std::string(SEPCONV_SOURCE_DIR) + "/samples/";
  // Written by OpenCV (an independent encoder), and read by sepconv whole and row by row.
  const cv::Mat coffee = cv::imread(samples + "coffee.png", cv::IMREAD_UNCHANGED);
  cv::Mat gray;
  cv::cvtColor(coffee, gray, cv::COLOR_BGR2GRAY);
  cv::Mat wide;
  coffee.convertTo(wide, CV_16U, 257);
  cv::imwrite(dir / "colour.jpg", coffee);
  cv::imwrite(dir / "gray.jpg", gray);
  cv::imwrite(dir / "progressive.jpg", coffee, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  cv::imwrite(dir / "gray.pgm", gray);
  cv::imwrite(dir / "colour16.ppm", wide);
  cv::imwrite(dir / "colour16.png", wide);
  cv::imwrite(dir / "colour16.tif", wide);  // LZW strips
  cv::Mat floats;
  gray.convertTo(floats, CV_32F, 1 / 255.0);
  cv::imwrite(dir / "gray.tif", floats);
  write_image_atomically(dir / "colour_deflate.tif[compression=deflate]", coffee);
  for (const std::string name :
       {"colour.jpg", "gray.jpg", "progressive.jpg", "gray.pgm", "colour16.ppm", "colour16.png",
        "colour16.tif", "gray.tif", "colour_deflate.tif"}) {
    const cv::Mat rows = read_rows(dir / name);
    ASSERT_FALSE(rows.empty()) << name;
    EXPECT_TRUE(identical(rows, read_image(dir / name))) << name;
  }
  // Palette, 1-bit gray and tRNS come out expanded as read_image gives them.
  for (const std::string name : {"chelsea.png", "camera.png", "brick.png"}) {
    EXPECT_TRUE(identical(read_rows(samples + name), read_image(samples + name))) << name;
  }
}

/// A tiled TIFF of `image` (BGR 8-bit, written as RGB) with tiles of `tile` x `tile`, made with
/// libtiff directly (OpenCV writes strips only).
void write_tiled_tiff(const std::string& path, const cv::Mat& image, int tile) {
  TIFF* tiff = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tiff, nullptr);
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, image.cols);
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, image.rows);
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 3);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tiff, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  TIFFSetField(tiff, TIFFTAG_TILEWIDTH, tile);
  TIFFSetField(tiff, TIFFTAG_TILELENGTH, tile);
  cv::Mat rgb;
  cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
  std::vector<std::uint8_t> buffer(TIFFTileSize(tiff));
  for (int y = 0; y < rgb.rows; y += tile) {
    for (int x = 0; x < rgb.cols; x += tile) {
      std::fill(buffer.begin(), buffer.end(), 0);
      for (int r = 0; r < tile && y + r < rgb.rows; ++r) {
        const int pixels = std::min(tile, rgb.cols - x);
        std::memcpy(buffer.data() + r * tile * 3, rgb.ptr(y + r) + x * 3, pixels * 3);
      }
      ASSERT_GE(TIFFWriteTile(tiff, buffer.data(), x, y, 0, 0), 0);
    }
  }
  TIFFClose(tiff);
}

TEST(RowIo, TiledTiffIsReadARowOfTilesAtATime) {
  TempDir dir;
  const cv::Mat image = random_image({45, 37}, CV_8UC3, 11);  // edge tiles cut on both sides
  write_tiled_tiff(dir / "tiled.tif", image, 16);
  EXPECT_TRUE(identical(read_image(dir / "tiled.tif"), image));
  EXPECT_TRUE(identical(read_rows(dir / "tiled.tif"), image));
  const Kernel kernel = parse_kernel("gaussian:5");
  const Border border = parse_border("reflect");
  const Plan plan = make_plan(kernel, analyze_kernel(kernel), {}, CV_8U, border);
  EXPECT_TRUE(identical(banded(dir / "tiled.tif", plan, border, CV_8U, ValueMap::clamp, 3),
                        filter_image(image, plan, border, CV_8U, ValueMap::clamp).pixels));
}

TEST(RowIo, FormatsThatCannotStreamAreLeftToTheWholeImageReader) {
  TempDir dir;
  const cv::Mat image = random_image({8, 8}, CV_8UC1, 5);
  cv::Mat colour;
  cv::cvtColor(image, colour, cv::COLOR_GRAY2BGR);
  cv::imwrite(dir / "a.tif", colour, {cv::IMWRITE_TIFF_COMPRESSION, 7});  // JPEG in TIFF
  cv::imwrite(dir / "a.webp", image);
  cv::Mat floats;
  image.convertTo(floats, CV_32F);
  cv::imwrite(dir / "a.pfm", floats);
  for (const std::string name : {"a.tif", "a.webp", "a.pfm"}) {
    EXPECT_EQ(open_row_reader(dir / name), nullptr) << name;
  }
  EXPECT_EQ(open_row_reader(dir.path().string()), nullptr);  // a folder: read_image says why
  EXPECT_EQ(open_row_reader(dir / "missing.png"), nullptr);
}

TEST(Metadata, ExifOrientationIsReadFromEitherByteOrder) {
  // Hand-made EXIF blocks: the TIFF header, one IFD with entries (tag, type 3 = SHORT, count 1,
  // value in the entry).
  const std::vector<std::uint8_t> little = {'I', 'I', 42, 0, 8, 0, 0, 0, 2, 0, 0x0f, 0x01,
                                            2,   0,   1,  0, 0, 0, 4, 0, 0, 0, 0x12, 0x01,
                                            3,   0,   1,  0, 0, 0, 6, 0, 0, 0};
  // One parser serves the whole-image and the row readers (io/metadata).
  EXPECT_EQ(exif_orientation(little), 6);
  const std::vector<std::uint8_t> big = {'M',  'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01,
                                         0x12, 0,   3, 0,  0, 0, 1, 0, 8, 0, 0};
  EXPECT_EQ(exif_orientation(big), 8);
  // No orientation entry, a cut block, not EXIF at all: the usual orientation.
  EXPECT_EQ(exif_orientation({little.begin(), little.begin() + 22}), 1);
  EXPECT_EQ(exif_orientation({big.begin(), big.begin() + 12}), 1);
  EXPECT_EQ(exif_orientation({'J', 'F', 'I', 'F', '.', '.', '.', '.'}), 1);
}

TEST(RowIo, ImagesDisplayedRotatedAreLeftToReadImage) {
  if (std::system("command -v exiftool > /dev/null 2>&1") != 0) GTEST_SKIP() << "no exiftool";
  TempDir dir;
  const cv::Mat image = random_image({12, 9}, CV_8UC3, 9);
  for (const std::string name : {"a.jpg", "a.png", "a.tif"}) {
    cv::imwrite(dir / name, image);
    ASSERT_NE(open_row_reader(dir / name), nullptr) << name;
    const std::string tag = "exiftool -q -overwrite_original -n -Orientation=";
    ASSERT_EQ(std::system((tag + "6 '" + dir / name + "'").c_str()), 0);
    EXPECT_EQ(open_row_reader(dir / name), nullptr) << name;
    set_autorotate(false);  // the stored rows are the output's: they stream
    const std::unique_ptr<RowReader> stored = open_row_reader(dir / name);
    set_autorotate(true);
    ASSERT_NE(stored, nullptr) << name;
    EXPECT_EQ(stored->metadata().orientation, 6) << name;
    ASSERT_EQ(std::system((tag + "1 '" + dir / name + "'").c_str()), 0);
    EXPECT_NE(open_row_reader(dir / name), nullptr) << name;
  }
}

TEST(RowIo, WritersGiveWriteImageAtomicallysBytes) {
  TempDir dir;
  for (const int type : {CV_8UC1, CV_8UC2, CV_8UC3, CV_8UC4, CV_16UC1, CV_16UC3}) {
    const cv::Mat image = random_image({37, 11}, type, type);
    std::vector<std::string> names = {"a.png", "a.png[compression=6]"};
    if (CV_MAT_DEPTH(type) == CV_8U) names.push_back("a.jpg[Q=80]");
    if (image.channels() == 1 || image.channels() == 3) names.push_back("a.pnm");
    names.push_back("a.tif");
    names.push_back("a.tif[compression=none]");
    for (const std::string& name : names) {
      ASSERT_TRUE(can_write_rows(dir / name, type)) << name;
      write_image_atomically(dir / name, image);
      const std::string file = output_file_name(dir / name);
      const std::string whole = read_text(file);
      write_rows_atomically(dir / name, image.size(), type, [&](RowWriter& writer) {
        for (int y = 0; y < image.rows; ++y) writer.write_row(image.ptr(y));
      });
      EXPECT_EQ(read_text(file), whole) << name << " type " << type;
    }
  }
  // Float and signed samples, which only TIFF holds.
  for (const int type : {CV_32FC1, CV_32FC3, CV_16SC1}) {
    cv::Mat image = random_image({19, 7}, CV_8UC(CV_MAT_CN(type)), 3);
    image.convertTo(image, type, 1.5, -100);
    write_image_atomically(dir / "f.tif", image);
    const std::string whole = read_text(dir / "f.tif");
    write_rows_atomically(dir / "f.tif", image.size(), type, [&](RowWriter& writer) {
      for (int y = 0; y < image.rows; ++y) writer.write_row(image.ptr(y));
    });
    EXPECT_EQ(read_text(dir / "f.tif"), whole) << "type " << type;
  }
  EXPECT_FALSE(can_write_rows(dir / "a.webp", CV_8UC1));
  EXPECT_FALSE(can_write_rows(dir / "a.jpg", CV_16UC1));
  EXPECT_FALSE(can_write_rows(dir / "a.pgm", CV_8UC4));  // alpha dropped by the whole writer
}

TEST(RowIo, AnErrorWhileProducingRowsLeavesNoFile) {
  TempDir dir;
  EXPECT_THROW(write_rows_atomically(dir / "a.png", {5, 5}, CV_8UC1,
                                     [](RowWriter&) { throw Error("in.png", "is damaged"); }),
               Error);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

/// Writes `bytes` to `path`.
void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// A PNG whose last IDAT chunk has its compressed data changed near its end but a correct
/// checksum: the structure walk passes, and libpng fails on the last rows.
std::string png_damaged_late(const cv::Mat& image) {
  std::vector<std::uint8_t> encoded;
  cv::imencode(".png", image, encoded);
  std::string png(encoded.begin(), encoded.end());
  const std::size_t idat = png.rfind("IDAT");
  const auto length = static_cast<std::size_t>(static_cast<std::uint8_t>(png[idat - 4]) << 24 |
                                               static_cast<std::uint8_t>(png[idat - 3]) << 16 |
                                               static_cast<std::uint8_t>(png[idat - 2]) << 8 |
                                               static_cast<std::uint8_t>(png[idat - 1]));
  for (std::size_t i = length - 40; i < length - 8; ++i) png[idat + 4 + i] ^= 0x5a;
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + idat), length + 4);
  for (int b = 0; b < 4; ++b) png[idat + 4 + length + b] = static_cast<char>(crc >> (24 - 8 * b));
  return png;
}

TEST(BandedCli, StreamingAndWholeImageOutputsAreTheSameBytes) {
  TempDir dir;
  const std::string samples = std::string(SEPCONV_SOURCE_DIR) + "/samples/";
  const cv::Mat coffee = cv::imread(samples + "coffee.png", cv::IMREAD_UNCHANGED);
  cv::Mat gray16;
  cv::cvtColor(coffee, gray16, cv::COLOR_BGR2GRAY);
  gray16.convertTo(gray16, CV_16U, 257);
  cv::imwrite(dir / "colour.jpg", coffee);
  cv::imwrite(dir / "gray16.pgm", gray16);
  const std::vector<std::pair<std::string, std::string>> runs = {
      {samples + "coffee.png", "apply -k sobel_x -o OUT.png"},
      {samples + "coffee.png", "edges -o OUT.png"},
      {samples + "chelsea.png", "edges --ksize 7 --scale strongest --depth u16 -o OUT.png"},
      {dir / "colour.jpg", "edges --operator scharr --threshold 60 --border valid -o OUT.pgm"},
      {samples + "chelsea.png", "apply -k gaussian:7 --border reflect -o OUT.jpg"},
      {dir / "colour.jpg", "apply -k box5 --border constant:9 -o OUT.png"},
      {dir / "gray16.pgm", "apply -k sobel_y --border valid -o OUT.pgm"},
      {dir / "gray16.pgm",
       "apply -k sharpen --border replicate --depth u8 -o 'OUT.png[compression=3]'"},
  };
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::string outputs[2];
    for (const int band : {0, 3}) {  // 0: the whole-image path
      std::string args = runs[i].second;
      const std::string out = dir / ("out" + std::to_string(i) + "_" + std::to_string(band));
      args.replace(args.find("OUT"), 3, out);
      const testing::Run run =
          run_sepconv(args.insert(args.find(' '), " '" + runs[i].first + "'") + " --stats json",
                      "SEPCONV_BAND_ROWS=" + std::to_string(band) + " ");
      ASSERT_EQ(run.status, 0) << args << ": " << run.err;
      // The statistics say which path ran.
      const auto stats = nlohmann::json::parse(run.out);
      EXPECT_EQ(stats["band_rows"], band ? nlohmann::json(band) : nlohmann::json(nullptr)) << args;
      const std::string ext = args.substr(args.find(out) + out.size(), 4);
      outputs[band ? 1 : 0] = read_text(out + ext);
    }
    EXPECT_FALSE(outputs[0].empty());
    EXPECT_EQ(outputs[0], outputs[1]) << runs[i].second;
  }
}

TEST(BandedCli, DamageInTheMiddleOfThePixelsFailsAndLeavesNoOutput) {
  TempDir dir;
  const std::string input = dir / "damaged.png";
  write_file(input, png_damaged_late(random_image({200, 300}, CV_8UC1, 7)));
  const std::string output = (dir.path() / "out" / "x.png").string();
  fs::create_directories(dir.path() / "out");
  const testing::Run run = run_sepconv(
      "apply '" + input + "' -k sobel_x --stats none -o '" + output + "'", "SEPCONV_BAND_ROWS=4 ");
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(contains(run.err, "sepconv: " + input + ": is corrupt or truncated: libpng:"))
      << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_TRUE(fs::is_empty(dir.path() / "out"));
}

}  // namespace
}  // namespace sepconv
