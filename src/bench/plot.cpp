#include "bench/plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace sepconv::bench {
namespace {

constexpr double kPanelWidth = 360, kPanelHeight = 300;
constexpr double kLeft = 72, kRight = 24, kTop = 84, kBottom = 56;

struct Style {
  const char* colour;
  const char* dash;  ///< stroke-dasharray, "" for a solid line
};

/// Each series keeps its colour in every panel; OpenCV's line is dashed so it reads as the
/// reference the others are measured against.
Style style_of(const std::string& series) {
  static const std::map<std::string, Style> styles = {
      {"auto", {"#000000", ""}},          {"full", {"#1f77b4", ""}},
      {"separable", {"#2ca02c", ""}},     {"lowrank", {"#9467bd", ""}},
      {"fft", {"#ff7f0e", ""}},           {"filter2D", {"#d62728", "6 4"}},
      {"sepFilter2D", {"#d62728", "6 4"}}};
  const auto found = styles.find(series);
  return found != styles.end() ? found->second : Style{"#7f7f7f", ""};
}

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// One axis: the range it spans (in log10 units when logarithmic) and where its ticks go.
struct Axis {
  bool log = false;
  double low = 0, high = 1;   ///< in axis units: log10(value) on a log axis
  std::vector<double> ticks;  ///< values, not axis units

  double unit(double value) const { return log ? std::log10(value) : value; }
  double fraction(double value) const { return (unit(value) - low) / (high - low); }
};

/// A log axis over whole decades around [lowest, highest], ticks at 1, 2 and 5 times a power of 10.
Axis log_axis(double lowest, double highest) {
  Axis axis;
  axis.log = true;
  axis.low = std::floor(std::log10(lowest));
  axis.high = std::max(std::ceil(std::log10(highest)), axis.low + 1);
  for (int decade = static_cast<int>(axis.low); decade < axis.high; ++decade)
    for (const double step : {1.0, 2.0, 5.0}) axis.ticks.push_back(step * std::pow(10.0, decade));
  axis.ticks.push_back(std::pow(10.0, axis.high));
  return axis;
}

/// A linear axis from lowest to highest with about six ticks at whole steps from lowest.
Axis linear_axis(double lowest, double highest) {
  Axis axis;
  axis.low = lowest;
  axis.high = highest > lowest ? highest : lowest + 1;
  const double step = std::max(1.0, std::round((axis.high - axis.low) / 7));
  for (double value = axis.low; value <= axis.high + 1e-9; value += step)
    axis.ticks.push_back(value);
  return axis;
}

std::string tick_label(double value) {
  return fmt::format("{:g}", value);
}

void bounds(const std::vector<PlotPanel>& panels, bool want_x, const PlotPanel* only,
            double& lowest, double& highest) {
  lowest = std::numeric_limits<double>::infinity();
  highest = -lowest;
  for (const PlotPanel& panel : panels) {
    if (only != nullptr && &panel != only) continue;
    for (const PlotSeries& series : panel.series) {
      for (const PlotPoint& point : series.points) {
        const double value = want_x ? point.x : point.y;
        if (!(value > 0) && (!want_x || panel.log_x)) continue;  // a log axis cannot show it
        lowest = std::min(lowest, value);
        highest = std::max(highest, value);
      }
    }
  }
  if (!std::isfinite(lowest)) lowest = highest = 1;
}

std::string draw_panel(const PlotPanel& panel, double origin_x, const Axis& y_axis,
                       const Axis& x_axis, const std::string& y_label) {
  std::string svg = fmt::format("<g class=\"panel\" data-panel=\"{}\">\n", escaped(panel.key));
  const double bottom = kTop + kPanelHeight;
  const auto px = [&](double x) { return origin_x + x_axis.fraction(x) * kPanelWidth; };
  const auto py = [&](double y) { return bottom - y_axis.fraction(y) * kPanelHeight; };
  svg += fmt::format(
      "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"none\" "
      "stroke=\"#444\"/>\n",
      origin_x, kTop, kPanelWidth, kPanelHeight);
  svg += fmt::format(
      "<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\" font-weight=\"bold\">"
      "{}</text>\n",
      origin_x + kPanelWidth / 2, kTop - 8, escaped(panel.title));
  for (const double value : y_axis.ticks) {
    const double y = py(value);
    svg += fmt::format(
        "<g class=\"y-tick\" data-value=\"{:g}\"><line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" "
        "y2=\"{:.2f}\" stroke=\"#ddd\"/><text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"end\" "
        "font-size=\"11\">{}</text></g>\n",
        value, origin_x, y, origin_x + kPanelWidth, y, origin_x - 4, y + 4, tick_label(value));
  }
  for (const double value : x_axis.ticks) {
    const double x = px(value);
    svg += fmt::format(
        "<g class=\"x-tick\" data-value=\"{:g}\"><line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" "
        "y2=\"{:.2f}\" stroke=\"#ddd\"/><text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\" "
        "font-size=\"11\">{}</text></g>\n",
        value, x, kTop, x, bottom, x, bottom + 16, tick_label(value));
  }
  svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">{}</text>\n",
                     origin_x + kPanelWidth / 2, bottom + 38, escaped(panel.x_label));
  svg += fmt::format(
      "<text transform=\"translate({:.2f},{:.2f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
      origin_x - 48, kTop + kPanelHeight / 2, escaped(y_label));
  for (const PlotSeries& series : panel.series) {
    const Style style = style_of(series.name);
    std::string line, points;
    for (const PlotPoint& point : series.points) {
      if (!(point.y > 0) || (panel.log_x && !(point.x > 0))) continue;
      line += fmt::format("{:.2f},{:.2f} ", px(point.x), py(point.y));
      points += fmt::format(
          "<circle class=\"point\" data-panel=\"{}\" data-series=\"{}\" data-x=\"{:.9g}\" "
          "data-y=\"{:.9g}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.5\" fill=\"{}\"/>\n",
          escaped(panel.key), escaped(series.name), point.x, point.y, px(point.x), py(point.y),
          style.colour);
    }
    svg += fmt::format(
        "<polyline class=\"series\" data-series=\"{}\" fill=\"none\" stroke=\"{}\" "
        "stroke-width=\"1.5\"{} points=\"{}\"/>\n",
        escaped(series.name), style.colour,
        *style.dash ? fmt::format(" stroke-dasharray=\"{}\"", style.dash) : "", line);
    svg += points;
  }
  return svg + "</g>\n";
}

