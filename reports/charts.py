"""Charts drawn on the server with matplotlib: inline SVG on the page, PNG in the PDF and the XLSX.

No JavaScript: a chart is a picture plus a text alternative (``alt``: one sentence saying what it shows
and the figures, for screen readers and for the exports). The ``Figure`` API is used directly (not
``pyplot``), so concurrent requests never share a figure.
"""
import io
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from django.utils.translation import pgettext  # noqa: E402

GREEN, GOLD, GREY = "#2e7d32", "#c9a227", "#9e9e9e"
_SVG_START = re.compile(r"<svg\b")


def _thousands(value, _pos=None):
    return f"{value:,.0f}".replace(",", ".")


def _millions(value, _pos=None):
    """Millions of đồng in the Vietnamese style, as many decimals as the tick needs: 1,5 · 0,25 · 12."""
    text = f"{value / 1_000_000:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


@dataclass
class Chart:
    key: str
    title: str
    alt: str
    figure: Figure

    def svg(self):
        """The SVG element alone (no XML prologue), text kept as text, labelled for assistive technology."""
        buffer = io.StringIO()
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            self.figure.savefig(buffer, format="svg", bbox_inches="tight")
        text = buffer.getvalue()
        match = _SVG_START.search(text)
        text = text[match.start():] if match else text
        label = self.alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)

    def data_uri(self):
        """The SVG as a ``data:`` image: shown with <img>, so its internal styles are not inline styles
        of the page (the Content-Security-Policy allows none) and the chart cannot run anything."""
        import base64

        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode("utf-8")).decode("ascii")

    @property
    def src(self):
        return self.data_uri()

    def png(self, dpi=110):
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        return buffer.getvalue()


def _figure(width=7.5, height=3.4):
    figure = Figure(figsize=(width, height))
    figure.patch.set_facecolor("white")
    return figure


def _style(ax):
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)


def trend_chart(trend):
    figure = _figure()
    ax = figure.add_subplot()
    labels = [f"{row['month']:%m/%y}" for row in trend]
    orders = [row["orders"] for row in trend]
    values = [row["gmv"] for row in trend]
    positions = list(range(len(labels)))
    ax.bar(positions, orders, color=GREEN, label=pgettext("report", "Orders"))
    ax.set_xticks(positions, labels)
    ax.set_ylabel(pgettext("report", "Orders"))
    # Orders are counted in whole numbers: ticks on integers only (a few orders would otherwise print
    # 0.5 steps rounded to the same label twice: "4, 4, 3, 2, 2").
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    _style(ax)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    second = ax.twinx()
    second.plot(positions, values, color=GOLD, marker="o", linewidth=2, label=pgettext("report", "Value (million đồng)"))
    second.set_ylabel(pgettext("report", "Value (million đồng)"))
    second.yaxis.set_major_formatter(FuncFormatter(_millions))
    second.set_ylim(bottom=0)
    second.spines["top"].set_visible(False)
    figure.legend(loc="upper left", fontsize=8, frameon=False)
    word = pgettext("report", "orders")
    parts = "; ".join(f"{label}: {o} {word}, {_thousands(v)} đ" for label, o, v in zip(labels, orders, values))
    return Chart("trend", pgettext("report", "Orders and value per month"), pgettext("report", "Orders and value per month") + ". " + parts, figure)


def _barh(key, title, names, values, *, money=True, color=GREEN):
    figure = _figure(height=max(2.2, 0.32 * len(names) + 0.8))
    ax = figure.add_subplot()
    ax.barh(names[::-1], values[::-1], color=color)
    ax.xaxis.set_major_formatter(FuncFormatter(_millions if money else _thousands))
    if money:
        ax.set_xlabel(pgettext("report", "Value (million đồng)"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", labelsize=8)
    unit = " đ" if money else ""
    parts = "; ".join(f"{n}: {_thousands(v)}{unit}" for n, v in zip(names, values))
    return Chart(key, title, f"{title}. {parts}", figure)


def district_chart(by_district):
    return _barh("districts", pgettext("report", "Value of sales by former district of the seller"),
                 [r["name"] for r in by_district], [r["gmv"] for r in by_district])


def group_chart(by_group):
    return _barh("groups", pgettext("report", "Value of sales by OCOP product group"),
                 [f"{r['code']} {r['name']}"[:40] if r["code"] else pgettext("report", "No group") for r in by_group],
                 [r["value"] for r in by_group], color=GOLD)


def star_label(stars):
    return f"{stars}★" if stars else str(pgettext("report", "Not certified"))


def star_chart(by_stars):
    return _barh("stars", pgettext("report", "Value of sales by OCOP star rating"), [star_label(r["stars"]) for r in by_stars],
                 [r["value"] for r in by_stars], color=GOLD)


def cashless_chart(trend):
    figure = _figure()
    ax = figure.add_subplot()
    labels = [f"{row['month']:%m/%y}" for row in trend]
    orders = [row["cashless_orders_share"] for row in trend]
    values = [row["cashless_value_share"] for row in trend]
    positions = list(range(len(labels)))
    ax.set_xticks(positions, labels)
    ax.plot(positions, [v if v is not None else float("nan") for v in orders], color=GREEN, marker="o",
            label=pgettext("report", "Share of orders (%)"))
    ax.plot(positions, [v if v is not None else float("nan") for v in values], color=GOLD, marker="s",
            label=pgettext("report", "Share of value (%)"))
    ax.set_ylim(0, 100)
    ax.set_ylabel("%")
    _style(ax)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.legend(fontsize=8, frameon=False)
    parts = "; ".join(f"{label}: {'—' if o is None else o}% / {'—' if v is None else v}%"
                      for label, o, v in zip(labels, orders, values))
    title = pgettext("report", "Cashless (VNPay) share per month, orders / value")
    return Chart("cashless", title, f"{title}. {parts}", figure)


def report_charts(report):
    return [trend_chart(report.trend), district_chart(report.by_district), group_chart(report.by_group),
            star_chart(report.by_stars), cashless_chart(report.trend)]


def seller_charts(report):
    return [trend_chart(report.trend)]
