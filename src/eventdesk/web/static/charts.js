// Draws the dashboard timeline from the JSON block the server rendered (no inline script: see the CSP).
(function () {
  var data = document.getElementById("timeline-data");
  var el = document.getElementById("timeline");
  if (!data || !el || typeof Plotly === "undefined") { return; }
  var series = JSON.parse(data.textContent);
  var colours = {"verbal cooperation": "#4c9f70", "material cooperation": "#1b6e3c",
                 "verbal conflict": "#e0913a", "material conflict": "#b3261e"};
  var traces = series.map(function (s) {
    return {type: "bar", name: s.name, x: s.x, y: s.y, marker: {color: colours[s.name] || "#777"}};
  });
  Plotly.newPlot(el, traces, {barmode: "stack", margin: {t: 10, r: 10, b: 40, l: 40}, height: 300,
                              legend: {orientation: "h"}}, {displayModeBar: false, responsive: true});
  el.setAttribute("data-drawn", "1");
})();
