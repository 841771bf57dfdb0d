"""Server-side SVG charts (pygal): the same markup in a page and in a PDF, no JavaScript.

pygal styles its charts with a ``<style>`` element inside the SVG, which the pages' Content
Security Policy (no inline style) would refuse inline: pages and PDFs show a chart as an image,
``<img src="{{ uri }}" alt="...">`` with ``svg_data_uri(svg)`` (``img-src`` allows ``data:``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)

EU_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    opacity=".9",
    opacity_hover="1",
    colors=("#004494", "#f2a900", "#467a39", "#8b2f8b", "#b3261e", "#2c6e8f"),
    font_family="'DejaVu Sans', Arial, sans-serif",
)


def _render(chart: pygal.graph.graph.Graph) -> SafeString:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))  # no script in pages or PDFs (CSP)
    return mark_safe(svg)  # noqa: S308 - pygal escapes labels; no user markup is passed raw  # nosec B308, B703


def _config(title: str, **extra: object) -> dict[str, object]:
    return {
        "title": title,
        "style": EU_STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": True,
        "width": 640,
        "height": 320,
        "legend_at_bottom": True,
        "print_values": False,
        **extra,
    }


def bar_chart_svg(*, title: str, data: Mapping[str, float], horizontal: bool = False) -> SafeString:
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_class(**_config(title, show_legend=False))
    chart.x_labels = list(data.keys())
    chart.add(title, list(data.values()))
    return _render(chart)


def line_chart_svg(
    *, title: str, x_labels: Sequence[str], series: Mapping[str, Sequence[float | None]]
) -> SafeString:
    chart = pygal.Line(**_config(title))
    chart.x_labels = list(x_labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart)


def pie_chart_svg(*, title: str, data: Mapping[str, float]) -> SafeString:
    """Shares of a whole as a ring, each slice named in the legend."""
    chart = pygal.Pie(**_config(title, inner_radius=0.45, height=360))
    for label, value in data.items():
        chart.add(label, value)
    return _render(chart)


def svg_data_uri(svg: str) -> str:
    """A ``data:`` URI of an SVG, for an ``<img>`` in a page (under the CSP) or a PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode("ascii")