/// The series names in the order they first appear, for the legend.
std::vector<std::string> series_names(const std::vector<PlotPanel>& panels) {
  std::vector<std::string> names;
  for (const PlotPanel& panel : panels)
    for (const PlotSeries& series : panel.series)
      if (std::find(names.begin(), names.end(), series.name) == names.end())
        names.push_back(series.name);
  return names;
}

std::string draw_legend(const std::vector<std::string>& names) {
  std::string svg = "<g class=\"legend\">\n";
  double x = kLeft;
  for (const std::string& name : names) {
    const Style style = style_of(name);
    svg += fmt::format(
        "<line x1=\"{:.2f}\" y1=\"46\" x2=\"{:.2f}\" y2=\"46\" stroke=\"{}\" stroke-width=\"2\"{}/>"
        "<text x=\"{:.2f}\" y=\"50\" font-size=\"12\">{}</text>\n",
        x, x + 22, style.colour,
        *style.dash ? fmt::format(" stroke-dasharray=\"{}\"", style.dash) : "", x + 26,
        escaped(name));
    x += 40 + 7.5 * static_cast<double>(name.size());
  }
  return svg + "</g>\n";
}

}  // namespace

std::string svg_plot(const std::string& title, const std::string& y_label,
                     const std::vector<PlotPanel>& panels) {
  double y_low = 0, y_high = 0;
  bounds(panels, false, nullptr, y_low, y_high);
  const Axis y_axis = log_axis(y_low, y_high);
  const double panel_step = kLeft + kPanelWidth + kRight;
  // Room for the title and the legend when there is one panel.
  const double width = std::max(640.0, panel_step * static_cast<double>(panels.size()));
  const double height = kTop + kPanelHeight + kBottom;
  std::string svg = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"sans-serif\" font-size=\"13\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2:.2f}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{3}</text>\n",
      width, height, kLeft, escaped(title));
  svg += draw_legend(series_names(panels));
  for (size_t i = 0; i < panels.size(); ++i) {
    double x_low = 0, x_high = 0;
    bounds(panels, true, &panels[i], x_low, x_high);
    const Axis x_axis = panels[i].log_x ? log_axis(x_low, x_high) : linear_axis(x_low, x_high);
    svg +=
        draw_panel(panels[i], kLeft + panel_step * static_cast<double>(i), y_axis, x_axis, y_label);
  }
  return svg + "</svg>\n";
}

}  // namespace sepconv::bench
