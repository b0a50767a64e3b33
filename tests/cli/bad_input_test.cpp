// The bad-input table, end to end through the real binary: each hostile file or argument gives
// the documented exit status and one line on stderr naming it; no crash, no partial output, no
// input changed.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "build_paths.hpp"
#include "io/hostile_files.hpp"
#include "support/error_of.hpp"
#include "support/run_binary.hpp"
#include "support/sanitizers.hpp"

namespace sepconv::testing {
namespace {
namespace fs = std::filesystem;

size_t line_count(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// Every file below `folder` with its contents, to see that nothing changed or appeared.
std::map<std::string, std::string> snapshot(const fs::path& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) files[entry.path().string()] = testing::read_text(entry.path());
  }
  return files;
}

/// run_sepconv with shell commands before it (limits, ignored signals), which exec inherits.
testing::Run run_after(const std::string& shell_prefix, const std::string& args) {
  // Named by pid: other test processes (ctest -j, other build folders) run at the same time.
  const std::string err =
      (fs::temp_directory_path() / ("sepconv-bad-input-stderr-" + std::to_string(getpid())))
          .string();
  const std::string command =
      shell_prefix + " '" + SEPCONV_BINARY + "' " + args + " 2>'" + err + "'";
  testing::Run run;
  std::string escaped;  // the command inside single quotes, its own single quotes as '\''
  for (const char c : command) escaped += c == '\'' ? std::string("'\\''") : std::string(1, c);
  const int raw = std::system(("sh -c '" + escaped + "'").c_str());
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.err = testing::read_text(err);
  fs::remove(err);
  return run;
}

/// A hostile case: runs `args`, expects `status`, exactly `lines` lines on stderr, each part of
/// `expected` in them, and the folder unchanged.
void expect_refused(const TempDir& dir, const std::string& args, int status,
                    const std::vector<std::string>& expected, size_t lines = 1,
                    const std::string& shell_prefix = "") {
  const auto before = snapshot(dir.path());
  const testing::Run result =
      shell_prefix.empty() ? run_sepconv(args) : run_after(shell_prefix, args);
  EXPECT_EQ(result.status, status) << args << "\n" << result.err;  // -1 would be a signal
  EXPECT_EQ(line_count(result.err), lines) << args << "\n" << result.err;
  for (const std::string& part : expected) {
    EXPECT_TRUE(contains(result.err, part)) << args << "\nwanted: " << part << "\n" << result.err;
  }
  EXPECT_EQ(snapshot(dir.path()), before) << args << ": files changed or appeared";
}

std::string encoded(const std::string& ext, const cv::Mat& image) {
  std::vector<uchar> bytes;
  cv::imencode(ext, image, bytes);
  return std::string(bytes.begin(), bytes.end());
}

cv::Mat gradient(int rows, int cols, int type) {
  cv::Mat image(rows, cols, type);
  cv::randu(image, 0, 200);
  return image;
}

TEST(BadInput, BrokenImageFiles) {
  TempDir dir;
  const std::string png = encoded(".png", gradient(32, 32, CV_8U));
  const std::string jpeg = encoded(".jpg", gradient(32, 32, CV_8U));
  std::string bad_crc = png;
  bad_crc[bad_crc.size() - 20] ^= 1;
  write_bytes(dir / "empty.png", "");
  write_bytes(dir / "text.png", "just some words\n");
  write_bytes(dir / "cut.png", png.substr(0, png.size() / 2));
  write_bytes(dir / "cut.jpg", jpeg.substr(0, jpeg.size() / 2));
  write_bytes(dir / "crc.png", bad_crc);
  write_bytes(dir / "huge.png", testing::lying_png(100000, 100000));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty.png", "is empty"},
      {"text.png", "is not an image OpenCV can decode"},
      {"cut.png", "is truncated: PNG chunk IDAT runs past the end of the file"},
      {"cut.jpg", "is truncated: the JPEG ends before its end-of-image marker"},
      {"crc.png", "is corrupt: PNG chunk IDAT fails its checksum (CRC)"},
      {"huge.png", "is 100000x100000 = 10000000000 pixels, more than the limit of 1073741824"},
      {"missing.png", "no such file"},
  };
  for (const auto& [name, reason] : cases) {
    expect_refused(dir, "apply " + quoted(dir / name) + " -k sobel_x -o " + quoted(dir / "out.png"),
                   1, {dir / name + ": " + reason});
  }
}

