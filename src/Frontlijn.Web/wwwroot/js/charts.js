// Report charts: each <canvas data-chart="ID"> is drawn with Chart.js from the JSON in <script type="application/json"
// id="ID"> (data, not script: the Content-Security-Policy forbids inline script). Every chart has a table with the same
// numbers next to it, so the chart itself is decoration for screen readers (role="img" with a label).
(() => {
  "use strict";

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.Chart) return;
    const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      let spec;
      try {
        spec = JSON.parse(source.textContent);
      } catch {
        return;
      }
      // One series (spec.label/spec.data), or several (spec.datasets: [{label, data, dashed}]) such as an objective's
      // monthly result and its target as a second, dashed line; null values are months without a figure (a gap).
      const sets = Array.isArray(spec.datasets) ? spec.datasets : [{ label: spec.label, data: spec.data }];
      const values = sets.flatMap((s) => (Array.isArray(s.data) ? s.data : [])).filter((v) => v !== null);
      // Counts (households, requests) get whole-number ticks; averages (ZRM change, hours) keep their decimals.
      const whole = values.every((v) => Number.isInteger(v));
      const euro = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" });
      const valueTicks = { color: "#1b1b1b", precision: whole ? 0 : undefined, callback: spec.euro ? (v) => euro.format(v) : undefined };
      const categoryTicks = { color: "#1b1b1b" };
      // Axis titles come with the data (xTitle: the horizontal axis, yTitle: the vertical one), in Dutch.
      const title = (text) => (text ? { display: true, text, color: "#1b1b1b", font: { weight: "bold" } } : undefined);
      const valueAxis = { ticks: valueTicks, beginAtZero: true, title: title(spec.horizontal ? spec.xTitle : spec.yTitle) };
      const categoryAxis = { ticks: categoryTicks, title: title(spec.horizontal ? spec.yTitle : spec.xTitle) };
      new window.Chart(canvas, {
        type: spec.type || "bar",
        data: {
          labels: spec.labels,
          datasets: sets.map((s, i) => spec.type === "line"
            ? {
                label: s.label, data: s.data, borderColor: i === 0 ? "#154273" : "#b00020", backgroundColor: i === 0 ? "#154273" : "#b00020",
                borderWidth: 2, borderDash: s.dashed ? [6, 4] : undefined, pointRadius: s.dashed ? 0 : 3, spanGaps: false, tension: 0,
              }
            : { label: s.label, data: s.data, backgroundColor: "#154273", borderColor: "#0e2f52", borderWidth: 1 }),
        },
        options: {
          indexAxis: spec.horizontal ? "y" : "x",
          responsive: true,
          maintainAspectRatio: false,
          animation: reduceMotion ? false : undefined,
          locale: "nl-NL",
          plugins: { legend: { display: sets.length > 1, labels: { color: "#1b1b1b" } } },
          scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        },
      });
    });
  });
})();
