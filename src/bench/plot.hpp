#pragma once
// `sepconv bench --plot`: the sweep's numbers as an SVG line chart, one panel per kernel family,
// time per megapixel on a logarithmic axis.
//
// Written by hand with fmt: Debian's C++ stack has no plotting library worth a dependency for one
// chart (matplot++ is not packaged, gnuplot would be a run-time program to find), and an SVG line
// chart is a few dozen elements.

#include <string>
#include <vector>

namespace sepconv::bench {

struct PlotPoint {
  double x = 0;
  double y = 0;
};

/// One line of the chart: a plan ("full", "auto") or OpenCV's call ("filter2D").
struct PlotSeries {
  std::string name;
  std::vector<PlotPoint> points;
};

struct PlotPanel {
  std::string title;  ///< "gaussian (rank 1)"
  std::string key;    ///< the family the JSON lines name: "gaussian"
  std::string x_label;
  bool log_x = false;
  std::vector<PlotSeries> series;
};

/// The SVG document: panels side by side sharing one logarithmic y axis. Every point is a
/// <circle class="point"> carrying data-panel, data-series, data-x and data-y (the plotted values),
/// and every tick a <g class="x-tick|y-tick" data-value="..."> with its line, so a reader can check
/// the drawing against the numbers.
std::string svg_plot(const std::string& title, const std::string& y_label,
                     const std::vector<PlotPanel>& panels);

}  // namespace sepconv::bench
