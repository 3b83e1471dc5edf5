/* The big screen (issue 20 part 6). The figures arrive over the WebSocket /ws/dashboards/<region>/ (the
 * server pushes them after every change, throttled); where the socket is blocked they are polled from
 * data-screen-url every 10 s. The map is a grid of tiles, one per town, coloured by the figure chosen in
 * the select (data-screen-figure); the panels at the right take turns every data-screen-rotate-ms. */
(function () {
  "use strict";
  var root = document.querySelector("[data-screen-region]");
  if (!root || !window.echarts) return;
  var region = root.getAttribute("data-screen-region");
  var figure = root.getAttribute("data-screen-figure");
  var status = root.querySelector("[data-screen-status]");
  var mapEl = root.querySelector("[data-screen-map]");
  var map = window.echarts.init(mapEl);
  var panels = {};
  var state = null;
  var updates = 0;

  function label(key) {
    var pick = root.querySelector("[data-screen-pick] option[value='" + key + "']");
    return pick ? pick.textContent : key;
  }

  function drawMap() {
    var m = state.map;
    var values = m.tiles.map(function (t) { return t.numbers[figure]; }).filter(function (v) { return v !== null && v !== undefined; });
    var max = values.length ? Math.max.apply(null, values.concat([1])) : 1;
    map.setOption({
      animation: false, // a wall screen: the tiles change colour at once, their labels always readable
      title: { text: label(figure), left: "center", textStyle: { color: "#ffd666", fontSize: 24 } },
      tooltip: { formatter: function (p) { return p.name + "：" + (p.data.raw === null ? "—" : p.data.raw); } },
      grid: { left: 8, right: 8, top: 48, bottom: 56 },
      xAxis: { type: "category", data: range(m.columns), show: false },
      yAxis: { type: "category", data: range(m.rows), show: false, inverse: true },
      visualMap: { min: 0, max: max, calculable: false, orient: "horizontal", left: "center", bottom: 4,
        textStyle: { color: "#e8eef8" }, inRange: { color: ["#1f3b6e", "#2f7bd8", "#5ad8ff", "#ffd666"] } },
      series: [{
        type: "heatmap",
        data: m.tiles.map(function (t) {
          var v = t.numbers[figure];
          return { value: [t.x, t.y, v === null ? 0 : v], name: t.name, raw: v };
        }),
        label: { show: true, color: "#fff", fontSize: 20, lineHeight: 30, textBorderColor: "#0b1d3a", textBorderWidth: 3,
          formatter: function (p) { return p.name + "\n" + (p.data.raw === null ? "—" : p.data.raw); } },
        itemStyle: { borderColor: "#0b1d3a", borderWidth: 6, borderRadius: 6 }
      }]
    }, true);
  }

  function range(n) { var a = []; for (var i = 0; i < n; i++) a.push(i); return a; }

  function drawPanels() {
    state.charts.forEach(function (chart) {
      var el = root.querySelector('[data-panel-chart="' + chart.key + '"]');
      if (!el) return;
      if (!panels[chart.key]) panels[chart.key] = window.echarts.init(el);
      panels[chart.key].setOption({
        textStyle: { color: "#e8eef8" },
        legend: { top: 0, textStyle: { color: "#e8eef8", fontSize: 16 } },
        grid: { left: 56, right: 16, top: 40, bottom: 72 },
        xAxis: { type: "category", data: chart.categories, axisLabel: { color: "#b8c7e0", rotate: chart.categories.length > 8 ? 40 : 0 } },
        yAxis: { type: "value", axisLabel: { color: "#b8c7e0" }, splitLine: { lineStyle: { color: "#2e4a7a" } } },
        series: chart.series.map(function (s) { return { name: s.name, type: chart.style === "line" ? "line" : "bar", data: s.data }; })
      }, true);
    });
  }

  function apply(data) {
    state = data;
    data.counters.forEach(function (c) {
      var el = root.querySelector('[data-counter="' + c.key + '"]');
      if (el) el.textContent = c.value === null ? "—" : String(c.value);
    });
    drawMap();
    drawPanels();
    updates += 1;
    root.setAttribute("data-screen-updates", String(updates));
  }

  function setStatus(key) { if (status) status.textContent = root.getAttribute("data-label-" + key) || key; }

  var pollTimer = null;
  function poll() {
    fetch(root.getAttribute("data-screen-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) apply(d); });
  }
  function startPolling() {
    setStatus("poll");
    if (!pollTimer) { poll(); pollTimer = setInterval(poll, 10000); }
  }

  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/dashboards/" + encodeURIComponent(region) + "/";
    var socket;
    try { socket = new WebSocket(url); } catch (e) { startPolling(); return; }
    socket.onopen = function () {
      setStatus("live");
      if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
      root.setAttribute("data-screen-socket", "open");
    };
    socket.onmessage = function (ev) {
      if (ev.data === "pong") return;
      try { apply(JSON.parse(ev.data)); } catch (e) { /* a bad frame is skipped */ }
    };
    socket.onclose = function (ev) {
      root.removeAttribute("data-screen-socket");
      startPolling();
      if (ev.code !== 4403) setTimeout(connect, 5000);
    };
    setInterval(function () { if (socket.readyState === 1) socket.send("ping"); }, 30000);
  }

  // Rotating panels: one chart at a time on the right.
  var names = Array.prototype.map.call(root.querySelectorAll("[data-panel]"), function (p) { return p.getAttribute("data-panel"); });
  var shown = 0;
  setInterval(function () {
    if (names.length < 2) return;
    shown = (shown + 1) % names.length;
    Array.prototype.forEach.call(root.querySelectorAll("[data-panel]"), function (p, i) { p.hidden = i !== shown; });
    var c = panels[names[shown]];
    if (c) c.resize();
  }, Number(root.getAttribute("data-screen-rotate-ms")) || 15000);

  var pick = root.querySelector("[data-screen-pick]");
  if (pick) pick.addEventListener("change", function () { figure = pick.value; if (state) drawMap(); });
  window.addEventListener("resize", function () { map.resize(); Object.keys(panels).forEach(function (k) { panels[k].resize(); }); });

  poll();
  connect();
})();
