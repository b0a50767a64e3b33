// Every syntax parse_kernel accepts, and every error it reports, with the subject and reason.

#include "kernel/parse.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <opencv2/core/persistence.hpp>
#include <random>

#include "core/error.hpp"

namespace sepconv {
namespace {

namespace fs = std::filesystem;

/// The Error `f` throws; fails the test if it throws nothing.
template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected sepconv::Error";
  return Error("", "");
}

/// Expects `f` to throw an Error about `subject` whose reason contains `reason`.
template <class F>
void expect_error(F&& f, const std::string& subject, const std::string& reason) {
  const Error e = error_of(f);
  EXPECT_EQ(e.subject(), subject);
  EXPECT_NE(e.reason().find(reason), std::string::npos) << "reason: " << e.reason();
}

/// A rows x cols matrix from its values in row-major order.
cv::Mat1d mat(int rows, int cols, std::initializer_list<double> values) {
  EXPECT_EQ(static_cast<std::size_t>(rows * cols), values.size());
  return cv::Mat1d(std::vector<double>(values), true).reshape(1, rows).clone();
}

bool same(const cv::Mat1d& a, const cv::Mat1d& b) {
  return a.size() == b.size() && cv::countNonZero(a != b) == 0;
}

/// A fresh folder under the system temp folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("sepconv_kernel_test_" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  /// Writes `text` to `name` in the folder and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const cv::Mat1d kSobelX = mat(3, 3, {-1, 0, 1, -2, 0, 2, -1, 0, 1});

// --- sepconv kernel files ---

TEST(ParseKernelText, ReadsRowsWithSpacesAndCommas) {
  const Kernel k = parse_kernel_text("-1 0 1\n-2, 0, 2\n-1,0,1\n", "k.txt");
  EXPECT_TRUE(same(k.values, kSobelX));
  EXPECT_EQ(k.anchor, cv::Point(1, 1));
  EXPECT_EQ(k.name, "k.txt");
}

TEST(ParseKernelText, CommentsBlankEdgesCrlfAndBom) {
  const std::string text =
      "\xEF\xBB\xBF\r\n# Sobel x\r\n# second comment\r\n\r\n-1 0 1  # first row\r\n"
      "# a comment between rows is fine\r\n-2 0 2\r\n-1 0 1\r\n\r\n\r\n# the end\r\n";
  const Kernel k = parse_kernel_text(text, "k.txt");
  EXPECT_TRUE(same(k.values, kSobelX));
  EXPECT_EQ(k.description, "Sobel x");
}

TEST(ParseKernelText, DescriptionIsTheFirstCommentLine) {
  EXPECT_EQ(parse_kernel_text("#   Blur  \n# more\n1\n", "k").description, "Blur");
  EXPECT_EQ(parse_kernel_text("1\n", "k").description, "");
  EXPECT_EQ(parse_kernel_text("1 # not a description\n", "k").description, "");
}

TEST(ParseKernelText, NumberForms) {
  const Kernel k = parse_kernel_text("1 -2 +3 0.5 -.25 1e-3 2.5E+2 1/9 -3/16 1.5/3\n", "k");
  const cv::Mat1d expected = mat(1, 10, {1, -2, 3, 0.5, -0.25, 1e-3, 250, 1.0 / 9, -3.0 / 16, 0.5});
  EXPECT_TRUE(same(k.values, expected));
  EXPECT_EQ(k.values(0, 7), 1.0 / 9);
}

TEST(ParseKernelText, ScaleDirective) {
  const Kernel k = parse_kernel_text("scale: 1/16\n1 2 1\n2 4 2\n1 2 1\n", "k");
  EXPECT_TRUE(same(k.values, mat(3, 3, {1, 2, 1, 2, 4, 2, 1, 2, 1}) / 16));
  // c * a / b rounds once: 7 / 9 is the double nearest to 7/9, 7 * (1 / 9) is not.
  const Kernel ninth = parse_kernel_text("scale: 1/9\n1 7 5\n", "k");
  EXPECT_EQ(ninth.values(0, 0), 1.0 / 9);
  EXPECT_EQ(ninth.values(0, 1), 7.0 / 9);
  EXPECT_EQ(ninth.values(0, 2), 5.0 / 9);
  EXPECT_EQ(parse_kernel_text("scale: 5/3\n1\n", "k").values(0, 0), 5.0 / 3);
  EXPECT_TRUE(same(parse_kernel_text("scale: 0.5\n2 3\n", "k").values, mat(1, 2, {1, 1.5})));
  EXPECT_TRUE(same(parse_kernel_text("scale: -2e1\n1\n", "k").values, mat(1, 1, {-20})));
}

TEST(ParseKernelText, AnchorDirective) {
  EXPECT_EQ(parse_kernel_text("anchor: 0 2\n1 2 3\n4 5 6\n7 8 9\n", "k").anchor, cv::Point(0, 2));
  EXPECT_EQ(parse_kernel_text("scale: 1/4\nanchor: 1,0\n1 2\n3 4\n", "k").anchor, cv::Point(1, 0));
  // Default: the centre, cols / 2 and rows / 2 (OpenCV's choice, also for even sizes).
  EXPECT_EQ(parse_kernel_text("1 2 3 4\n5 6 7 8\n", "k").anchor, cv::Point(2, 1));
}

TEST(ParseKernelText, RaggedRowsSayBothLengths) {
  expect_error([] { parse_kernel_text("1 2 3\n4 5\n", "k.txt"); }, "k.txt",
               "line 2: row has 2 numbers but the rows above have 3");
}

TEST(ParseKernelText, WordsThatAreNotNumbers) {
  expect_error([] { parse_kernel_text("# c\n1 abc 3\n", "k.txt"); }, "k.txt",
               "line 2: 'abc' is not a number");
  expect_error([] { parse_kernel_text("1 2x 3\n", "k.txt"); }, "k.txt", "'2x' is not a number");
  expect_error([] { parse_kernel_text("1 1/2/3\n", "k.txt"); }, "k.txt", "'1/2/3'");
  expect_error([] { parse_kernel_text("1 0x10\n", "k.txt"); }, "k.txt", "'0x10' is not a number");
}

TEST(ParseKernelText, NanAndInfinities) {
  expect_error([] { parse_kernel_text("1 nan\n", "k"); }, "k", "line 1: 'nan' is NaN");
  expect_error([] { parse_kernel_text("1\n-inf\n", "k"); }, "k", "line 2: '-inf' is infinite");
  expect_error([] { parse_kernel_text("Infinity\n", "k"); }, "k", "'Infinity' is infinite");
}

TEST(ParseKernelText, OutOfRange) {
  expect_error([] { parse_kernel_text("1 1e400\n", "k"); }, "k",
               "line 1: '1e400' is out of the range of a double");
  expect_error([] { parse_kernel_text("-1e400\n", "k"); }, "k", "out of the range");
  // Underflow too: a coefficient below 2^-1074 is surely a typo, not a weight.
  expect_error([] { parse_kernel_text("1e-400\n", "k"); }, "k", "out of the range");
  EXPECT_EQ(parse_kernel_text("4.9e-324\n", "k").values(0, 0), 4.9e-324);
  expect_error([] { parse_kernel_text("1e300/1e-300\n", "k"); }, "k", "out of the range");
}

TEST(ParseKernelText, DivisionByZero) {
  expect_error([] { parse_kernel_text("1 2\n3 4/0\n", "k"); }, "k",
               "line 2: '4/0' divides by zero");
  expect_error([] { parse_kernel_text("scale: 1/0\n1\n", "k"); }, "k", "line 1: scale: '1/0'");
}

TEST(ParseKernelText, NoRows) {
  expect_error([] { parse_kernel_text("", "k.txt"); }, "k.txt", "no matrix rows");
  expect_error([] { parse_kernel_text("# only\n\n# comments\n", "k.txt"); }, "k.txt",
               "no matrix rows");
  expect_error([] { parse_kernel_text("scale: 2\n", "k.txt"); }, "k.txt", "no matrix rows");
}

TEST(ParseKernelText, EmptyLineInsideTheMatrix) {
  expect_error([] { parse_kernel_text("1 2\n3 4\n\n5 6\n7 8\n", "k.txt"); }, "k.txt",
               "line 3: empty line inside the matrix");
  expect_error([] { parse_kernel_text("1 2\n  \t\n# c\n3 4\n", "k.txt"); }, "k.txt",
               "line 2: empty line inside the matrix");
}

TEST(ParseKernelText, TooLarge) {
  std::string wide;
  for (int i = 0; i < kMaxKernelSide + 1; ++i) wide += "1 ";
  expect_error([&] { parse_kernel_text(wide + "\n", "k"); }, "k",
               "line 1: 1026 columns, more than the limit of 1025");
  std::string tall;
  for (int i = 0; i < kMaxKernelSide + 1; ++i) tall += "1\n";
  expect_error([&] { parse_kernel_text(tall, "k"); }, "k", "line 1026: more than 1025 rows");
  std::string largest;
  for (int i = 0; i < kMaxKernelSide; ++i) largest += "1\n";
  EXPECT_EQ(parse_kernel_text(largest, "k").rows(), kMaxKernelSide);
}

TEST(ParseKernelText, BadDirectives) {
  expect_error([] { parse_kernel_text("size: 3\n1\n", "k"); }, "k",
               "line 1: unknown directive 'size:'");
  expect_error([] { parse_kernel_text("scale: 2\nscale: 3\n1\n", "k"); }, "k",
               "line 2: scale: given twice");
  expect_error([] { parse_kernel_text("scale: 0\n1\n", "k"); }, "k", "scale: must not be zero");
  expect_error([] { parse_kernel_text("scale: half\n1\n", "k"); }, "k", "'half' is not a number");
  expect_error([] { parse_kernel_text("scale:\n1\n", "k"); }, "k", "scale: expects one number");
  expect_error([] { parse_kernel_text("scale: 1 2\n1\n", "k"); }, "k", "scale: expects one number");
  expect_error([] { parse_kernel_text("anchor: 1\n1 2\n", "k"); }, "k", "anchor: expects");
  expect_error([] { parse_kernel_text("anchor: -1 0\n1 2\n", "k"); }, "k", "anchor: expects");
  expect_error([] { parse_kernel_text("anchor: 0.5 0\n1 2\n", "k"); }, "k", "anchor: expects");
  expect_error([] { parse_kernel_text("anchor: 0 0\nanchor: 0 0\n1\n", "k"); }, "k",
               "line 2: anchor: given twice");
  expect_error([] { parse_kernel_text("# c\nanchor: 2 0\n1 2\n", "k"); }, "k",
               "line 2: anchor (2, 0) lies outside the 2x1 matrix");
  expect_error([] { parse_kernel_text("1 2\nscale: 2\n", "k"); }, "k",
               "line 2: directive 'scale:' after the matrix rows");
}

// --- reading files ---

TEST(ParseFile, ReadsAKernelFileByPath) {
  TempDir dir;
  const std::string path = dir.write("edge.txt", "# My edge\nscale: 1/2\n-1 0 1\n");
  const Kernel k = parse_kernel(path);
  EXPECT_TRUE(same(k.values, mat(1, 3, {-0.5, 0, 0.5})));
  EXPECT_EQ(k.name, path);
  EXPECT_EQ(k.description, "My edge");
}

TEST(ParseFile, ErrorsInsideAFileNameThePath) {
  TempDir dir;
  const std::string path = dir.write("bad.txt", "1 2\n3\n");
  expect_error([&] { parse_kernel(path); }, path, "line 2: row has 1 number but");
}

TEST(ParseFile, MissingFile) {
  TempDir dir;
  const std::string path = (dir.path() / "absent.txt").string();
  expect_error([&] { parse_kernel(path); }, path, "no such file");
  expect_error([] { parse_kernel("no_such_kernel.txt"); }, "no_such_kernel.txt", "no such file");
  expect_error([] { parse_kernel("no/such.mat"); }, "no/such.mat", "no such file");
}

TEST(ParseFile, DirectoryIsNotAFile) {
  TempDir dir;
  const std::string path = dir.path().string() + "/";
  expect_error([&] { parse_kernel(path); }, path, "is a directory");
  fs::create_directory(dir.path() / "folder.txt");
  const std::string folder = (dir.path() / "folder.txt").string();
  expect_error([&] { parse_kernel(folder); }, folder, "is a directory");
}

TEST(ParseFile, LargerThan16MiB) {
  TempDir dir;
  const std::string path = dir.write("huge.txt", std::string((16u << 20) + 1, '1'));
  expect_error([&] { parse_kernel(path); }, path, "larger than 16 MiB");
}

TEST(ParseFile, ExactlyAtTheSizeLimitIsRead) {
  TempDir dir;
  // 16 MiB of one row "1" padded with spaces: not too big, and a valid 1x1 kernel.
  std::string text = "1";
  text.resize(16u << 20, ' ');
  EXPECT_EQ(parse_kernel(dir.write("big.txt", text)).values(0, 0), 1);
}

TEST(ParseFile, UnreadableFile) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files whatever their permissions";
  TempDir dir;
  const std::string path = dir.write("secret.txt", "1\n");
  fs::permissions(path, fs::perms::none);
  expect_error([&] { parse_kernel(path); }, path, "cannot open");
}

