// A program that uses sepconv as a library: filters an image with a kernel, the separated way when
// the kernel allows it, and says what it ran. Usage: filter_image INPUT KERNEL OUTPUT
#include <cstdio>
#include <sepconv.hpp>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s INPUT KERNEL OUTPUT\n", argv[0]);
    return 2;
  }
  try {
    const cv::Mat image = sepconv::read_image(argv[1]);
    const sepconv::Kernel kernel = sepconv::parse_kernel(argv[2]);
    const sepconv::Analysis analysis = sepconv::analyze_kernel(kernel);
    const sepconv::Plan plan = sepconv::make_plan(kernel, analysis, {}, image.depth());
    const sepconv::Border border;  // reflect101, OpenCV's default
    const sepconv::ValueMap map = sepconv::ValueMap::clamp;
    const sepconv::FilteredImage out =
        sepconv::filter_image(image, plan, border, image.depth(), map);
    sepconv::write_image_atomically(argv[3], out.pixels);
    std::printf("%s: rank %d, %s plan, %d multiplications a pixel (full: %d)\n", argv[3],
                analysis.rank, plan.name().c_str(), static_cast<int>(plan.ops_per_pixel().mul),
                static_cast<int>(analysis.full_per_pixel.mul));
  } catch (const sepconv::Error& error) {
    std::fprintf(stderr, "filter_image: %s\n", error.what());
    return 1;
  }
  return 0;
}