TEST(BadInput, MaxPixelsWorksBeforeAndAfterTheCommand) {
  TempDir dir;
  write_bytes(dir / "a.png", encoded(".png", gradient(10, 20, CV_8U)));
  const std::string apply =
      "apply " + quoted(dir / "a.png") + " -k box3 -o " + quoted(dir / "o.png");
  expect_refused(dir, "--max-pixels 199 " + apply, 1, {"a.png: is 20x10 = 200 pixels", "199"});
  expect_refused(dir, apply + " --max-pixels 199", 1, {"more than the limit of 199"});
  expect_refused(dir, apply + " --max-pixels 0", 2, {"--max-pixels"});
  EXPECT_EQ(run_sepconv(apply + " --max-pixels 200 --stats none").status, 0);
  EXPECT_TRUE(fs::exists(dir / "o.png"));
}

TEST(BadInput, OddButValidImagesAreFiltered) {
  TempDir dir;
  write_bytes(dir / "palette.png", testing::palette_png());
  write_bytes(dir / "one.png", encoded(".png", cv::Mat(1, 1, CV_8U, cv::Scalar(77))));
  write_bytes(dir / "row.png", encoded(".png", gradient(1, 9, CV_8U)));
  write_bytes(dir / "column.png", encoded(".png", gradient(9, 1, CV_8U)));
  write_bytes(dir / "bgra.png", encoded(".png", gradient(5, 6, CV_8UC4)));
  write_bytes(dir / "le16.tif", testing::tiff16(false, 3, 2, {1, 2, 3, 400, 500, 60000}));
  write_bytes(dir / "be16.tif", testing::tiff16(true, 3, 2, {1, 2, 3, 400, 500, 60000}));
  for (const std::string name :
       {"palette.png", "one.png", "row.png", "column.png", "bgra.png", "le16.tif", "be16.tif"}) {
    const testing::Run run =
        run_sepconv("apply " + quoted(dir / name) + " -k box3 --stats json -o " +
                    quoted(dir / ("out-" + name)));
    EXPECT_EQ(run.status, 0) << name << ": " << run.err;
    EXPECT_EQ(run.err, "") << name;
    EXPECT_FALSE(cv::imread(dir / ("out-" + name), cv::IMREAD_UNCHANGED).empty()) << name;
  }
  // A palette image is filtered as colour; a box blur of a 1x1 image is the pixel itself.
  EXPECT_EQ(cv::imread(dir / "out-palette.png", cv::IMREAD_UNCHANGED).channels(), 3);
  EXPECT_EQ(cv::imread(dir / "out-one.png", cv::IMREAD_UNCHANGED).at<uchar>(0, 0), 77);
  // Both byte orders are the same image, so the same output.
  EXPECT_EQ(cv::norm(cv::imread(dir / "out-le16.tif", cv::IMREAD_UNCHANGED),
                     cv::imread(dir / "out-be16.tif", cv::IMREAD_UNCHANGED), cv::NORM_INF),
            0);
  EXPECT_EQ(cv::imread(dir / "out-be16.tif", cv::IMREAD_UNCHANGED).depth(), CV_16U);
}

TEST(BadInput, FloatNanAndInfinity) {
  TempDir dir;
  const float inf = std::numeric_limits<float>::infinity();
  cv::Mat1f image(3, 3, 5.0f);
  image(0, 0) = std::numeric_limits<float>::quiet_NaN();
  image(2, 2) = inf;
  ASSERT_TRUE(cv::imwrite(dir / "nan.tif", image));
  // Float output: NaN and infinity propagate to the pixels whose window holds them.
  const std::string base = "apply " + quoted(dir / "nan.tif") + " -k box3 --border replicate";
  ASSERT_EQ(run_sepconv(base + " -o " + quoted(dir / "f.tif") + " --stats none").status, 0);
  const cv::Mat1f f = cv::imread(dir / "f.tif", cv::IMREAD_UNCHANGED);
  EXPECT_TRUE(std::isnan(f(0, 0)));
  EXPECT_TRUE(std::isnan(f(1, 1)));  // both NaN and inf in its window
  EXPECT_EQ(f(2, 2), inf);
  // 8-bit output: NaN counts as 0, infinity saturates.
  ASSERT_EQ(run_sepconv(base + " --depth u8 -o " + quoted(dir / "u.png") + " --stats none").status,
            0);
  const cv::Mat1b u = cv::imread(dir / "u.png", cv::IMREAD_UNCHANGED);
  EXPECT_EQ(u(0, 0), 0);
  EXPECT_EQ(u(2, 2), 255);
  EXPECT_EQ(u(0, 2), 5);
}