// --- libvips .mat files ---

TEST(ParseVipsMat, ScaleDividesTheCoefficients) {
  const Kernel k = parse_vips_mat("3 3 16 0\n1 2 1\n2 4 2\n1 2 1\n", "g.mat");
  EXPECT_TRUE(same(k.values, mat(3, 3, {1, 2, 1, 2, 4, 2, 1, 2, 1}) / 16));
  EXPECT_EQ(k.name, "g.mat");
  EXPECT_EQ(k.anchor, cv::Point(1, 1));
}

TEST(ParseVipsMat, DividesExactly) {
  const Kernel k = parse_vips_mat("3 1 9\n1 7 5\n", "m");
  EXPECT_EQ(k.values(0, 0), 1.0 / 9);
  EXPECT_EQ(k.values(0, 1), 7.0 / 9);  // not 7 * (1 / 9)
  EXPECT_EQ(k.values(0, 2), 5.0 / 9);
}

TEST(ParseVipsMat, ScaleAndOffsetAreOptional) {
  EXPECT_TRUE(same(parse_vips_mat("2 1\n3 4\n", "m").values, mat(1, 2, {3, 4})));
  EXPECT_TRUE(same(parse_vips_mat("2 1 2\n3 4\n", "m").values, mat(1, 2, {1.5, 2})));
  EXPECT_TRUE(
      same(parse_vips_mat("2,1,\"4\"\r\n1\t-2\r\n\r\n", "m").values, mat(1, 2, {0.25, -0.5})));
}

