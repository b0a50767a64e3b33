#!/usr/bin/env python3
"""Checks `sepconv bench --sweep|--sizes --json --plot FILE` from one run: the SVG parses as XML,
it has exactly one point per number the JSON lines report, each point's value is the JSON's
milliseconds over the image's megapixels, and each point sits where the axis ticks put that value
(log scale on y; linear on x for kernel sizes, log for image sizes).

Usage: check_sweep_plot.py PLOT.svg RESULTS.jsonl sweep|sizes
Exit status 0 when everything holds; otherwise one line per problem on stderr and status 1.
"""
import json
import math
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def expected_points(lines, over_sizes):
    """(panel, series, x) -> ms per megapixel, computed here from the JSON's own fields."""
    points = {}
    for line in lines:
        result = json.loads(line)
        megapixels = result["width"] * result["height"] / 1e6
        x = megapixels if over_sizes else result["kernel_side"]
        times = dict(result["plan_ms"])
        times["auto"] = result["sepconv_ms"]
        times[result["opencv_call"]] = result["opencv_ms"]
        for series, ms in times.items():
            points[(result["family"], series, x)] = ms / megapixels
    return points


def ticks(panel, kind, coordinate):
    """[(value, pixel)] of the panel's x-tick or y-tick groups, from their grid lines."""
    found = []
    for group in panel.iter(SVG + "g"):
        if group.get("class") == kind:
            line = group.find(SVG + "line")
            found.append((float(group.get("data-value")), float(line.get(coordinate))))
    return found


def pixel_of(value, tick_list, log):
    """Where `value` falls between the first and last tick, interpolated like the axis."""
    (v0, p0), (v1, p1) = tick_list[0], tick_list[-1]
    f = (lambda v: math.log10(v)) if log else (lambda v: v)
    return p0 + (f(value) - f(v0)) / (f(v1) - f(v0)) * (p1 - p0)


def main():
    svg_path, json_path, kind = sys.argv[1:4]
    over_sizes = kind == "sizes"
    problems = []
    root = ET.parse(svg_path).getroot()  # raises on a document that is not well-formed XML
    if root.tag != SVG + "svg":
        problems.append(f"root element is {root.tag}, not svg")
    with open(json_path) as f:
        expected = expected_points([l for l in f if l.strip()], over_sizes)
    seen = set()
    for panel in root.iter(SVG + "g"):
        if panel.get("class") != "panel":
            continue
        x_ticks, y_ticks = ticks(panel, "x-tick", "x1"), ticks(panel, "y-tick", "y1")
        if len(x_ticks) < 2 or len(y_ticks) < 2:
            problems.append(f"panel {panel.get('data-panel')} has fewer than two ticks an axis")
            continue
        for point in panel.iter(SVG + "circle"):
            key = (point.get("data-panel"), point.get("data-series"), float(point.get("data-x")))
            match = [k for k in expected if k[:2] == key[:2] and math.isclose(k[2], key[2],
                                                                              rel_tol=1e-6)]
            if not match:
                problems.append(f"point {key} is not in the JSON")
                continue
            want = expected[match[0]]
            seen.add(match[0])
            value = float(point.get("data-y"))
            if not math.isclose(value, want, rel_tol=1e-6):
                problems.append(f"point {key}: plotted {value}, JSON gives {want}")
            cy = pixel_of(want, y_ticks, True)
            cx = pixel_of(key[2], x_ticks, over_sizes)
            if abs(float(point.get("cy")) - cy) > 0.02 or abs(float(point.get("cx")) - cx) > 0.02:
                problems.append(f"point {key} drawn at ({point.get('cx')}, {point.get('cy')}), "
                                f"the axes put it at ({cx:.2f}, {cy:.2f})")
    for key in sorted(set(expected) - seen):
        problems.append(f"JSON value {key} has no point")
    if not expected:
        problems.append("the JSON has no results")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
