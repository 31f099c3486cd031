/* Overview page: sortable, filterable tables. Rows are written by the server (escaped); this only
 * reorders and hides them, so the tables also print and read without script. */
(function () {
  "use strict";
  function cellValue(row, col) {
    var cell = row.cells[col];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    var numeric = a !== "" && b !== "" && !isNaN(x) && !isNaN(y) && isFinite(a) && isFinite(b);
    if (numeric) return x - y;
    if (a === "" && b !== "") return 1;
    if (b === "" && a !== "") return -1;
    return a.localeCompare(b, "zh-CN");
  }
  function sortTable(table, col, th) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var c = compare(cellValue(r1, col), cellValue(r2, col));
      return descending ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function filterTable(table, tools) {
    var text = tools.querySelector("[data-filter=text]").value.trim().toLowerCase();
    var columns = Array.prototype.map.call(tools.querySelectorAll("[data-filter=column]"), function (s) {
      return { col: parseInt(s.getAttribute("data-col"), 10), value: s.value };
    });
    var shown = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = (!text || row.textContent.toLowerCase().indexOf(text) >= 0) && columns.every(function (c) {
        return !c.value || row.cells[c.col].textContent.trim() === c.value;
      });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    tools.querySelector("[data-count]").textContent = "显示 " + shown + " / " + rows.length + " 行 rows";
  }
  document.querySelectorAll("table.data").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, col) {
      th.tabIndex = 0;
      th.title = "点击排序 / click to sort";
      th.addEventListener("click", function () { sortTable(table, col, th); });
      th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") sortTable(table, col, th); });
    });
    var tools = document.querySelector(".table-tools[data-for=" + table.id + "]");
    if (!tools) return;
    tools.querySelectorAll("input, select").forEach(function (input) {
      input.addEventListener("input", function () { filterTable(table, tools); });
      input.addEventListener("change", function () { filterTable(table, tools); });
    });
    filterTable(table, tools);
  });
})();
