// Each case `sepconv bench` times gives the output of the OpenCV call it is timed against, case by
// case (one test each, named after the case), exactly and in fixed point: a speed compared with a
// different computation would mean nothing.

#include "bench/cases.hpp"

#include <gtest/gtest.h>

#include <cctype>

namespace sepconv::bench {
namespace {

class BenchCase : public ::testing::TestWithParam<Case> {};

TEST_P(BenchCase, MatchesItsOpenCvCall) {
  const Case& which = GetParam();
  for (const Precision precision : {Precision::exact, Precision::fixed}) {
    // An odd size, so no row or column count is a multiple of a vector width.
    const Result result = run_case(which, {131, 67}, 1, 1, precision);
    EXPECT_TRUE(result.matches_opencv)
        << which.name << " against " << result.opencv_call << " (plan " << result.plan
        << "): differs by " << result.max_difference;
    if (which.out_depth == CV_32F) {
      EXPECT_LT(result.max_difference, 1e-5) << which.name;  // relative, float rounding
    } else {
      EXPECT_LE(result.max_difference, 1) << which.name;  // grey levels
    }
  }
}

std::string test_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Cases, BenchCase, ::testing::ValuesIn(standard_cases()), test_name);

}  // namespace
}  // namespace sepconv::bench
