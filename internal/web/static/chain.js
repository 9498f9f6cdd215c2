// The chain funnel's chart: the stages that have data, from the page's
// JSON (#chain-funnel-data); the table below it carries the same numbers
// for readers without JavaScript. Labels come translated in the data.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("chart-funnel");
    var data = document.getElementById("chain-funnel-data");
    if (!el || !data || !window.echarts) return;
    var bars = JSON.parse(data.textContent) || [];
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}: {c}" },
      series: [{
        type: "funnel", left: "8%", width: "84%", top: 10, bottom: 10, sort: "none", gap: 2,
        minSize: "12%", label: { show: true, position: "inside", formatter: "{b}\n{c}" },
        data: bars.map(function (b) { return { name: b.name, value: b.value }; })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.kcFunnel = chart;
    document.body.setAttribute("data-funnel", "ready");
  });
})();