TEST(ParseVipsMat, NonzeroOffsetIsRejected) {
  expect_error([] { parse_vips_mat("1 1 1 128\n1\n", "m.mat"); }, "m.mat",
               "line 1: offset 128 cannot be represented by a kernel");
}

TEST(ParseVipsMat, HeaderDisagreeingWithRows) {
  expect_error([] { parse_vips_mat("3 2\n1 2 3\n4 5\n", "m.mat"); }, "m.mat",
               "line 3: row has 2 numbers but the header says width 3");
  expect_error([] { parse_vips_mat("2 2\n1 2 3\n4 5\n", "m.mat"); }, "m.mat",
               "line 2: row has 3 numbers but the header says width 2");
  expect_error([] { parse_vips_mat("2 3\n1 2\n4 5\n", "m.mat"); }, "m.mat",
               "the header says height 3 but 2 rows follow");
  expect_error([] { parse_vips_mat("2 2\n1 2\n", "m.mat"); }, "m.mat",
               "the header says height 2 but 1 row follows");
  expect_error([] { parse_vips_mat("2 1\n1 2\n4 5\n", "m.mat"); }, "m.mat",
               "line 3: more rows than the height 1 in the header");
  expect_error([] { parse_vips_mat("2 2\n1 2\n\n4 5\n", "m.mat"); }, "m.mat",
               "line 3: empty line inside the matrix");
}