TEST(BadInput, BrokenKernels) {
  TempDir dir;
  write_bytes(dir / "a.png", encoded(".png", gradient(8, 8, CV_8U)));
  const std::vector<std::tuple<std::string, std::string, std::string>> kernels = {
      {"ragged.txt", "1 2 3\n4 5\n", "line 2: row has 2 numbers but the rows above have 3"},
      {"word.txt", "1 two 3\n", "line 1: 'two' is not a number"},
      {"nan.txt", "1 nan\n", "line 1: 'nan' is NaN"},
      {"inf.txt", "1 inf\n", "line 1: 'inf' is infinite"},
      {"big.txt", "1 1e400\n", "line 1: '1e400' is out of the range of a double"},
      {"gap.txt", "1 2\n\n3 4\n", "line 2: empty line inside the matrix"},
      {"none.txt", "# only a comment\n", "no matrix rows"},
      {"zero.mat", "0 0\n", "line 1: expected 'width height"},
      {"short.mat", "2 2\n1 2\n", "the header says height 2"},
  };
  const std::string output = " -o " + quoted(dir / "out.png");
  for (const auto& [name, text, reason] : kernels) {
    write_bytes(dir / name, text);
    expect_refused(dir, "apply " + quoted(dir / "a.png") + " -k " + quoted(dir / name) + output, 1,
                   {dir / name + ": " + reason});
  }
  expect_refused(dir, "apply " + quoted(dir / "a.png") + " -k '3x3: 1,2,3'" + output, 1,
                 {"3x3: 1,2,3: a 3x3 kernel needs 9 values, got 3"});
  fs::create_directories(dir / "kdir");
  expect_refused(dir, "apply " + quoted(dir / "a.png") + " -k " + quoted(dir / "kdir/") + output, 1,
                 {dir / "kdir/"});
}

TEST(BadInput, UnwritableOutputs) {
  TempDir dir;
  write_bytes(dir / "a.png", encoded(".png", gradient(8, 8, CV_8U)));
  const std::string apply = "apply " + quoted(dir / "a.png") + " -k sobel_x -o ";
  // /proc refuses new files even to root, which ignores permissions.
  expect_refused(dir, apply + "/proc/sepconv-out.png", 1,
                 {"/proc/sepconv-out.png: cannot be written: cannot create a file in '/proc'"});
  EXPECT_FALSE(fs::exists("/proc/sepconv-out.png"));
  // /dev/full has no extension to pick a format: refused before anything is written in /dev.
  const auto dev_before = std::distance(fs::directory_iterator("/dev"), fs::directory_iterator());
  expect_refused(dir, apply + "/dev/full", 1, {"/dev/full: has no extension"});
  EXPECT_EQ(std::distance(fs::directory_iterator("/dev"), fs::directory_iterator()), dev_before);
  // A folder that cannot be created: its parent is a file.
  expect_refused(dir, apply + quoted(dir / "a.png/sub/out.png"), 1,
                 {dir / "a.png/sub", "cannot create the output folder"});
  // Output equal to input, without --overwrite.
  expect_refused(dir, apply + quoted(dir / "a.png"), 1, {"is an input file; pass --overwrite"});
}

