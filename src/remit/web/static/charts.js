// remit's charts: line charts drawn as SVG from the page's own data (no library, no CDN).
// The page holds <script type="application/json" id="chart-data"> with the dates and, per
// chart, its series; each <figure class="chart" data-chart="KEY"> gets an SVG with one
// <path class="series" data-series="NAME" data-points="N"> per series, axes and a legend.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];
  var W = 480, H = 240, L = 74, R = 12, T = 10, B = 34;

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function label(value, unit) {
    if (unit === "money") {
      var a = Math.abs(value);
      if (a >= 1e9) { return (value / 1e9).toFixed(2) + "B"; }
      if (a >= 1e6) { return (value / 1e6).toFixed(1) + "M"; }
      if (a >= 1e3) { return (value / 1e3).toFixed(0) + "K"; }
      return value.toFixed(0);
    }
    if (unit === "pct") { return value.toFixed(2) + "%"; }
    return value.toFixed(3);
  }

  function draw(figure, chart, dates) {
    var all = [];
    chart.series.forEach(function (s) {
      s.points.forEach(function (p) { if (p !== null) { all.push(p); } });
    });
    var lo = Math.min(0, Math.min.apply(null, all.length ? all : [0]));
    var hi = Math.max.apply(null, all.length ? all : [1]);
    if (hi <= lo) { hi = lo + 1; }
    var n = dates.length;
    var x = function (i) { return L + (n > 1 ? i * (W - L - R) / (n - 1) : (W - L - R) / 2); };
    var y = function (v) { return T + (H - T - B) * (1 - (v - lo) / (hi - lo)); };
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
                          "aria-label": chart.title });
    var axes = el("g", { "class": "axes", stroke: "#999", "stroke-width": "1" }, svg);
    el("line", { x1: L, y1: T, x2: L, y2: H - B }, axes);
    el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B }, axes);
    for (var k = 0; k <= 4; k++) {
      var v = lo + (hi - lo) * k / 4;
      var t = el("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", "font-size": "10",
                           fill: "#333" }, svg);
      t.textContent = label(v, chart.unit);
      el("line", { x1: L, y1: y(v), x2: W - R, y2: y(v), stroke: "#eee" }, svg);
    }
    var step = Math.max(1, Math.ceil(n / 6));
    for (var i = 0; i < n; i += step) {
      var d = el("text", { x: x(i), y: H - B + 14, "text-anchor": "middle", "font-size": "10",
                           fill: "#333" }, svg);
      d.textContent = dates[i].slice(0, 7);
    }
    var legend = document.createElement("div");
    legend.className = "legend";
    chart.series.forEach(function (s, j) {
      var color = COLORS[j % COLORS.length];
      var path = "", pen = "M", drawn = 0;
      s.points.forEach(function (p, i) {
        if (p === null) { pen = "M"; return; }
        path += pen + x(i).toFixed(1) + "," + y(p).toFixed(1) + " ";
        pen = "L";
        drawn++;
      });
      el("path", { "class": "series", "data-series": s.name, "data-points": String(drawn),
                   d: path.trim(), fill: "none", stroke: color, "stroke-width": "2" }, svg);
      var item = document.createElement("span");
      var swatch = document.createElement("i");
      swatch.style.background = color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.name));
      legend.appendChild(item);
    });
    var plot = figure.querySelector(".plot");
    plot.appendChild(svg);
    plot.appendChild(legend);
    figure.setAttribute("data-drawn", "true");
  }

  function main() {
    var node = document.getElementById("chart-data");
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    data.charts.forEach(function (chart) {
      var figure = document.querySelector('figure.chart[data-chart="' + chart.key + '"]');
      if (figure) { draw(figure, chart, data.dates); }
    });
    document.body.setAttribute("data-charts-drawn", String(data.charts.length));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", main);
  } else {
    main();
  }
})();
