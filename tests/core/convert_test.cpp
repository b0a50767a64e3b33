// Fitting filtered values into output depths, against hand-worked values.

#include "core/convert.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "core/error.hpp"

namespace sepconv {
namespace {

const cv::Mat1d kValues = cv::Mat1d({1, 5}, {-300, -2.5, 0.5, 127.5, 1000});

template <typename T>
std::vector<T> as_vector(const cv::Mat& m) {
  return std::vector<T>(m.begin<T>(), m.end<T>());
}

TEST(Convert, ClampRoundsHalfToEvenAndSaturates) {
  EXPECT_EQ(as_vector<uchar>(convert_plane(kValues, CV_8U, ValueMap::clamp)),
            (std::vector<uchar>{0, 0, 0, 128, 255}));
  EXPECT_EQ(as_vector<short>(convert_plane(kValues, CV_16S, ValueMap::clamp)),
            (std::vector<short>{-300, -2, 0, 128, 1000}));
}

TEST(Convert, AbsKeepsTheNegativeHalf) {
  EXPECT_EQ(as_vector<uchar>(convert_plane(kValues, CV_8U, ValueMap::abs)),
            (std::vector<uchar>{255, 2, 0, 128, 255}));
}

TEST(Convert, OffsetCentresUnsignedOutputs) {
  EXPECT_EQ(as_vector<uchar>(convert_plane(kValues, CV_8U, ValueMap::offset)),
            (std::vector<uchar>{0, 126, 128, 255, 255}));
  EXPECT_EQ(as_vector<ushort>(convert_plane(kValues, CV_16U, ValueMap::offset)),
            (std::vector<ushort>{32468, 32766, 32768, 32896, 33768}));
}

TEST(Convert, NormalizeStretchesMinToMax) {
  // (v + 300) / 1300 * 255: -2.5 -> 58.36, 0.5 -> 58.94, 127.5 -> 83.87
  EXPECT_EQ(as_vector<uchar>(convert_plane(kValues, CV_8U, ValueMap::normalize)),
            (std::vector<uchar>{0, 58, 59, 84, 255}));
  const cv::Mat f = convert_plane(kValues, CV_32F, ValueMap::normalize);
  EXPECT_FLOAT_EQ(f.at<float>(0, 4), 1.0f);
  EXPECT_NEAR(f.at<float>(0, 0), 0.0f, 1e-6);
}

TEST(Convert, FloatKeepsExactValues) {
  EXPECT_EQ(as_vector<float>(convert_plane(kValues, CV_32F, ValueMap::clamp)),
            (std::vector<float>{-300, -2.5, 0.5, 127.5, 1000}));
}

TEST(Convert, AutoMapIsAbsOnlyForZeroSumKernelsIntoUnsignedDepths) {
  for (const int unsigned_depth : {CV_8U, CV_16U}) {
    EXPECT_EQ(resolve_map(ValueMap::automatic, true, unsigned_depth), ValueMap::abs);
    EXPECT_EQ(resolve_map(ValueMap::automatic, false, unsigned_depth), ValueMap::clamp);
  }
  // Signed outputs keep a derivative's sign.
  for (const int signed_depth : {CV_16S, CV_32F}) {
    EXPECT_EQ(resolve_map(ValueMap::automatic, true, signed_depth), ValueMap::clamp);
    EXPECT_EQ(resolve_map(ValueMap::automatic, false, signed_depth), ValueMap::clamp);
  }
  EXPECT_EQ(resolve_map(ValueMap::offset, true, CV_8U), ValueMap::offset);
  EXPECT_EQ(resolve_map(ValueMap::abs, true, CV_32F), ValueMap::abs);
}

TEST(Convert, AlphaRescalesBetweenBitDepths) {
  const cv::Mat alpha8 = (cv::Mat_<uchar>(1, 3) << 0, 128, 255);
  EXPECT_EQ(as_vector<ushort>(convert_alpha(alpha8, CV_16U)),
            (std::vector<ushort>{0, 32896, 65535}));
  EXPECT_EQ(as_vector<uchar>(convert_alpha(convert_alpha(alpha8, CV_16U), CV_8U)),
            (std::vector<uchar>{0, 128, 255}));
}

TEST(Convert, NamesParse) {
  EXPECT_EQ(resolve_depth(parse_output_depth("same"), CV_16U), CV_16U);
  EXPECT_EQ(resolve_depth(parse_output_depth("f32"), CV_8U), CV_32F);
  EXPECT_THROW(parse_output_depth("u32"), Error);
  EXPECT_THROW(parse_value_map("wrap"), Error);
}

// NaN and infinities (a float TIFF can hold them) and values beyond 2^31: OpenCV's own conversion
// turns all of them into 0 (or -32768); sepconv saturates them as a user expects.
const double kInf = std::numeric_limits<double>::infinity();
const double kNan = std::numeric_limits<double>::quiet_NaN();
const cv::Mat1d kHostile = cv::Mat1d({1, 5}, {kNan, kInf, -kInf, 1e10, -1e10});

TEST(Convert, NonFiniteAndHugeValuesSaturateInIntegerOutputs) {
  EXPECT_EQ(as_vector<uchar>(convert_plane(kHostile, CV_8U, ValueMap::clamp)),
            (std::vector<uchar>{0, 255, 0, 255, 0}));
  EXPECT_EQ(as_vector<uchar>(convert_plane(kHostile, CV_8U, ValueMap::abs)),
            (std::vector<uchar>{0, 255, 255, 255, 255}));
  EXPECT_EQ(as_vector<ushort>(convert_plane(kHostile, CV_16U, ValueMap::offset)),
            (std::vector<ushort>{32768, 65535, 0, 65535, 0}));
  EXPECT_EQ(as_vector<short>(convert_plane(kHostile, CV_16S, ValueMap::clamp)),
            (std::vector<short>{0, 32767, -32768, 32767, -32768}));
}

TEST(Convert, NonFiniteValuesPropagateIntoFloatOutputs) {
  const std::vector<float> out = as_vector<float>(convert_plane(kHostile, CV_32F, ValueMap::clamp));
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_EQ(out[1], std::numeric_limits<float>::infinity());
  EXPECT_EQ(out[2], -std::numeric_limits<float>::infinity());
}

TEST(Convert, NormalizeStretchesTheFiniteValues) {
  const cv::Mat1d values = cv::Mat1d({1, 4}, {kNan, 10, 20, kInf});
  EXPECT_EQ(as_vector<uchar>(convert_plane(values, CV_8U, ValueMap::normalize)),
            (std::vector<uchar>{0, 0, 255, 255}));
  const std::vector<float> f = as_vector<float>(convert_plane(values, CV_32F, ValueMap::normalize));
  EXPECT_TRUE(std::isnan(f[0]));
  EXPECT_EQ(f[1], 0.0f);
  EXPECT_EQ(f[2], 1.0f);
}

}  // namespace
}  // namespace sepconv