TEST(BadInput, DiskFullLeavesNothing) {
  TempDir dir;
  write_bytes(dir / "a.png", encoded(".png", gradient(64, 64, CV_8U)));
  // A full disk, simulated with a 1 KiB file-size limit: write(2) then fails with EFBIG the way it
  // fails with ENOSPC on a full disk (SIGXFSZ ignored, as the signal would otherwise kill).
  expect_refused(
      dir,
      "apply " + quoted(dir / "a.png") + " -k gaussian:5 --depth f32 -o " + quoted(dir / "big.tif"),
      1, {dir / "big.tif: cannot be written: File too large"}, 1, "trap \"\" XFSZ; ulimit -f 1;");
}

TEST(BadInput, TwoInputsForOneOutput) {
  TempDir dir;
  fs::create_directories(dir.path() / "x");
  fs::create_directories(dir.path() / "y");
  write_bytes(dir / "x/a.png", encoded(".png", gradient(8, 8, CV_8U)));
  write_bytes(dir / "y/a.png", encoded(".png", gradient(8, 8, CV_8U)));
  const testing::Run run =
      run_sepconv("apply " + quoted(dir / "x/a.png") + " " + quoted(dir / "y/a.png") +
                  " -k box3 --out-dir " + quoted(dir / "out"));
  EXPECT_EQ(run.status, 1);
  // The failure, then the batch's summary of failed inputs.
  EXPECT_EQ(line_count(run.err), 2u) << run.err;
  EXPECT_TRUE(contains(run.err, dir / "y/a.png: its output " + dir / "out/a.png" + " is also " +
                                    dir / "x/a.png" + "'s output"))
      << run.err;
  EXPECT_FALSE(cv::imread(dir / "out/a.png").empty());  // the first one keeps its output
}

// A folder with no images given as the input. Disabled: today it exits 0 and prints nothing
// (expand_inputs lists the folder's images, and none is no error); the batch layer owns the fix.
/// A binary PGM header for `width` x `height` followed by `pixels` zero bytes (fewer than the
/// header asks for makes a truncated file).
std::string pgm(int width, int height, size_t pixels) {
  return "P5\n" + std::to_string(width) + " " + std::to_string(height) + "\n255\n" +
         std::string(pixels, '\0');
}

// A WebP side holds at most 16383 pixels and a JPEG side 65500: such an output is refused from the
// input's header, before a pixel is read or filtered (it was refused by the encoder at the end).
TEST(BadInput, AnOutputFormatThatCannotHoldTheSizeIsRefusedFromTheHeader) {
  TempDir dir;
  // The header promises 16384 pixels, 10 follow: read first, it would be "truncated".
  write_bytes(dir / "cut_wide.pgm", pgm(16384, 1, 10));
  write_bytes(dir / "wide.pgm", pgm(16384, 1, 16384));
  write_bytes(dir / "wider.pgm", pgm(65501, 1, 10));
  const std::string webp_says =
      ": a .webp file cannot hold a 16384x1 image: at most 16383 pixels a side (use .png or .tif)";
  const std::string out = quoted(dir / "out.webp");
  for (const std::string& command :
       {"apply " + quoted(dir / "cut_wide.pgm") + " -k box3 -o " + out,
        "apply " + quoted(dir / "cut_wide.pgm") + " -k box3 --map normalize -o " + out,
        "edges " + quoted(dir / "cut_wide.pgm") + " -o " + out,
        "edges " + quoted(dir / "cut_wide.pgm") + " --scale normalize -o " + out}) {
    expect_refused(dir, command, 1, {"sepconv: " + (dir / "out.webp") + webp_says + "\n"});
  }
  expect_refused(dir, "apply " + quoted(dir / "wider.pgm") + " -k box3 -o " + quoted(dir / "o.jpg"),
                 1,
                 {"sepconv: " + (dir / "o.jpg") +
                  ": a .jpg file cannot hold a 65501x1 image: at most 65500 pixels a side"});
  // Read whole (standard input, depthwise): refused once read, before filtering.
  expect_refused(dir,
                 "depthwise " + quoted(dir / "wide.pgm") + " -k box3 --pointwise '[1]' -o " + out,
                 1, {"sepconv: " + (dir / "out.webp") + webp_says});
  const testing::Run piped =
      run_sepconv("apply - -k box3 -o - --format webp", "cat " + quoted(dir / "wide.pgm") + " | ");
  EXPECT_EQ(piped.status, 1);
  EXPECT_EQ(piped.err, "sepconv: -" + webp_says + "\n");
  EXPECT_EQ(piped.out, "");
}