TEST(ParseVipsMat, BadHeaders) {
  expect_error([] { parse_vips_mat("", "m"); }, "m", "empty .mat file");
  expect_error([] { parse_vips_mat("3\n1 2 3\n", "m"); }, "m", "line 1: expected 'width height");
  expect_error([] { parse_vips_mat("2.5 1\n1 2\n", "m"); }, "m", "line 1: expected");
  expect_error([] { parse_vips_mat("0 1\n", "m"); }, "m", "line 1: expected");
  expect_error([] { parse_vips_mat("1 1 1 0 5\n1\n", "m"); }, "m", "line 1: expected");
  expect_error([] { parse_vips_mat("1 1 0\n1\n", "m"); }, "m", "line 1: scale must not be zero");
  expect_error([] { parse_vips_mat("1 1 x\n1\n", "m"); }, "m", "line 1: scale 'x' is not a number");
  expect_error([] { parse_vips_mat("1026 1\n1\n", "m"); }, "m", "larger than the limit of 1025");
  expect_error([] { parse_vips_mat("2 1\n1 nan\n", "m"); }, "m", "line 2: 'nan' is NaN");
}

TEST(ParseVipsMat, ByPathThroughParseKernel) {
  TempDir dir;
  const std::string path = dir.write("blur.mat", "3 1 4\n1 2 1\n");
  EXPECT_TRUE(same(parse_kernel(path).values, mat(1, 3, {0.25, 0.5, 0.25})));
}

// --- inline matrices ---

TEST(ParseInline, RowsAndNumbers) {
  const Kernel k = parse_kernel("[-1 0 1; -2 0 2; -1 0 1]");
  EXPECT_TRUE(same(k.values, kSobelX));
  EXPECT_EQ(k.name, "[-1 0 1; -2 0 2; -1 0 1]");
  EXPECT_EQ(k.description, "Inline 3x3 matrix");
  EXPECT_TRUE(same(parse_kernel("[1,2,3;4,5,6]").values, mat(2, 3, {1, 2, 3, 4, 5, 6})));
  EXPECT_TRUE(
      same(parse_kernel(" [1/9 1/9 1/9;] ").values, mat(1, 3, {1.0 / 9, 1.0 / 9, 1.0 / 9})));
  EXPECT_TRUE(same(parse_kernel("[1\n2]").values, mat(1, 2, {1, 2})));
}

TEST(ParseInline, Errors) {
  expect_error([] { parse_kernel("[1 2; 3]"); }, "[1 2; 3]",
               "row 2: row has 1 number but the rows above have 2");
  expect_error([] { parse_kernel("[1 2; 3 4"); }, "[1 2; 3 4", "must end with ']'");
  expect_error([] { parse_kernel("[]"); }, "[]", "row 1: empty row");
  expect_error([] { parse_kernel("[1;;2]"); }, "[1;;2]", "row 2: empty row");
  expect_error([] { parse_kernel("[1 a]"); }, "[1 a]", "row 1: 'a' is not a number");
  expect_error([] { parse_kernel("[1 1/0]"); }, "[1 1/0]", "'1/0' divides by zero");
  expect_error([] { parse_kernel("[1e999]"); }, "[1e999]", "out of the range");
}

// --- ImageMagick kernel strings ---

TEST(ParseMagick, WidthByHeight) {
  const Kernel k = parse_kernel("3x3: -1,0,1 -2,0,2 -1,0,1");
  EXPECT_TRUE(same(k.values, kSobelX));
  EXPECT_EQ(k.anchor, cv::Point(1, 1));
  EXPECT_TRUE(same(parse_kernel("3x2:1 2 3 4 5 6").values, mat(2, 3, {1, 2, 3, 4, 5, 6})));
  EXPECT_TRUE(same(parse_kernel("1x3: 1, 2, 3;").values, mat(3, 1, {1, 2, 3})));
}

TEST(ParseMagick, SquareShorthand) {
  EXPECT_TRUE(same(parse_kernel("3: -1 0 1  -2 0 2  -1 0 1").values, kSobelX));
}

TEST(ParseMagick, Origin) {
  EXPECT_EQ(parse_kernel("3x3+0+2: 1 2 3 4 5 6 7 8 9").anchor, cv::Point(0, 2));
  EXPECT_EQ(parse_kernel("2+1+0: 1 2 3 4").anchor, cv::Point(1, 0));
  // ImageMagick centres even sizes at (W - 1) / 2.
  EXPECT_EQ(parse_kernel("2x4: 1 2 3 4 5 6 7 8").anchor, cv::Point(0, 1));
  expect_error([] { parse_kernel("3x3+3+0: 1 2 3 4 5 6 7 8 9"); }, "3x3+3+0: 1 2 3 4 5 6 7 8 9",
               "origin +3+0 lies outside the 3x3 kernel");
  expect_error([] { parse_kernel("3x3-1+0: 1 2 3 4 5 6 7 8 9"); }, "3x3-1+0: 1 2 3 4 5 6 7 8 9",
               "lies outside");
}

TEST(ParseMagick, NanMeansNotInTheKernel) {
  const Kernel k = parse_kernel("3: nan,1,nan 1,-4,1 NaN,1,-");
  EXPECT_TRUE(same(k.values, mat(3, 3, {0, 1, 0, 1, -4, 1, 0, 1, 0})));
  expect_error([] { parse_kernel("2x1: nan -"); }, "2x1: nan -", "every value is nan");
}

