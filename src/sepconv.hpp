#pragma once
// sepconv's C++ API: everything another program needs to filter images the way the `sepconv`
// command does. Include this one header and link sepconv::core (find_package(sepconv)) or
// `pkg-config --cflags --libs sepconv`. examples/filter_image/ is a complete program.
//
// The steps, in the order a program calls them:
//
//   parse_kernel(SPEC)            kernel/parse.hpp     a bundled name ("sobel_x"), a generator
//                                                      ("gaussian:7"), an inline matrix or a file.
//                                                      Throws Error naming SPEC when it is none.
//   analyze_kernel(KERNEL)        analysis/analysis.hpp  the SVD: singular values, rank, separable
//                                                      factors, integer form, low-rank terms and
//                                                      operation counts per pixel.
//   make_plan(KERNEL, ANALYSIS, REQUEST, DEPTH)
//                                 analysis/plan.hpp    what to run: full, separable, low-rank or
//                                 FFT,
//                                                      in exact integer or float32 arithmetic. An
//                                                      empty PlanRequest means "auto". Throws Error
//                                                      when the request cannot be met (separable on
//                                                      a kernel of rank 2).
//   filter_image(IMAGE, PLAN, BORDER, OUT_DEPTH, MAP)
//                                 engine/image_filter.hpp  runs the plan over every colour channel
//                                                      of a cv::Mat (alpha carried through) and
//                                                      fits the result into OUT_DEPTH with MAP.
//   run_plan(PLAN, PLANE, BORDER) engine/engine.hpp    one plane, the raw double results.
//   read_image(PATH), write_image_atomically(PATH, IMAGE)
//                                 io/image_io.hpp      images in and out; a failed write never
//                                 leaves
//                                                      a partial file. Both throw Error naming
//                                                      PATH.
//
// Every function reports failure by throwing sepconv::Error (core/error.hpp), whose subject() is
// the file or argument and reason() the cause; OpenCV's cv::Exception never escapes.

#include "analysis/analysis.hpp"
#include "analysis/plan.hpp"
#include "core/convert.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "engine/border.hpp"
#include "engine/engine.hpp"
#include "engine/image_filter.hpp"
#include "io/image_io.hpp"
#include "kernel/kernel.hpp"
#include "kernel/parse.hpp"
