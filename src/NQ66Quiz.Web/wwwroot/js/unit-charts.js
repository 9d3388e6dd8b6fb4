// Charts drawn from the tables beside them: the table is the content (it works without JavaScript and is what screen
// readers read); this script only adds a chart.js picture of it above the table.
// <table data-chart="bar|line" data-chart-label="0" data-chart-values="2,3" data-chart-percent> ... </table>
(() => {
  "use strict";
  if (typeof Chart === "undefined") return;
  const palette = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00"];
  const number = (text) => {
    const cleaned = text.replace(/[%\s]/g, "").replace(/\./g, "").replace(",", ".");
    const value = Number.parseFloat(cleaned);
    return Number.isFinite(value) ? value : null;
  };
  for (const table of document.querySelectorAll("table[data-chart]")) {
    const labelColumn = Number(table.dataset.chartLabel ?? 0);
    const valueColumns = (table.dataset.chartValues ?? "1").split(",").map(Number);
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    const rows = [...table.querySelectorAll("tbody tr")];
    if (rows.length === 0) continue;
    const labels = rows.map((tr) => tr.cells[labelColumn]?.textContent.trim() ?? "");
    const datasets = valueColumns.map((column, i) => ({
      label: headers[column] ?? "",
      data: rows.map((tr) => number(tr.cells[column]?.textContent ?? "")),
      backgroundColor: palette[i % palette.length],
      borderColor: palette[i % palette.length],
      tension: 0.2,
    }));
    const box = document.createElement("div");
    box.className = "chart-box";
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", table.dataset.chartTitle ?? table.caption?.textContent ?? "Biểu đồ");
    box.append(canvas);
    (table.closest(".table-scroll") ?? table).before(box);
    const horizontal = table.dataset.chart === "hbar";
    new Chart(canvas, {
      type: table.dataset.chart === "line" ? "line" : "bar",
      data: { labels, datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: {
          [horizontal ? "x" : "y"]: {
            beginAtZero: true,
            ticks: table.dataset.chartPercent !== undefined ? { callback: (v) => `${v} %` } : {},
          },
          [horizontal ? "y" : "x"]: { ticks: { autoSkip: !horizontal, font: { size: 11 } } },
        },
      },
    });
    table.dataset.chartReady = "true";
  }
})();
