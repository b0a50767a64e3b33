// Every syntax parse_kernel accepts, and every error it reports, with the subject and reason.

#include "kernel/parse.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
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

TEST(ParseKernel, ControlCharactersAreEscapedInErrors) {
  expect_error([] { parse_kernel("\x1b[2Jbad"); }, "\\x1b[2Jbad", "unknown kernel");
  expect_error([] { parse_kernel("[1 \x1b[2J]"); }, "[1 \\x1b[2J]", "'\\x1b[2J' is not a number");
}

// --- choosing among the syntaxes ---

TEST(ParseKernel, BundledNameIsBare) {
  const Kernel k = parse_kernel("sobel_x");
  EXPECT_EQ(k.name, "sobel_x");
  EXPECT_TRUE(same(k.values, kSobelX));
  EXPECT_FALSE(k.description.empty());
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
  expect_error([] { parse_kernel("no_such_filter"); }, "no_such_filter",
               "unknown kernel: not a file, a bundled name (see `sepconv kernels`), a generator, an "
               "ImageMagick kernel or a matrix");
  expect_error([] { parse_kernel(""); }, "", "unknown kernel");
  expect_error([] { parse_kernel("gauss:5"); }, "gauss:5", "unknown kernel");
  // Not a plain name, so never looked up in filters/ ("../" cannot escape it).
  expect_error([] { parse_kernel("..\\sobel_x"); }, "..\\sobel_x", "unknown kernel");
}

}  // namespace
}  // namespace sepconv