TEST(BadInput, AWebpOutputOfTheLargestSideIsWritten) {
  TempDir dir;
  write_bytes(dir / "edge.pgm", pgm(16383, 1, 16383));
  // The valid border makes 16385x3 a 16383x1 output, which fits.
  write_bytes(dir / "valid.pgm", pgm(16385, 3, 16385 * 3));
  const testing::Run edge =
      run_sepconv("apply " + quoted(dir / "edge.pgm") + " -k box3 -q -o " + quoted(dir / "e.webp"));
  EXPECT_EQ(edge.status, 0) << edge.err;
  EXPECT_EQ(cv::imread(dir / "e.webp").size(), cv::Size(16383, 1));
  const testing::Run valid = run_sepconv("apply " + quoted(dir / "valid.pgm") +
                                         " -k box3 --border valid -q -o " + quoted(dir / "v.webp"));
  EXPECT_EQ(valid.status, 0) << valid.err;
  EXPECT_EQ(cv::imread(dir / "v.webp").size(), cv::Size(16383, 1));
}

// --map normalize on the whole-image path kept its sums as a plane of doubles and two more for the
// stretch (26 bytes a pixel: 10.2 GB for 20000x20000); the engine's own sums take 2 or 4.
TEST(BadInput, NormalizeOfALargeImageKeepsNoPlaneOfDoubles) {
  TempDir dir;
  cv::Mat1b image(6000, 6000);
  cv::randu(image, 0, 256);
  write_bytes(dir / "big.pgm", pgm(6000, 6000, 0) + std::string(image.datastart, image.dataend));
  for (const std::string kernel : {"sobel_x", "gaussian:5:1"}) {  // int16 and int32 sums
    // 600 MB of address space: 36 Mpx at 26 bytes a pixel needs 936 MB.
    const testing::Run run = run_after(testing::address_space_limit("ulimit -v 600000;"),
                                       "apply " + quoted(dir / "big.pgm") + " -k " + kernel +
                                           " --map normalize -q -o " + quoted(dir / "out.pgm"));
    EXPECT_EQ(run.status, 0) << kernel << ": " << run.err;
    EXPECT_EQ(run.err, "");
    const cv::Mat out = cv::imread(dir / "out.pgm", cv::IMREAD_UNCHANGED);
    double low = -1, high = -1;
    cv::minMaxLoc(out, &low, &high);
    EXPECT_EQ(out.size(), cv::Size(6000, 6000)) << kernel;
    EXPECT_EQ(low, 0) << kernel;
    EXPECT_EQ(high, 255) << kernel;
  }
}

// A device named as an image was read up to --max-bytes (4 GiB of /dev/zero) before it failed.
TEST(BadInput, ADeviceAsAnImageIsRefusedAtOnce) {
  TempDir dir;
  for (const std::string command : {"apply", "edges", "compare"}) {
    const std::string output = command == "compare" ? "" : " -o " + quoted(dir / "out.png");
    const std::string kernel = command == "edges" ? "" : " -k box3";
    expect_refused(dir, command + " /dev/zero" + kernel + output, 1,
                   {"sepconv: /dev/zero: is a device, not a file\n"}, 1, "timeout 20");
  }
}

TEST(BadInput, FolderWithoutImages) {
  TempDir dir;
  fs::create_directories(dir.path() / "empty");
  expect_refused(dir, "apply " + quoted(dir / "empty") + " -k box3 --out-dir " + quoted(dir / "o"),
                 1, {dir / "empty"});
}