TEST(ParseMagick, WrongValueCounts) {
  expect_error([] { parse_kernel("3x3: 1 2 3 4 5 6 7 8"); }, "3x3: 1 2 3 4 5 6 7 8",
               "a 3x3 kernel needs 9 values, got 8");
  expect_error([] { parse_kernel("2: 1 2 3 4 5"); }, "2: 1 2 3 4 5",
               "a 2x2 kernel needs 4 values, got 5");
  expect_error([] { parse_kernel("1:"); }, "1:", "needs 1 values, got 0");
}

TEST(ParseMagick, OtherErrors) {
  expect_error([] { parse_kernel("1x1: x"); }, "1x1: x", "value 1: 'x' is not a number");
  expect_error([] { parse_kernel("0x3: 1"); }, "0x3: 1", "kernel side '0' must be from 1 to 1025");
  expect_error([] { parse_kernel("1x1: 1; 1x1: 2"); }, "1x1: 1; 1x1: 2", "not supported");
}

// A string of `count` values "1 1 1 ...": what a long ImageMagick or inline argument holds.
std::string ones(std::size_t count) {
  std::string values;
  values.reserve(2 * count);
  for (std::size_t i = 0; i < count; ++i) values += " 1";
  return values;
}

TEST(ParseMagick, LongStringsDoNotOverflowTheStack) {
  // std::regex recursed once per character and crashed near 29 KB (issue 10).
  const Kernel k = parse_kernel("121x121:" + ones(121 * 121));
  EXPECT_EQ(k.values.size(), cv::Size(121, 121));
  EXPECT_EQ(cv::sum(k.values)[0], 121.0 * 121);
}

TEST(ParseMagick, TheLargestKernelParses) {
  const Kernel k = parse_kernel("1025x1025:" + ones(1025 * 1025));
  EXPECT_EQ(k.values.size(), cv::Size(1025, 1025));
  EXPECT_EQ(k.anchor, cv::Point(512, 512));
  EXPECT_EQ(cv::sum(k.values)[0], 1025.0 * 1025);
  // Linux limits one argument to 128 KiB: the largest kernels come from a file.
  TempDir dir;
  const std::string path = dir.write("big.txt", "1025x1025:" + ones(1025 * 1025));
  EXPECT_EQ(parse_kernel(path).values.size(), cv::Size(1025, 1025));
  expect_error([] { parse_kernel("1026x1:" + ones(1026)); },
               "1026x1:" + ones(36) + " ... (2059 bytes)",
               "kernel side '1026' must be from 1 to 1025");
}

TEST(ParseKernel, HugeArgumentsGiveAShortError) {
  const std::string many(120000, '1');
  const std::string cut = std::string(80, '1') + "... (120000 bytes)";
  expect_error([&] { parse_kernel(many); }, cut, "unknown kernel");
  const std::string words(120000, 'a');
  expect_error([&] { parse_kernel(words); }, std::string(80, 'a') + "... (120000 bytes)",
               "unknown kernel");
  // Every syntax: the message quotes at most a short, escaped piece of the argument.
  for (const std::string& spec :
       {"[" + ones(60000), "[" + ones(60000) + " x]", "3x3:" + ones(60000), "gaussian:" + many,
        "box:" + many, "9:" + many + "\x1b]", "/" + words, words + ".txt", "[" + many + "]"}) {
    const Error e = error_of([&] { parse_kernel(spec); });
    EXPECT_LT(std::string(e.what()).size(), 400u) << e.what();
  }
}

TEST(ParseFile, LongAndHostileLinesAreCutInErrors) {
  TempDir dir;
  const std::string path = dir.write("bad.txt", "1 2\n3 \x1b[2J" + std::string(100000, 'a') + "\n");
  const Error e = error_of([&] { parse_kernel(path); });
  EXPECT_NE(e.reason().find("line 2: '\\x1b[2Jaaa"), std::string::npos) << e.reason();
  EXPECT_NE(e.reason().find("... (100004 bytes)' is not a number"), std::string::npos)
      << e.reason();
  EXPECT_LT(e.reason().size(), 200u);
}

TEST(ParseKernel, ControlCharactersAreEscapedInErrors) {
  expect_error([] { parse_kernel("\x1b[2Jbad"); }, "\\x1b[2Jbad", "unknown kernel");
  expect_error([] { parse_kernel("[1 \x1b[2J]"); }, "[1 \\x1b[2J]", "'\\x1b[2J' is not a number");
}

// --- numpy matrices ---

TEST(ParseNumpy, ReprAndPrintForms) {
  const cv::Mat1d binomial = mat(3, 3, {1, 2, 1, 2, 4, 2, 1, 2, 1});
  const Kernel k = parse_kernel("[[1,2,1],[2,4,2],[1,2,1]]");
  EXPECT_TRUE(same(k.values, binomial));
  EXPECT_EQ(k.description, "numpy 3x3 matrix");
  EXPECT_TRUE(same(parse_kernel("[[1, 2, 1], [2, 4, 2], [1, 2, 1]]").values, binomial));
  EXPECT_TRUE(same(parse_kernel("[[1. 2. 1.]\n [2. 4. 2.]\n [1. 2. 1.]]").values, binomial));
  EXPECT_TRUE(same(parse_kernel(" [[-1e-3, 5e-01],] ").values, mat(1, 2, {-1e-3, 0.5})));
  EXPECT_TRUE(same(parse_kernel("[[1], [2]]").values, mat(2, 1, {1, 2})));
}

