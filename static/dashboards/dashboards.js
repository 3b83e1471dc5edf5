/* The dashboard's charts (issue 20 part 5): the chart data comes from the JSON endpoint named by
 * data-dashboard-charts (/api/v1/dashboards/charts?year=&region=); each chart is drawn into the element
 * data-chart="<key>". The tables under the charts hold the same numbers and stay for screen readers and
 * export. Plain JS, ECharts from static/vendor (no CDN). */
(function () {
  "use strict";
  var root = document.querySelector("[data-dashboard-charts]");
  if (!root || !window.echarts) return;
  var drawn = [];

  function option(chart) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 64 },
      xAxis: { type: "category", data: chart.categories, axisLabel: { rotate: chart.categories.length > 8 ? 40 : 0 } },
      yAxis: { type: "value" },
      series: chart.series.map(function (s) {
        return { name: s.name, type: chart.style === "line" ? "line" : "bar", data: s.data, connectNulls: false };
      })
    };
  }

  fetch(root.getAttribute("data-dashboard-charts"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : []; })
    .then(function (list) {
      list.forEach(function (chart) {
        var el = root.querySelector('[data-chart="' + chart.key + '"]');
        if (!el) return;
        var c = window.echarts.init(el);
        c.setOption(option(chart));
        el.setAttribute("data-drawn", "1");
        drawn.push(c);
      });
      root.setAttribute("data-charts-drawn", String(drawn.length));
    });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