// Issue 10 item 8: a 2000x1 strip used 3.5 GB in --montage; panels now keep a bounded size.
TEST(BadInput, MontageOfAnExtremeAspectRatioIsBounded) {
  TempDir dir;
  write_bytes(dir / "strip.png", encoded(".png", gradient(1, 2000, CV_8U)));
  write_bytes(dir / "tower.png", encoded(".png", gradient(2000, 1, CV_8U)));
  for (const std::string name : {"strip", "tower"}) {
    // 1 GB of address space is far below the 3.5 GB the montage took.
    const testing::Run run =
        run_after(testing::address_space_limit("ulimit -v 1000000;"),
                  "compare " + quoted(dir / (name + ".png")) + " -k box3 --montage " +
                      quoted(dir / (name + "-m.png")) + " --diff " +
                      quoted(dir / (name + "-d.png")) + " >/dev/null");
    EXPECT_EQ(run.status, 0) << name << ": " << run.err;
    EXPECT_EQ(run.err, "");
    const cv::Mat montage = cv::imread(dir / (name + "-m.png"));
    EXPECT_LE(montage.total(), 4u * 1000 * 520) << name;
    EXPECT_FALSE(cv::imread(dir / (name + "-d.png")).empty()) << name;
  }
}

// Issue 10 item 9: --multiplier 1024 allocated before any check; the working memory is estimated
// from the layer and the image size first.
TEST(BadInput, DepthwiseMultiplierIsEstimatedUpFront) {
  TempDir dir;
  write_bytes(dir / "big.png", encoded(".png", cv::Mat(4096, 4096, CV_8U, cv::Scalar(9))));
  std::string pointwise = "[1";
  for (int i = 1; i < 64; ++i) pointwise += " 1";
  pointwise += "]";
  // 4096 x 4096 x (64 planes + 1 output) x 8 bytes + 4096 x 4096 x 4 = 8384 MiB, against 4096.
  expect_refused(dir,
                 "depthwise " + quoted(dir / "big.png") + " -k box3 --multiplier 64 --pointwise " +
                     "'" + pointwise + "'" + " -o " + quoted(dir / "out.png"),
                 1, {"--multiplier: 1 channel x 64 planes of 4096x4096 need 8384 MiB", "4096 MiB"},
                 1, testing::address_space_limit("ulimit -v 2000000;"));
}

// Issue 10 item 17: the real reason, not "no such file".
TEST(BadInput, NetworkFileThatIsADeviceOrALinkLoop) {
  TempDir dir, links;  // the loop apart, so the snapshot of `dir` does not walk into it
  fs::create_symlink(links / "loop-b", links / "loop-a");
  fs::create_symlink(links / "loop-a", links / "loop-b");
  expect_refused(dir, "cost --network /dev/zero", 1, {"/dev/zero: is a device, not a file"});
  expect_refused(dir, "cost --network " + quoted(links / "loop-a"), 1,
                 {links / "loop-a: is a loop of symbolic links"});
  expect_refused(dir, "cost --network " + quoted(dir / "nothere"), 1,
                 {dir / "nothere: no such file, nor a bundled network"});
}

TEST(BadInput, CompareDiffOverItsInputSaysWhatToDo) {
  TempDir dir;
  write_bytes(dir / "a.png", encoded(".png", gradient(8, 8, CV_8U)));
  const testing::Run run =
      run_sepconv("compare " + quoted(dir / "a.png") + " -k box3 --diff " + quoted(dir / "a.png"));
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(line_count(run.err), 1u) << run.err;
  EXPECT_TRUE(contains(run.err, "is an input file; name another file")) << run.err;
  EXPECT_FALSE(contains(run.err, "--overwrite")) << run.err;  // compare has no --overwrite
}

TEST(BadInput, AnInputStartingWithADashGoesAfterDoubleDash) {
  TempDir dir;
  write_bytes(dir / "-dash.png", encoded(".png", gradient(8, 8, CV_8U)));
  const testing::Run run = run_sepconv("apply -k box3 --stats none -o " + quoted(dir / "o.png") +
                                       " -- " + quoted(dir / "-dash.png"));
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_FALSE(cv::imread(dir / "o.png").empty());
  fs::remove(dir / "o.png");
  // Before `--` it is read as options: the message says where it goes. The shell runs in the
  // folder so that the name is "-dash.png" itself, as a user types it.
  const std::string cd = "cd " + quoted(dir.path().string()) + " &&";
  expect_refused(dir, "apply -k sobel_x -o o.png -dash.png", 2,
                 {"sepconv: '-dash.png' was read as options; an input whose name starts with '-' "
                  "goes after '--': sepconv apply [OPTIONS] -- -dash.png"},
                 1, cd);
  expect_refused(dir, "apply -k sobel_x -o o.png", 2,
                 {"sepconv: no input given (an input whose name starts with '-' goes after '--')"},
                 1, cd);
}

