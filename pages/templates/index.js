/* Overview page: the gap and target tables, built from the site's lists (pages/lists.py, a data
 * script in a site, inlined alone; read with chainkgPacked) a page of rows at a time, sortable by
 * any column and filterable over all rows. Every cell is written as text (textContent), never
 * parsed as HTML. */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("index-settings").textContent);
  var collator = new Intl.Collator("zh-CN");
  /* Per table, its columns in display order: the text shown (from a record of the table, with its
   * link, chain and firm) and, where it differs, the key it sorts by. */
  function yes(v) { return v ? "是" : ""; }
  var TABLES = {
    gaps: [{ show: function (r) { return r.chain.name; } }, { show: function (r) { return r.link.product; } },
      { show: function (r) { return r.link.kind_zh; }, sort: function (r) { return settings.kind_rank[r.link.kind]; } },
      { show: function (r) { return yes(r.link.focus); } },
      { show: function (r) { return r.segment; },
        sort: function (r) { var k = settings.segment_rank[r.segment]; return k === undefined ? 9 : k; } },
      { show: function (r) { return r.reason; } }],
    targets: [{ show: function (r) { return r.chain.name; } }, { show: function (r) { return r.link.product; } },
      { show: function (r) { return r.link.kind_zh; } }, { show: function (r) { return r.role_zh; } },
      { show: function (r) { return r.firm.name; } }, { show: function (r) { return r.firm.province; } },
      { show: function (r) { return r.firm.city; } },
      { show: function (r) { return r.score === null || r.score === undefined ? "" : String(r.score); },
        sort: function (r) { return r.score === null || r.score === undefined ? "" : r.score; }, number: true },
      { show: function (r) { return r.reason; } }]
  };

  function compare(a, b) {
    var numeric = typeof a === "number" && typeof b === "number";
    if (numeric) return a - b;
    if (a === "" && b !== "") return 1;
    if (b === "" && a !== "") return -1;
    return collator.compare(String(a), String(b));
  }

  /* Rows as {cells: display texts, keys: sort keys, text: lowercased search text}. */
  function rowsOf(records, spec) {
    return records.map(function (r) {
      var cells = spec.map(function (c) { return c.show(r); });
      var keys = spec.map(function (c, k) { return c.sort ? c.sort(r) : cells[k]; });
      return { cells: cells, keys: keys, text: cells.join(" ").toLowerCase() };
    });
  }
  /* The gap and target records of the lists, each with its link, chain and firm. */
  function unpack(data) {
    var P = chainkgPacked, chains = P.records(data.chains, data), firms = P.records(data.firms, data);
    var links = P.records(data.links, data);
    function withLink(r) { r.link = links[r.link]; r.chain = chains[r.link.chain]; return r; }
    return {
      gaps: P.records(data.gaps, data).map(withLink),
      targets: P.records(data.targets, data).map(function (t) { t.firm = firms[t.firm]; return withLink(t); })
    };
  }

  function Table(table, rows, spec) {
    var tools = document.querySelector(".table-tools[data-for=" + table.id + "]");
    var body = table.tBodies[0];
    var order = rows.map(function (_, i) { return i; });
    var matched = order, page = 0;
    var pager = tools.querySelector("[data-pager]");
    var prev = button("上一页 / prev", function () { show(page - 1); });
    var label = document.createElement("span");
    var next = button("下一页 / next", function () { show(page + 1); });
    pager.appendChild(prev); pager.appendChild(label); pager.appendChild(next);

    function button(text, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.addEventListener("click", onClick);
      return b;
    }
    function pages() { return Math.max(1, Math.ceil(matched.length / settings.page_rows)); }
    function show(n) {
      page = Math.min(Math.max(0, n), pages() - 1);
      var frag = document.createDocumentFragment();
      matched.slice(page * settings.page_rows, (page + 1) * settings.page_rows).forEach(function (i) {
        var tr = document.createElement("tr");
        rows[i].cells.forEach(function (text, col) {
          var td = document.createElement("td");
          td.textContent = text;
          if (spec[col].number) td.className = "num";
          tr.appendChild(td);
        });
        frag.appendChild(tr);
      });
      body.textContent = "";
      body.appendChild(frag);
      label.textContent = " 第 " + (page + 1) + " / " + pages() + " 页 page ";
      prev.disabled = page === 0;
      next.disabled = page >= pages() - 1;
      pager.hidden = pages() === 1;
    }
    function filter() {
      var text = tools.querySelector("[data-filter=text]").value.trim().toLowerCase();
      var columns = Array.prototype.map.call(tools.querySelectorAll("[data-filter=column]"), function (s) {
        return { col: parseInt(s.getAttribute("data-col"), 10), value: s.value };
      }).filter(function (c) { return c.value; });
      matched = order.filter(function (i) {
        var row = rows[i];
        return (!text || row.text.indexOf(text) >= 0) && columns.every(function (c) { return row.cells[c.col] === c.value; });
      });
      table.setAttribute("data-matched", String(matched.length));
      tools.querySelector("[data-count]").textContent = "显示 " + matched.length + " / " + rows.length + " 行 rows";
      show(0);
    }
    function sort(col, th) {
      var descending = th.getAttribute("aria-sort") === "ascending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      order.sort(function (a, b) {
        var c = compare(rows[a].keys[col], rows[b].keys[col]);
        return (descending ? -c : c) || a - b;
      });
      filter();
    }
    table.setAttribute("data-total", String(rows.length));
    table.querySelectorAll("thead th").forEach(function (th, col) {
      th.tabIndex = 0;
      th.title = "点击排序 / click to sort";
      th.addEventListener("click", function () { sort(col, th); });
      th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") sort(col, th); });
    });
    tools.querySelectorAll("input, select").forEach(function (input) {
      input.addEventListener("input", filter);
      input.addEventListener("change", filter);
    });
    filter();
  }

  window.chainkgLoad(settings.src, settings.key).then(function (data) {
    var lists = unpack(data);
    Object.keys(TABLES).forEach(function (id) {
      new Table(document.getElementById(id), rowsOf(lists[id], TABLES[id]), TABLES[id]);
    });
    document.body.setAttribute("data-index-ready", "1");
  }, function (err) {
    var box = document.getElementById("index-error");
    box.hidden = false;
    box.textContent = "缺口与目标清单未能加载 / the gap and target lists could not be loaded: " + err.message;
  });
})();