TEST(ParseNumpy, Errors) {
  expect_error([] { parse_kernel("[[1, 2], [3]]"); }, "[[1, 2], [3]]",
               "row 2: row has 1 number but the rows above have 2");
  expect_error([] { parse_kernel("[[1, 2], 3]"); }, "[[1, 2], 3]", "row 2: expected '['");
  expect_error([] { parse_kernel("[[1, 2], [3, 4]"); }, "[[1, 2], [3, 4]", "row 2: no closing");
  expect_error([] { parse_kernel("[[1, [2]]]"); }, "[[1, [2]]]", "nested deeper");
  expect_error([] { parse_kernel("[[]]"); }, "[[]]", "row 1: empty row");
  expect_error([] { parse_kernel("[[1, x]]"); }, "[[1, x]]", "row 1: 'x' is not a number");
}

// --- any existing file, whatever its name and format ---

/// Runs in `dir` and goes back: "-k k.csv" names a file in the working folder.
class InFolder {
 public:
  explicit InFolder(const fs::path& dir) : previous_(fs::current_path()) { fs::current_path(dir); }
  ~InFolder() { fs::current_path(previous_); }

 private:
  fs::path previous_;
};

TEST(ParseFile, AnyExistingFileIsAKernelFile) {
  TempDir dir;
  dir.write("k.csv", "1,2,1\n2,4,2\n1,2,1\n");
  dir.write("weights", "-1 0 1\n-2 0 2\n-1 0 1\n");
  dir.write("sobel_x", "7\n");  // a file wins over the bundled name
  const InFolder in(dir.path());
  EXPECT_TRUE(same(parse_kernel("k.csv").values, mat(3, 3, {1, 2, 1, 2, 4, 2, 1, 2, 1})));
  EXPECT_EQ(parse_kernel("k.csv").name, "k.csv");
  EXPECT_TRUE(same(parse_kernel("weights").values, kSobelX));
  EXPECT_TRUE(same(parse_kernel("sobel_x").values, mat(1, 1, {7})));
  expect_error([] { parse_kernel("missing.csv"); }, "missing.csv", "no such file");
  expect_error([] { parse_kernel("k.npy"); }, "k.npy", "no such file");
}

TEST(ParseFile, CsvAndWhitespaceMatrices) {
  TempDir dir;
  const std::string csv = dir.write("a.csv", "0.25,0.5,0.25\r\n0.5,1,0.5\r\n");
  EXPECT_TRUE(same(parse_kernel(csv).values, mat(2, 3, {0.25, 0.5, 0.25, 0.5, 1, 0.5})));
  // numpy.savetxt's default: spaces, exponent form.
  const std::string txt =
      dir.write("b.txt", "1.000000000000000000e+00 -2.500000000000000000e-01\n");
  EXPECT_TRUE(same(parse_kernel(txt).values, mat(1, 2, {1, -0.25})));
  const std::string tsv = dir.write("c.tsv", "1\t2\n3\t4\n");
  EXPECT_TRUE(same(parse_kernel(tsv).values, mat(2, 2, {1, 2, 3, 4})));
  const std::string header = dir.write("d.csv", "a,b\n1,2\n");
  expect_error([&] { parse_kernel(header); }, header, "line 1: 'a' is not a number");
}

TEST(ParseFile, NumpyAndImageMagickTextInAFile) {
  TempDir dir;
  const std::string numpy = dir.write("k.txt", "# from print(a)\n[[1. 0. -1.]\n [2. 0. -2.]]\n");
  EXPECT_TRUE(same(parse_kernel(numpy).values, mat(2, 3, {1, 0, -1, 2, 0, -2})));
  EXPECT_EQ(parse_kernel(numpy).name, numpy);
  const std::string magick = dir.write("k.magick", "3x3+0+0:\n -1,0,1\n -2,0,2\n -1,0,1\n");
  const Kernel k = parse_kernel(magick);
  EXPECT_TRUE(same(k.values, kSobelX));
  EXPECT_EQ(k.anchor, cv::Point(0, 0));
  const std::string bad = dir.write("bad.txt", "2x2: 1 2 3\n");
  expect_error([&] { parse_kernel(bad); }, bad, "a 2x2 kernel needs 4 values, got 3");
  const std::string npy = dir.write("k.npy", "\x93NUMPY");
  expect_error([&] { parse_kernel(npy); }, npy, "numpy.savetxt");
}

// --- OpenCV FileStorage ---

/// Writes `matrices` with cv::FileStorage itself, into a file named `name`.
std::string write_storage(const TempDir& dir, const std::string& name,
                          const std::vector<std::pair<std::string, cv::Mat>>& matrices) {
  const std::string path = (dir.path() / name).string();
  cv::FileStorage storage(path, cv::FileStorage::WRITE);
  for (const auto& [key, matrix] : matrices) storage << key << matrix;
  storage.release();
  return path;
}