// Issue 10 item 17: a kernel file that cannot be opened says why, not "unknown kernel" or "too
// big"; CLI11's validator messages are one line.
TEST(BadInput, KernelFilesAndValidatorsSayTheRealReason) {
  TempDir dir, links;  // the loop apart, so the snapshot of `dir` does not walk into it
  write_bytes(dir / "a.png", encoded(".png", gradient(8, 8, CV_8U)));
  fs::create_symlink(links / "loop-b", links / "loop-a");
  fs::create_symlink(links / "loop-a", links / "loop-b");
  fs::create_symlink(links / "gone.txt", links / "dangling");
  const std::string apply = "apply " + quoted(dir / "a.png") + " -o " + quoted(dir / "o.png");
  expect_refused(dir, apply + " -k /dev/zero", 1, {"sepconv: /dev/zero: is a device, not a file"});
  expect_refused(dir, "analyze " + quoted(links / "loop-a"), 1,
                 {links / "loop-a: is a loop of symbolic links"});
  expect_refused(dir, apply + " -k " + quoted(links / "dangling"), 1,
                 {links / "dangling: is a symbolic link to a missing file"});
  expect_refused(dir,
                 "depthwise " + quoted(dir / "a.png") + " -k box3 --pointwise " +
                     quoted(links / "loop-a") + " -o " + quoted(dir / "o.tif"),
                 1, {links / "loop-a: is a loop of symbolic links"});
  expect_refused(dir, "--threads 0 " + apply + " -k box3", 2,
                 {"sepconv: --threads: Value 0 not in range 1 to 256"});
  expect_refused(dir, "bench --runs 0", 2, {"sepconv: --runs: Value 0 not in range 1 to 1000"});
  expect_refused(dir, "cost --input 12x12x3 --kernel 5 --out-channels 8 --padding bogus", 2,
                 {"sepconv: --padding: bogus not in {valid,same}"});
}

// Issue 10 item 16: nothing on stderr on success without -v: libpng's warning about chelsea.png's
// sRGB profile stays quiet.
TEST(BadInput, LibraryWarningsStayQuietOnSuccess) {
  TempDir dir;
  const std::string chelsea = std::string(SEPCONV_SOURCE_DIR) + "/samples/chelsea.png";
  for (const std::string& command :
       {"apply " + quoted(chelsea) + " -k box3 --stats none -o " + quoted(dir / "a.png"),
        "edges " + quoted(chelsea) + " --stats none -o " + quoted(dir / "e.png"),
        "compare " + quoted(chelsea) + " -k box3 --stats none"}) {
    const testing::Run run = run_sepconv(command);
    EXPECT_EQ(run.status, 0) << command << "\n" << run.err;
    EXPECT_EQ(run.err, "") << command;
  }
}

// Issue 10 item 17: analyze names the kernel as given; a 29 KB matrix or a file name holding a
// terminal escape is shown cut to about 80 characters and escaped, in text and in JSON.
TEST(BadInput, AnalyzeEchoesAHugeOrControlKernelArgumentCutAndEscaped) {
  TempDir dir;
  const std::string ones = [] {
    std::string text = "121x121:";
    for (int i = 0; i < 121 * 121; ++i) text += i ? ",1" : "1";
    return text;
  }();
  const testing::Run huge = run_sepconv("analyze " + quoted(ones));
  ASSERT_EQ(huge.status, 0) << huge.err;
  const std::string first = huge.out.substr(0, huge.out.find('\n'));
  EXPECT_LT(first.size(), 160u) << first;
  EXPECT_TRUE(contains(first, "kernel 121x121:1,1,1")) << first;
  EXPECT_TRUE(contains(first, "... (29289 bytes)")) << first;

  const std::string escape_name = dir / "k\x1b[31mred.txt";
  write_bytes(escape_name, "1 2 1\n");
  const testing::Run text = run_sepconv("analyze " + quoted(escape_name));
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_FALSE(contains(text.out, "\x1b")) << "a raw escape reached the terminal";
  EXPECT_TRUE(contains(text.out, "k\\x1b[31mred.txt")) << text.out;
  const testing::Run json = run_sepconv("analyze " + quoted(escape_name) + " --json");
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["kernel"]["name"], dir / "k\\x1b[31mred.txt");
  const testing::Run huge_json = run_sepconv("analyze " + quoted(ones) + " --json");
  ASSERT_EQ(huge_json.status, 0) << huge_json.err;
  EXPECT_LT(nlohmann::json::parse(huge_json.out)["kernel"]["name"].get<std::string>().size(),
            4200u);
}

