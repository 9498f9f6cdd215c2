// The chain funnel's chart: the stages that have data, from the page's
// JSON (#chain-funnel-data), as horizontal bars in the stages' order. The
// stages are counted each on its own (a contract may name an achievement
// never pitched at an event), so a later stage can be larger than an
// earlier one: bars show that honestly where a trapezoid funnel would
// draw an hourglass. The table below carries the same numbers for readers
// without JavaScript. Labels come translated in the data.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("chart-funnel");
    var data = document.getElementById("chain-funnel-data");
    if (!el || !data || !window.echarts) return;
    var bars = JSON.parse(data.textContent) || [];
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var names = bars.map(function (b) { return b.name; });
    var narrow = el.clientWidth < 520; // a phone: the bars carry their values, the axis none
    chart.setOption({
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: "{b}: {c}" },
      xAxis: { type: "value", axisLabel: { show: !narrow }, splitLine: { lineStyle: { type: "dashed" } } },
      yAxis: { type: "category", inverse: true, data: names, axisTick: { show: false },
        axisLabel: { width: narrow ? 96 : 150, overflow: "break" } },
      series: [{
        type: "bar", barMaxWidth: 28, itemStyle: { color: "#2f6fd0", borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: "right", formatter: function (p) { return p.value.toLocaleString(); } },
        data: bars.map(function (b) { return b.value; })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.kcFunnel = chart;
    document.body.setAttribute("data-funnel", "ready");
  });
})();