TEST(ParseStorage, YamlJsonAndXmlWrittenByOpenCV) {
  TempDir dir;
  const cv::Mat1d sobel = kSobelX.clone();
  const cv::Mat1f thirds = (cv::Mat1f(1, 3) << 1.0f / 3, 1.0f / 3, 1.0f / 3);
  for (const char* name : {"k.yml", "k.yaml", "k.json", "k.xml"}) {
    const std::string path = write_storage(dir, name, {{"sobel", sobel}});
    const Kernel k = parse_kernel(path);
    EXPECT_TRUE(same(k.values, kSobelX)) << name;
    EXPECT_EQ(k.description, "OpenCV FileStorage 3x3 matrix");
  }
  // float32 data is widened exactly; any extension, told by the text.
  const std::string floats = write_storage(dir, "f.yml", {{"k", thirds}});
  fs::rename(floats, dir.path() / "f.dat");
  const Kernel k = parse_kernel((dir.path() / "f.dat").string());
  EXPECT_EQ(k.values(0, 1), static_cast<double>(1.0f / 3));
}

TEST(ParseStorage, SeveralMatricesNeedOneNamedKernel) {
  TempDir dir;
  const cv::Mat1d a = mat(1, 1, {1}), b = mat(1, 1, {2});
  const std::string named =
      write_storage(dir, "named.yml", {{"first", a}, {"kernel", b}, {"last", a}});
  EXPECT_EQ(parse_kernel(named).values(0, 0), 2);
  const std::string unnamed = write_storage(dir, "two.yml", {{"first", a}, {"second", b}});
  expect_error([&] { parse_kernel(unnamed); }, unnamed,
               "holds 2 matrices (first, second); name the kernel one 'kernel'");
}

TEST(ParseStorage, Errors) {
  TempDir dir;
  const std::string none = dir.write("none.yml", "%YAML:1.0\n---\nvalue: 3\n");
  expect_error([&] { parse_kernel(none); }, none, "holds no OpenCV matrix");
  const std::string broken = dir.write("broken.json", "{ \"k\": [1, 2");
  expect_error([&] { parse_kernel(broken); }, broken, "not a valid OpenCV FileStorage matrix");
  const std::string color = write_storage(dir, "color.yml", {{"k", cv::Mat3b(2, 2)}});
  expect_error([&] { parse_kernel(color); }, color, "the matrix has 3 channels");
  const std::string huge = dir.write(
      "huge.yml",
      "%YAML:1.0\n---\nk: !!opencv-matrix\n  rows: 100000\n  cols: 100000\n  dt: d\n  data: [1]\n");
  expect_error([&] { parse_kernel(huge); }, huge, "the matrix is 100000x100000");
  const std::string nan = dir.write(
      "nan.yml",
      "%YAML:1.0\n---\nk: !!opencv-matrix\n  rows: 1\n  cols: 1\n  dt: d\n  data: [.Nan]\n");
  expect_error([&] { parse_kernel(nan); }, nan, "not a finite number");
}

// --- ImageMagick named kernels (values checked against ImageMagick in magick_test.cpp) ---

TEST(ParseMagickNamed, GeneratorsStayLowerCase) {
  // sepconv's generator: SIZE 5. ImageMagick's Gaussian: radius and sigma.
  EXPECT_EQ(parse_kernel("gaussian:5").values.size(), cv::Size(5, 5));
  EXPECT_EQ(parse_kernel("Gaussian:0x1").values.size(), cv::Size(9, 9));
  EXPECT_EQ(parse_kernel("gaussian:0x1").values.size(), cv::Size(9, 9));
  EXPECT_EQ(parse_kernel("Gaussian:0x1").description, "ImageMagick Gaussian 9x9+4+4");
  // Sobel as ImageMagick defines it: its -morphology Convolve turns it into sobel_x.
  const Kernel sobel = parse_kernel("Sobel");
  EXPECT_TRUE(same(sobel.values, mat(3, 3, {1, 0, -1, 2, 0, -2, 1, 0, -1})));
  EXPECT_TRUE(same(flipped(sobel).values, kSobelX));
}

TEST(ParseMagickNamed, Errors) {
  expect_error([] { parse_kernel("Gaussian:abc"); }, "Gaussian:abc",
               "cannot read the arguments 'abc'");
  expect_error([] { parse_kernel("Gaussian:1x2x3"); }, "Gaussian:1x2x3", "cannot read");
  expect_error([] { parse_kernel("Gaussian:600x1"); }, "Gaussian:600x1",
               "the kernel would be 1201 wide, more than the limit of 1025");
  expect_error([] { parse_kernel("Blur:0x1e6"); }, "Blur:0x1e6", "more than the limit of 1025");
  expect_error([] { parse_kernel("Binomial:9"); }, "Binomial:9", "overflows beyond radius 8");
  expect_error([] { parse_kernel("Disk:2"); }, "Disk:2", "morphology shape");
  expect_error([] { parse_kernel("Blur:0x1+45"); }, "Blur:0x1+45", "only 3x3 kernels by 45");
  expect_error([] { parse_kernel("FreiChen:10"); }, "FreiChen:10", "not supported");
  expect_error([] { parse_kernel("Sobel:90;Sobel"); }, "Sobel:90;Sobel", "not supported");
}

// --- choosing among the syntaxes ---

TEST(ParseKernel, BundledNameIsBare) {
  const Kernel k = parse_kernel("sobel_x");
  EXPECT_EQ(k.name, "sobel_x");
  EXPECT_TRUE(same(k.values, kSobelX));
  EXPECT_FALSE(k.description.empty());
}

TEST(ParseKernel, BundledNamesIgnoreCase) {
  const Kernel k = parse_kernel("SOBEL_X");
  EXPECT_EQ(k.name, "sobel_x");
  EXPECT_TRUE(same(k.values, kSobelX));
  EXPECT_TRUE(same(parse_kernel("Gaussian3").values, parse_kernel("gaussian3").values));
}