// Issue 10 item 17: apply, compare and depthwise print the kernel's name in their reports cut and
// escaped as analyze does, so a 29 KB inline kernel takes one short line, not 29 KB of terminal.
TEST(BadInput, ReportsEchoAHugeKernelNameCut) {
  TempDir dir;
  write_bytes(dir / "a.png", encoded(".png", gradient(40, 40, CV_8U)));
  std::string ones = "25x25:";
  for (int i = 0; i < 25 * 25; ++i) ones += i ? ",1" : "1";
  const std::string input = quoted(dir / "a.png");
  const std::vector<std::string> commands = {
      "apply " + input + " -k " + testing::quoted(ones) + " -o " + quoted(dir / "o.png"),
      "compare " + input + " -k " + testing::quoted(ones),
      "depthwise " + input + " -k " + testing::quoted(ones) + " --pointwise [1] -o " +
          quoted(dir / "d.png")};
  for (const std::string& command : commands) {
    const testing::Run run = run_sepconv(command);
    ASSERT_EQ(run.status, 0) << command << "\n" << run.err;
    const std::string report = run.out + run.err;
    EXPECT_FALSE(contains(report, ones.substr(0, 200))) << command;
    EXPECT_TRUE(contains(report, "... (1255 bytes)")) << command << "\n" << report;
  }
}

// Issue 10 items 17 and 18: numbers out of range are refused in plain words (no 300-digit bound),
// NaN and infinities included.
TEST(BadInput, NumbersOutOfRangeAreRefusedPlainly) {
  TempDir dir;
  write_bytes(dir / "a.png", encoded(".png", gradient(8, 8, CV_8U)));
  const std::string apply =
      "apply " + quoted(dir / "a.png") + " -k box3 -o " + quoted(dir / "o.png");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {apply + " --jobs 0", "--jobs: must be a whole number from 1 to 4096, not '0'"},
      {apply + " --tol -1", "--tol: must be a number above 0, not '-1'"},
      {apply + " --tol nan", "--tol: must be a number above 0, not 'nan'"},
      {"analyze box3 --tol nan", "--tol: must be a number above 0, not 'nan'"},
      {apply + " --approx-tol nan", "--approx-tol: must be a number from 0 to 1, not 'nan'"},
      {apply + " --approx-tol inf", "--approx-tol: must be a number from 0 to 1, not 'inf'"},
      {"--max-pixels -1 " + apply, "--max-pixels: must be a whole number from 1 to"},
  };
  for (const auto& [args, reason] : cases) {
    const auto before = snapshot(dir.path());
    const testing::Run run = run_sepconv(args);
    EXPECT_EQ(run.status, 2) << args << "\n" << run.err;
    EXPECT_TRUE(contains(run.err, reason)) << args << "\n" << run.err;
    EXPECT_LT(run.err.find('\n'), 120u) << run.err;  // the first line stays short
    EXPECT_EQ(snapshot(dir.path()), before) << args;
  }
}

// Issue 10 item 16: --threads above the cores made TBB print "limited to 1" on stderr.
TEST(BadInput, MoreThreadsThanCoresPrintNothing) {
  TempDir dir;
  write_bytes(dir / "a.png", encoded(".png", gradient(64, 64, CV_8U)));
  for (const std::string threads : {"3", "17", "256"}) {
    const testing::Run run =
        run_sepconv("--threads " + threads + " apply " + quoted(dir / "a.png") +
                    " -k gaussian:15 --mode full --stats none -o " + quoted(dir / "o.png"));
    EXPECT_EQ(run.status, 0) << threads;
    EXPECT_EQ(run.err, "") << threads;
  }
}

}  // namespace
}  // namespace sepconv::testing
