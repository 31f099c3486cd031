/* Chain map page: draws the chain with vis-network (shipped by pyvis, inlined) and adds tooltips,
 * the detail panel, search, status filter and firms on demand.
 * Every name is put into the page as text (textContent / DOM elements), never parsed as HTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("chain-data").textContent);
  var products = DATA.products;
  var firms = DATA.firms;
  var FIRM_COLOURS = DATA.firm_colours;
  var FIRM_ZH = { local: "本地企业 local", neighbour: "周边企业 nearby", target: "目标企业 target" };
  var selectedProduct = null;
  var firmMode = "none";
  var query = "";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function firmName(id) { return firms[id] ? firms[id].name : id; }
  function place(f) { return [f.province, f.city].filter(Boolean).join(" "); }
  function joinNames(ids, limit) {
    var names = ids.map(firmName);
    if (limit && names.length > limit) return names.slice(0, limit).join("、") + " 等 " + names.length + " 家 / " + names.length + " firms";
    return names.join("、");
  }
  function firmTags(f) {
    var tags = [];
    if (f.leader) tags.push("龙头 leader");
    if (f.srdi) tags.push(f.srdi);
    if (f.listed) tags.push("上市 " + f.listed);
    return tags;
  }

  /* ---------- tooltips (DOM elements built from text) ---------- */
  function tipRow(box, label, text) {
    var row = el("div", null, "tip-row");
    row.appendChild(el("b", label + "："));
    row.appendChild(document.createTextNode(text));
    box.appendChild(row);
  }
  function productTip(p) {
    var box = el("div");
    box.appendChild(el("div", p.name_zh + (p.name_en ? " / " + p.name_en : ""), "tip-title"));
    box.appendChild(el("div", p.status_zh + " " + p.status_en + " · " + p.segment + (p.focus ? " · ★ 重点招商产品 focus" : ""), "tip-row"));
    tipRow(box, "本地生产企业 local producers", p.local.length ? joinNames(p.local, 5) : "无 none");
    if (p.building.length) tipRow(box, "本地在建/规划 local plants under way", joinNames(p.building, 5));
    if (p.projects.length) tipRow(box, "在建项目 projects", p.projects.map(function (x) { return x.name; }).join("、"));
    if (p.neighbour.length) tipRow(box, "周边企业 nearby", joinNames(p.neighbour, 5));
    p.gaps.forEach(function (g) { tipRow(box, g.kind_zh, g.reason_zh); });
    if (p.top_targets.length) {
      tipRow(box, "目标企业 targets", p.top_targets.map(function (id) {
        var t = p.targets.filter(function (x) { return x.enterprise_id === id; })[0];
        return firmName(id) + "（" + (t ? t.role_zh : "") + "）";
      }).join("、"));
    }
    box.appendChild(el("div", "点击查看详情 / click for details", "muted"));
    return box;
  }
  function firmTip(id, relations) {
    var f = firms[id] || { name: id };
    var box = el("div");
    box.appendChild(el("div", f.name, "tip-title"));
    var where = place(f);
    if (where) tipRow(box, "地区 place", where);
    var tags = firmTags(f);
    if (tags.length) tipRow(box, "标签 tags", tags.join("、"));
    relations.forEach(function (r) { tipRow(box, FIRM_ZH[r.rel], products[r.product].name_zh); });
    return box;
  }

  /* ---------- network ---------- */
  DATA.nodes.forEach(function (n) { if (n.kind === "product") n.title = productTip(products[n.product]); });
  DATA.edges.forEach(function (e) {
    if (e.via && e.via.length) e.title = el("div", "经由 via: " + e.via.join(" → "));
  });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);

  function productNodeIds() { return nodes.getIds({ filter: function (n) { return n.kind === "product"; } }); }
  function visibleProducts() {
    return nodes.get({ filter: function (n) { return n.kind === "product" && !n.hidden; } }).map(function (n) { return n.product; });
  }

  /* ---------- firms on demand ---------- */
  function firmRelations(pids, withTargets) {
    var rel = {};
    function add(id, kind, pid) {
      if (!rel[id]) rel[id] = { rel: kind, list: [] };
      var order = { local: 0, neighbour: 1, target: 2 };
      if (order[kind] < order[rel[id].rel]) rel[id].rel = kind;
      var seen = rel[id].list.some(function (x) { return x.rel === kind && x.product === pid; });
      if (!seen) rel[id].list.push({ rel: kind, product: pid });
    }
    pids.forEach(function (pid) {
      var p = products[pid];
      p.local.concat(p.building).forEach(function (id) { add(id, "local", pid); });
      p.neighbour.forEach(function (id) { add(id, "neighbour", pid); });
      if (withTargets) p.top_targets.forEach(function (id) { add(id, "target", pid); });
    });
    return rel;
  }
  /* Products sit in columns 0, 1, 2...; with firms shown they move to 1, 3, 5... and each
   * product's firms take the column just left of it. */
  var columnsForFirms = false;
  function setColumns(forFirms) {
    if (forFirms === columnsForFirms) return;
    columnsForFirms = forFirms;
    network.setOptions({ layout: { hierarchical: { levelSeparation: forFirms ?
      DATA.firm_level_separation : DATA.options.layout.hierarchical.levelSeparation } } });
    nodes.update(productNodeIds().map(function (id) {
      var level = products[nodes.get(id).product].level;
      return { id: id, level: forFirms ? 2 * level + 1 : level };
    }));
  }
  function setFirmMode(mode) {
    firmMode = mode;
    nodes.remove(nodes.getIds({ filter: function (n) { return n.kind === "firm"; } }));
    edges.remove(edges.getIds({ filter: function (e) { return e.kind === "firm"; } }));
    setColumns(mode !== "none");
    if (mode === "none") { network.fit(); return; }
    var scope = mode === "selected" ? (selectedProduct ? [selectedProduct] : []) : visibleProducts();
    var rel = firmRelations(scope, mode === "all" || mode === "selected");
    var newNodes = [], newEdges = [];
    Object.keys(rel).forEach(function (id) {
      var r = rel[id];
      var column = Math.min.apply(null, r.list.map(function (x) { return 2 * products[x.product].level; }));
      newNodes.push({
        id: "f:" + id, kind: "firm", firm: id, label: firms[id] ? firms[id].short : id, shape: "dot", size: 7,
        level: column, color: { background: FIRM_COLOURS[r.rel], border: FIRM_COLOURS[r.rel] },
        font: { size: 11, color: "#424242" }, title: firmTip(id, r.list)
      });
      r.list.forEach(function (x) {
        newEdges.push({
          id: "fe:" + id + ">" + x.product + ":" + x.rel, kind: "firm", from: "f:" + id, to: "p:" + x.product,
          dashes: [3, 3], width: 1, color: { color: FIRM_COLOURS[x.rel], opacity: 0.6 },
          arrows: { to: { enabled: true, scaleFactor: 0.4 } }
        });
      });
    });
    nodes.add(newNodes);
    edges.add(newEdges);
    if (mode !== "selected") network.fit();
    if (query) search(query);
  }

  /* ---------- detail panel ---------- */
  var detail = document.getElementById("detail");
  function section(title, items) {
    detail.appendChild(el("h4", title));
    if (!items.length) { detail.appendChild(el("p", "无 none", "muted")); return; }
    var ul = el("ul");
    items.forEach(function (item) { ul.appendChild(typeof item === "string" ? el("li", item) : item); });
    detail.appendChild(ul);
  }
  function firmItem(id, extra) {
    var f = firms[id] || { name: id };
    var li = el("li", f.name);
    var info = [place(f)].concat(firmTags(f)).filter(Boolean).join(" · ");
    if (info || extra) li.appendChild(el("div", [info, extra].filter(Boolean).join(" · "), "muted"));
    return li;
  }
  function showProduct(pid) {
    var p = products[pid];
    detail.textContent = "";
    detail.appendChild(el("h3", (p.focus ? "★ " : "") + p.name_zh));
    if (p.name_en) detail.appendChild(el("div", p.name_en, "muted"));
    var badge = el("span", p.status_zh + " " + p.status_en, "badge");
    badge.style.background = p.colour.background;
    badge.style.borderColor = p.colour.border;
    detail.appendChild(badge);
    detail.appendChild(document.createTextNode(" " + p.segment + (p.focus ? " · 重点招商产品 focus product" : "")));
    if (p.aliases.length) detail.appendChild(el("div", "别名 aliases：" + p.aliases.join("、"), "muted"));
    section("缺口原因 / gap reasons", p.gaps.map(function (g) { return g.kind_zh + "：" + g.reason_zh; }));
    section("本地生产企业 / local producers", p.local.map(function (id) { return firmItem(id); }));
    if (p.building.length) section("本地在建/规划 / local plants under way", p.building.map(function (id) { return firmItem(id); }));
    if (p.projects.length) section("在建项目 / projects", p.projects.map(function (x) { return x.name + (x.status ? "（" + x.status + "）" : ""); }));
    section("周边企业 / nearby producers", p.neighbour.map(function (id) { return firmItem(id); }));
    detail.appendChild(el("p", "其他地区生产企业 / producers elsewhere: " + p.elsewhere_count, "muted"));
    section("目标企业 / targets (龙头+配套)", p.targets.map(function (t) {
      var li = firmItem(t.enterprise_id, t.role_zh + " " + t.role + (t.score !== null ? " · 得分 score " + t.score : ""));
      if (t.reason_zh) li.appendChild(el("div", t.reason_zh));
      return li;
    }));
    var button = el("button", "在图中显示该产品的企业 / show its firms on the map");
    button.type = "button";
    button.addEventListener("click", function () {
      document.getElementById("firm-mode").value = "selected";
      setFirmMode("selected");
    });
    detail.appendChild(button);
  }
  function showFirm(id) {
    var f = firms[id] || { name: id };
    detail.textContent = "";
    detail.appendChild(el("h3", f.name));
    var info = [place(f)].concat(firmTags(f)).filter(Boolean).join(" · ");
    if (info) detail.appendChild(el("div", info, "muted"));
    var rel = firmRelations(Object.keys(products), true)[id];
    section("与本链产品的关系 / role in this chain", rel ? rel.list.map(function (x) {
      return FIRM_ZH[x.rel] + "：" + products[x.product].name_zh;
    }) : []);
  }
  network.on("click", function (params) {
    if (!params.nodes.length) return;
    var node = nodes.get(params.nodes[0]);
    if (!node) return;
    if (node.kind === "product") {
      selectedProduct = node.product;
      showProduct(node.product);
      if (firmMode === "selected") setFirmMode("selected");
    } else if (node.kind === "firm") {
      showFirm(node.firm);
    }
  });

  /* ---------- search and filter ---------- */
  function productMatches(p, q) {
    var texts = [p.name_zh, p.name_en, p.id].concat(p.aliases);
    var firmIds = p.local.concat(p.building, p.neighbour, p.targets.map(function (t) { return t.enterprise_id; }));
    var firmHits = firmIds.filter(function (id) {
      var f = firms[id];
      return f && (f.name.toLowerCase().indexOf(q) >= 0 || f.short.toLowerCase().indexOf(q) >= 0);
    });
    var own = texts.some(function (t) { return t && String(t).toLowerCase().indexOf(q) >= 0; });
    return { hit: own || firmHits.length > 0, firms: firmHits };
  }
  function search(text) {
    query = text;
    var q = text.trim().toLowerCase();
    var out = document.getElementById("search-result");
    if (!q) {
      nodes.update(nodes.get().map(function (n) { return { id: n.id, opacity: 1 }; }));
      out.textContent = "";
      return [];
    }
    var hits = [], firmHits = {};
    nodes.update(nodes.get().map(function (n) {
      var on;
      if (n.kind === "product") {
        var m = productMatches(products[n.product], q);
        on = m.hit;
        if (on) hits.push(n.id);
        m.firms.forEach(function (id) { firmHits[id] = true; });
      } else {
        var f = firms[n.firm];
        on = !!f && f.name.toLowerCase().indexOf(q) >= 0;
      }
      return { id: n.id, opacity: on ? 1 : 0.15 };
    }));
    var names = Object.keys(firmHits).map(firmName);
    out.textContent = "找到 " + hits.length + " 个产品 / " + hits.length + " products match" +
      (names.length ? "；企业 firms: " + names.join("、") : "");
    return hits;
  }
  var searchBox = document.getElementById("search");
  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var hits = search(searchBox.value);
    if (hits.length) { network.selectNodes(hits); network.fit({ nodes: hits }); }
  });
  function applyFilter() {
    var shown = {};
    document.querySelectorAll("#status-filter input[value]").forEach(function (box) { shown[box.value] = box.checked; });
    var focusOnly = document.getElementById("focus-only").checked;
    nodes.update(productNodeIds().map(function (id) {
      var p = products[nodes.get(id).product];
      return { id: id, hidden: !(shown[p.status] && (!focusOnly || p.focus)) };
    }));
    if (firmMode !== "none") setFirmMode(firmMode);
  }
  document.querySelectorAll("#status-filter input").forEach(function (box) { box.addEventListener("change", applyFilter); });
  var modeSelect = document.getElementById("firm-mode");
  modeSelect.addEventListener("change", function () { setFirmMode(modeSelect.value); });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });

  window.chainMap = {
    network: network, nodes: nodes, edges: edges, data: DATA, ready: false,
    setFirmMode: setFirmMode, search: search, showProduct: showProduct
  };
  network.once("afterDrawing", function () { window.chainMap.ready = true; });
  network.fit();
})();
