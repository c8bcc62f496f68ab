// Charts: loads the vendored ECharts only on pages that have a chart, then draws every
// element with data-echart from the JSON script tag it names (no inline scripts).
(function () {
  "use strict";
  var holders = document.querySelectorAll("[data-echart]");
  if (!holders.length) { return; }
  var me = document.currentScript;
  var src = me && me.dataset.echarts;
  function draw() {
    holders.forEach(function (el) {
      var node = document.getElementById(el.dataset.echart);
      if (!node || !window.echarts) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(JSON.parse(node.textContent));
      el.setAttribute("data-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (window.echarts) { draw(); return; }
  var s = document.createElement("script");
  s.src = src;
  s.onload = draw;
  document.head.appendChild(s);
})();