TEST(ParseKernel, UnknownNamesSuggestTheClosest) {
  expect_error([] { parse_kernel("gausian3"); }, "gausian3", "; did you mean gaussian3?");
  expect_error([] { parse_kernel("sobel_z"); }, "sobel_z", "; did you mean sobel_x or sobel_y?");
  expect_error([] { parse_kernel("Gausian:0x2"); }, "Gausian:0x2", "; did you mean Gaussian?");
  expect_error([] { parse_kernel("gausian:5"); }, "gausian:5", "; did you mean gaussian?");
  expect_error([] { parse_kernel("Laplacain"); }, "Laplacain", "; did you mean Laplacian?");
  const Error far = error_of([] { parse_kernel("completely_different"); });
  EXPECT_EQ(far.reason().find("did you mean"), std::string::npos) << far.reason();
}

TEST(ParseKernel, AnExistingFileWinsOverABundledName) {
  TempDir dir;
  const std::string path = dir.write("sobel_x.txt", "7\n");
  EXPECT_TRUE(same(parse_kernel(path).values, mat(1, 1, {7})));
}

TEST(ParseKernel, GeneratorSpec) {
  const Kernel k = parse_kernel("box:3");
  EXPECT_EQ(k.name, "box:3");
  EXPECT_EQ(k.values(1, 1), 1.0 / 9);
}

TEST(ParseKernel, UnknownKernel) {
  expect_error(
      [] { parse_kernel("no_such_filter"); }, "no_such_filter",
      "unknown kernel: not a file, a bundled name (see `sepconv kernels`), a generator, an "
      "ImageMagick kernel or a matrix");
  expect_error([] { parse_kernel(""); }, "", "unknown kernel");
  expect_error([] { parse_kernel("gauss:5"); }, "gauss:5", "unknown kernel");
  // Not a plain name, so never looked up in filters/ ("../" cannot escape it).
  expect_error([] { parse_kernel("..\\sobel_x"); }, "..\\sobel_x", "unknown kernel");
}

// Found by fuzz_kernel_parser: OpenCV's YAML reader threw std::length_error (not cv::Exception) on
// this document, which escaped as a crash.
TEST(ParseOpenCvStorage, MalformedYamlThatBreaksOpenCvsReaderIsAnError) {
  const std::string yaml =
      "%YAML:1.0el: !o!pe   rowsncv-ma wrosncv-matrix\n   rows: 2\n   cols: 2\n   :t \ndd =   2., "
      "3., 4. ]: !o!\n";
  expect_error([&] { parse_opencv_storage(yaml, "k.yml"); }, "k.yml",
               "not a valid OpenCV FileStorage matrix");
}

// Found by fuzz_kernel_parser: a NUL byte inside an XML attribute made OpenCV's FileStorage reader
// follow a null pointer (SIGSEGV), because it reads an in-memory document as a C string.
TEST(ParseOpenCvStorage, NulByteIsRefusedBeforeOpenCvReadsTheDocument) {
  const std::string xml = std::string("<?xml version=\"1.0\"?>\n<opencv_storage>\n<k type_id=") +
                          '\0' +
                          "\xa4pencv-matrix\">\n  <rows>1</rows>\n  <cols>2</cols>\n  "
                          "<dt>d</dt>\n  <data>\n    1. -1.</data></k>\n</opencv_storage>\n";
  expect_error([&] { parse_opencv_storage(xml, "k.xml"); }, "k.xml",
               "holds a NUL byte at offset 50; a kernel file is text");
}

// Found by fuzz_kernel_parser: OpenCV's YAML reader loops forever on this document (a line of four
// dashes is taken for a document start it never gets past). The reader runs in a child process
// that is killed at a time limit, so the document is an error, not a hang.
TEST(ParseOpenCvStorage, DocumentThatHangsOpenCvsReaderIsAnError) {
  expect_error([] { parse_opencv_storage("%YAML:1.\n----e\n----\nn", "k.yml"); }, "k.yml",
               "not a valid OpenCV FileStorage matrix: OpenCV's reader did not finish in 2 s");
}

// The child process hands the matrix back exactly: every bit of what OpenCV reads in this process.
TEST(ParseOpenCvStorage, MatrixReadInTheChildProcessComesBackExactly) {
  const cv::Mat1d written = (cv::Mat1d(2, 3) << 0.1, -1e-300, 1.0 / 3.0, 7, -2.5, 1e300);
  cv::FileStorage writer(".yml", cv::FileStorage::WRITE | cv::FileStorage::MEMORY);
  writer << "kernel" << written;
  const std::string yaml = writer.releaseAndGetString();
  cv::Mat1d expected;
  cv::FileStorage(yaml, cv::FileStorage::READ | cv::FileStorage::MEMORY)["kernel"] >> expected;
  const Kernel kernel = parse_opencv_storage(yaml, "k.yml");
  ASSERT_EQ(kernel.values.rows, 2);
  ASSERT_EQ(kernel.values.cols, 3);
  EXPECT_EQ(std::memcmp(kernel.values.ptr<double>(), expected.ptr<double>(), 6 * sizeof(double)),
            0);
  EXPECT_NEAR(kernel.values(1, 2), 1e300, 1e285);
}

}  // namespace
}  // namespace sepconv
