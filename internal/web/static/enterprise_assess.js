// The tier statistics' chart (/stats/enterprises): tech and high-tech
// enterprises by year as bars, the yearly targets as dashed markers, from
// the page's JSON (#enterprise-tiers-data), in the style of the chain
// funnel (static/chain.js). The table below carries the same numbers for
// readers without JavaScript. Labels come translated in the data.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("chart-tiers");
    var data = document.getElementById("enterprise-tiers-data");
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent) || { years: [], series: [] };
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var narrow = el.clientWidth < 520; // a phone: fewer labels
    var colors = ["#2f6fd0", "#17864b"], targetColors = ["#b7791f", "#c53030"];
    var bars = 0, targets = 0;
    var series = d.series.map(function (s) {
      if (s.kind === "bar") {
        var c = colors[bars++ % colors.length];
        return { name: s.name, type: "bar", barMaxWidth: 28, itemStyle: { color: c, borderRadius: [3, 3, 0, 0] },
          label: { show: !narrow, position: "top", formatter: function (p) { return p.value == null ? "" : p.value.toLocaleString(); } },
          data: s.values };
      }
      return { name: s.name, type: "line", symbol: "diamond", symbolSize: 10, connectNulls: false,
        lineStyle: { type: "dashed", width: 1.5 }, itemStyle: { color: targetColors[targets++ % targetColors.length] },
        data: s.values };
    });
    chart.setOption({
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: narrow ? "scroll" : "plain" },
      xAxis: { type: "category", data: d.years, axisTick: { show: false } },
      yAxis: { type: "value", axisLabel: { show: !narrow }, splitLine: { lineStyle: { type: "dashed" } } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.kcTiers = chart;
    document.body.setAttribute("data-tiers", "ready");
  });
})();
