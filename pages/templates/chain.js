/* Chain map page. Draws the chain with vis-network from the page's map data, lays it out itself
 * (columns upstream -> downstream, wrapped to the map's shape; products with no flow in a grid),
 * groups a large chain by segment, flow and product type (collapsed, opened on click), focuses search on a
 * product's neighbourhood, caps what is drawn, and fills tooltips, the side panel and the product
 * table from the detail data once it has loaded (chainkgLoad).
 * Every name is put into the page as text (textContent / DOM elements), never parsed as HTML. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("chain-data").textContent);
  var S = DATA.settings, LINKS = DATA.map.links, STAT = S.statuses;
  var P = chainkgPacked.records(DATA.map.products, DATA.map);  // product records, packed by column
  var N = P.length, CAP = S.draw_cap, FONT = S.font_size;
  var FEED_ZH = ["原料 feed", "辅料 auxiliary", "经由 via"];
  var KIND_ZH = S.kind_zh, ROLE_ZH = S.role_zh;
  var GAP_RANK = { missing: 0, weak: 1, extend: 2, "": 3 };
  var SEG_RANK = { "上游": 0, "中游": 1, "下游": 2 };
  var MAX_LINE = FONT * 6, MARGIN = S.options.nodes.margin, LINE_H = FONT * 1.2, GAP_X = 40, GAP_Y = 14;
  var detail = null;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  /* ---------- graph of the chain: positions and neighbours ---------- */
  var at = {}, succ = [], pred = [], i;
  for (i = 0; i < N; i++) { at[P[i].id] = i; succ.push([]); pred.push([]); }
  LINKS.forEach(function (l) { succ[l[0]].push(l[1]); pred[l[1]].push(l[0]); });

  /* ---------- groups: segment x (with flows / without) x product type (物料/设备/用途, where the
   * chain has more than one), for chains above group_above ---------- */
  var grouped = N > S.group_above;
  var groups = [], groupOf = new Array(N), typed = false;
  (function () {
    var byKey = {};
    for (var i = 0; i < N; i++) {
      var key = P[i].segment + "|" + (P[i].linked ? 1 : 0) + "|" + P[i].type;
      if (!byKey[key]) {
        byKey[key] = { id: groups.length, segment: P[i].segment, linked: P[i].linked, type: P[i].type, members: [] };
        groups.push(byKey[key]);
      }
      byKey[key].members.push(i);
      groupOf[i] = byKey[key].id;
    }
    var types = {};
    groups.forEach(function (g) { types[g.type] = true; });
    typed = Object.keys(types).length > 1;
    groups.sort(function (a, b) {
      return (SEG_RANK[a.segment] - SEG_RANK[b.segment]) || (b.linked - a.linked) || (typeRank(a.type) - typeRank(b.type));
    });
    groups.forEach(function (g, k) {
      g.order = k;
      g.name = g.segment + (typed ? " · " + g.type : "") + " · " + (g.linked ? "有投入产出" : "无投入产出");
    });
  })();
  function typeRank(t) { var k = S.product_types.indexOf(t); return k < 0 ? S.product_types.length : k; }
  function importance(a, b) {
    var p = P[a], q = P[b];
    return (q.focus - p.focus) || (GAP_RANK[p.gap] - GAP_RANK[q.gap]) || (q.n[3] - p.n[3]) || (q.n[2] - p.n[2]) || (a - b);
  }
  groups.forEach(function (g) { g.members.sort(importance); });

  /* ---------- state ---------- */
  var state = { focus: null, steps: 2, expanded: [], shown: {}, focusOnly: false, query: "" };
  Object.keys(STAT).forEach(function (k) { state.shown[k] = true; });
  function passes(i) { return !!state.shown[P[i].status] && (!state.focusOnly || P[i].focus); }

  /* What to draw: product indices and group nodes ({group, open, drawn, total}). */
  function currentView() {
    var products = [], groupNodes = [], note = "";
    if (state.focus !== null) {
      products = neighbourhood(state.focus, state.steps, CAP);
      note = "聚焦 focus：" + P[state.focus].name + " 上下游 " + state.steps + " 步，" + products.length + " 个产品" +
        (products.capped ? "（只画最近的 " + CAP + " 个 / nearest " + CAP + " drawn）" : "");
      return { products: products, groups: [], note: note };
    }
    if (!grouped) {
      for (var i = 0; i < N; i++) if (passes(i)) products.push(i);
      return { products: products.slice(0, CAP), groups: [], note: products.length > CAP ? "只画前 " + CAP + " 个 / first " + CAP + " drawn" : "" };
    }
    var budget = CAP;
    var open = {};
    state.expanded.forEach(function (gid) { open[gid] = true; });
    groups.forEach(function (g) {
      var members = g.members.filter(passes);
      if (!members.length) return;
      if (open[g.id]) {
        var take = members.slice(0, Math.max(0, budget));
        budget -= take.length;
        products = products.concat(take);
        groupNodes.push({ group: g, open: true, drawn: take.length, total: members.length });
      } else {
        groupNodes.push({ group: g, open: false, drawn: 0, total: members.length });
      }
    });
    note = "本链 " + N + " 个产品，按环节" + (typed ? "和产品类型" : "") + "分组，点击组展开 / " + N +
      " products grouped by segment" + (typed ? " and product type" : "") + ": click a group to open it";
    return { products: products, groups: groupNodes, note: note };
  }
  function neighbourhood(start, k, cap) {
    var seen = {}, out = [start];
    seen[start] = true;
    var up = [start], down = [start];
    for (var d = 0; d < k && out.length < cap; d++) {
      var nextUp = [], nextDown = [];
      up.forEach(function (i) { pred[i].forEach(function (j) { if (!seen[j]) { seen[j] = true; nextUp.push(j); } }); });
      down.forEach(function (i) { succ[i].forEach(function (j) { if (!seen[j]) { seen[j] = true; nextDown.push(j); } }); });
      var ring = nextUp.concat(nextDown);
      out = out.concat(ring.slice(0, cap - out.length));
      up = nextUp; down = nextDown;
    }
    if (out.length >= cap && (up.length || down.length)) out.capped = true;
    return out;
  }

  /* ---------- labels and their sizes ---------- */
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT + "px " + S.options.nodes.font.face;
  function wrap(text, limit) {
    var lines = [], line = "";
    Array.from(String(text)).forEach(function (ch) {
      if (line && measure.measureText(line + ch).width > limit) {
        lines.push(line);
        line = ch === " " ? "" : ch;
      } else {
        line += ch;
      }
    });
    if (line) lines.push(line);
    if (lines.length > 3) lines = [lines[0], lines[1], lines[2].slice(0, -1) + "…"];
    return lines;
  }
  function countText(p) { return p.n[0] + "/" + p.n[1] + "/" + p.n[2] + " ▸" + p.n[3]; }
  function box(lines) {
    var w = 0;
    lines.forEach(function (l) { w = Math.max(w, measure.measureText(l).width); });
    return { w: w + 2 * MARGIN + 4, h: lines.length * LINE_H + 2 * MARGIN + 2 };
  }
  var labels = P.map(function (p) {
    var lines = wrap((p.focus ? S.focus_mark + "\u00a0" : "") + p.name, MAX_LINE).concat([countText(p)]);
    return { text: lines.join("\n"), size: box(lines) };
  });
  function groupLabel(gn) {
    var g = gn.group, kinds = {};
    g.members.forEach(function (i) { if (P[i].gap && passes(i)) kinds[P[i].gap] = (kinds[P[i].gap] || 0) + 1; });
    var gaps = Object.keys(KIND_ZH).filter(function (k) { return kinds[k]; }).map(function (k) { return KIND_ZH[k] + " " + kinds[k]; });
    var lines = [(gn.open ? "▾ " : "▸ ") + g.name, gn.total + " 个产品 products", gaps.length ? gaps.join(" · ") : "无缺口 no gaps",
      gn.open ? "显示 shown " + gn.drawn + "/" + gn.total + " · 点击收起" : "点击展开 click to open"];
    return { text: lines.join("\n"), size: box(lines) };
  }

  /* ---------- layout: [groups row] [flow columns, wrapped] [grid of products with no flow] ---------- */
  function cell(items) {
    var cw = 0, ch = 0;
    items.forEach(function (it) { cw = Math.max(cw, it.size.w); ch = Math.max(ch, it.size.h); });
    return { cw: cw + GAP_X, ch: ch + GAP_Y };
  }
  function layout(view, W, H) {
    var drawn = {}, flow = [], loners = [];
    view.products.forEach(function (i) { drawn[i] = true; });
    view.products.forEach(function (i) {
      var hasDrawnLink = pred[i].some(function (j) { return drawn[j]; }) || succ[i].some(function (j) { return drawn[j]; });
      (hasDrawnLink ? flow : loners).push({ i: i, size: labels[i].size });
    });
    var heads = view.groups.map(function (gn) { var l = groupLabel(gn); return { gn: gn, text: l.text, size: l.size }; });
    // columns of the flow part: drawn levels renumbered, each ordered by its inputs' places
    var levels = {};
    flow.forEach(function (it) { (levels[P[it.i].level] = levels[P[it.i].level] || []).push(it); });
    var columns = Object.keys(levels).map(Number).sort(function (a, b) { return a - b; }).map(function (l) { return levels[l]; });
    var rank = {};
    columns.forEach(function (col) {
      col.forEach(function (it) {
        var ins = pred[it.i].filter(function (j) { return rank[j] !== undefined; });
        it.key = ins.length ? ins.reduce(function (s, j) { return s + rank[j]; }, 0) / ins.length : 0.5;
      });
      col.sort(function (a, b) { return (a.key - b.key) || (SEG_RANK[P[a.i].segment] - SEG_RANK[P[b.i].segment]) || (a.i - b.i); });
      col.forEach(function (it, k) { rank[it.i] = col.length > 1 ? k / (col.length - 1) : 0.5; });
    });
    var tallest = columns.reduce(function (m, c) { return Math.max(m, c.length); }, 0);
    function flowDims(rows) {
      var w = 0, h = 0;
      columns.forEach(function (col) {
        for (var s = 0; s < col.length; s += rows) {
          var sw = 0, sh = 0;
          col.slice(s, s + rows).forEach(function (it) { sw = Math.max(sw, it.size.w); sh += it.size.h + GAP_Y; });
          w += sw + GAP_X; h = Math.max(h, sh);
        }
      });
      return { w: w, h: h };
    }
    // heads: one row; loners: a grid of `cols`; flow: columns wrapped at `rows`. Pick the pair
    // that lets the whole drawing be shown largest in W x H.
    // heads (group nodes) in a grid: a column per segment, a row for products with flows and one without
    var hc = cell(heads), lc = cell(loners), L = loners.length, headCols = 0, headRows = 0;
    heads.forEach(function (it) {
      it.col = SEG_RANK[it.gn.group.segment] !== undefined ? SEG_RANK[it.gn.group.segment] : 1;
      it.row = it.gn.group.linked ? 0 : 1 + typeRank(it.gn.group.type);  // rows line up across segments
      headCols = Math.max(headCols, it.col + 1);
      headRows = Math.max(headRows, it.row + 1);
    });
    var headW = headCols * hc.cw, headH = heads.length ? headRows * hc.ch + GAP_Y : 0;
    var best = null;
    for (var rows = Math.max(1, tallest); rows >= 1; rows--) {
      var f = flowDims(rows);
      if (best && W / Math.max(f.w, 1) < best.score) break;  // fewer rows only widens the flow part
      for (var cols = 1; cols <= Math.max(1, L); cols++) {
        var lw = L ? Math.min(cols, L) * lc.cw : 0, lh = L ? Math.ceil(L / cols) * lc.ch + (f.h ? GAP_Y * 2 : 0) : 0;
        var score = Math.min(W / Math.max(f.w, headW, lw, 1), H / Math.max(headH + f.h + lh, 1));
        if (!best || score > best.score + 1e-9) best = { score: score, rows: rows, cols: cols, f: f };
      }
      if (!columns.length) break;
    }
    var pos = {};
    heads.forEach(function (it) { it.x = it.col * hc.cw + hc.cw / 2; it.y = it.row * hc.ch + hc.ch / 2; });
    var y0 = headH;
    // flow columns
    var x = 0, fh = best.f.h;
    columns.forEach(function (col) {
      for (var s = 0; s < col.length; s += best.rows) {
        var sub = col.slice(s, s + best.rows), sw = 0, sh = 0;
        sub.forEach(function (it) { sw = Math.max(sw, it.size.w); sh += it.size.h + GAP_Y; });
        var y = y0 + (fh - sh) / 2;
        sub.forEach(function (it) { pos[it.i] = { x: x + sw / 2, y: y + it.size.h / 2 }; y += it.size.h + GAP_Y; });
        x += sw + GAP_X;
      }
    });
    // products with no drawn flow: a grid, by segment
    loners.sort(function (a, b) { return (SEG_RANK[P[a.i].segment] - SEG_RANK[P[b.i].segment]) || importance(a.i, b.i); });
    var ly = y0 + fh + (fh ? GAP_Y * 2 : 0);
    loners.forEach(function (it, k) {
      pos[it.i] = { x: (k % best.cols) * lc.cw + lc.cw / 2, y: ly + Math.floor(k / best.cols) * lc.ch + lc.ch / 2 };
    });
    return { pos: pos, heads: heads };
  }

  /* ---------- drawing ---------- */
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, S.options);
  var drawnNow = {}, groupNodeOf = {};

  function productNode(i, p) {
    var st = STAT[P[i].status] || STAT.missing;
    return {
      id: "p:" + P[i].id, kind: "product", product: P[i].id, label: labels[i].text, x: p.x, y: p.y,
      color: { background: st.background, border: st.border, highlight: { background: st.background, border: "#000000" },
               hover: { background: st.background, border: "#000000" } },
      borderWidth: P[i].focus ? 4 : 1.5, borderWidthSelected: 5,
      shapeProperties: { borderDashes: st.dashed ? [6, 4] : false }, title: productTip(i)
    };
  }
  function draw() {
    var view = currentView();
    var W = container.clientWidth || 800, H = container.clientHeight || 500;
    var placed = layout(view, W, H);
    drawnNow = {}; groupNodeOf = {};
    var list = [];
    view.products.forEach(function (i) { drawnNow[i] = true; list.push(productNode(i, placed.pos[i])); });
    placed.heads.forEach(function (it) {
      var g = it.gn.group;
      if (!it.gn.open) g.members.forEach(function (i) { groupNodeOf[i] = "g:" + g.id; });
      list.push({ id: "g:" + g.id, kind: "group", group: g.id, count: it.gn.total, open: it.gn.open, label: it.text,
                  x: it.x, y: it.y, borderWidth: 2, shapeProperties: { borderDashes: it.gn.open ? [4, 3] : false },
                  color: { background: it.gn.open ? "#ffffff" : "#eceff1", border: "#455a64",
                           highlight: { background: "#cfd8dc", border: "#000000" }, hover: { background: "#cfd8dc", border: "#000000" } },
                  title: el("div", g.name + "：" + it.gn.total + " 个产品，" + (it.gn.open ? "点击收起 / click to close" : "点击展开 / click to open")) });
    });
    var direct = [], agg = {};
    LINKS.forEach(function (l, k) {
      var a = drawnNow[l[0]] ? "p:" + P[l[0]].id : groupNodeOf[l[0]], b = drawnNow[l[1]] ? "p:" + P[l[1]].id : groupNodeOf[l[1]];
      if (!a || !b || a === b) return;
      if (a.charAt(0) === "p" && b.charAt(0) === "p") {
        var via = l[3] || [];
        direct.push({ id: "e" + k, from: a, to: b, kind: "feeds", feed: l[2],
                      dashes: l[2] === 2 ? [2, 5] : (l[2] === 1 ? [8, 5] : false),
                      color: { color: l[2] === 2 ? "#90a4ae" : S.options.edges.color.color },
                      title: el("div", FEED_ZH[l[2]] + (via.length ? "：" + via.join(" → ") : "")) });
      } else {
        var key = a + ">" + b;
        agg[key] = agg[key] || { from: a, to: b, count: 0 };
        agg[key].count++;
      }
    });
    Object.keys(agg).forEach(function (key) {
      var e = agg[key];
      direct.push({ id: "a:" + key, from: e.from, to: e.to, kind: "group-link", width: 1 + Math.log2(e.count),
                    color: { color: "#90a4ae" }, title: el("div", e.count + " 条投入产出关系 / links") });
    });
    nodes.clear(); edges.clear();
    nodes.add(list); edges.add(direct);
    document.getElementById("view-note").textContent = view.note;
    document.getElementById("overview").hidden = state.focus === null;
    fitReadable(state.focus !== null ? "p:" + P[state.focus].id : null);
    if (state.query && state.focus === null) highlight(state.query);  // a focus view shows its neighbourhood whole
  }
  /* Fit the drawing; never below the scale at which labels are readable_px on screen. */
  function fitReadable(centre) {
    network.fit({ animation: false });
    var least = S.readable_px / FONT;
    if (network.getScale() < least) {
      var position = centre && nodes.get(centre) ? network.getPositions([centre])[centre] : network.getViewPosition();
      network.moveTo({ scale: least, position: position, animation: false });
    }
  }

  /* ---------- tooltips and the side panel (detail data) ---------- */
  /* The detail data as records: products in map order with their gaps and targets; firms by index. */
  function unpackDetail(d) {
    var products = chainkgPacked.records(d.products, d), firms = chainkgPacked.records(d.firms, d);
    products.forEach(function (p) { p.gaps = []; p.targets = []; });
    chainkgPacked.records(d.gaps, d).forEach(function (g) { products[g.product].gaps.push(g); });
    chainkgPacked.records(d.targets, d).forEach(function (t) { products[t.product].targets.push(t); });
    firms.forEach(function (f) { if (!f.short) f.short = f.name; });
    return { products: products, firms: firms };
  }
  function firmName(k) { return detail && detail.firms[k] ? detail.firms[k].name : String(k); }
  /* The best leaders and supporters, top_targets of each (targets come leaders first, by score). */
  function topTargets(p) {
    var taken = {};
    return p.targets.filter(function (t) { taken[t.role] = (taken[t.role] || 0) + 1; return taken[t.role] <= S.top_targets; });
  }
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
  function tipRow(box, label, text) {
    var row = el("div", null, "tip-row");
    row.appendChild(el("b", label + "："));
    row.appendChild(document.createTextNode(text));
    box.appendChild(row);
  }
  function productTip(i) {
    var m = P[i], st = STAT[m.status] || STAT.missing, p = detail && detail.products[i];
    var box = el("div");
    box.appendChild(el("div", m.name + (p && p.name_en ? " / " + p.name_en : ""), "tip-title"));
    box.appendChild(el("div", st.zh + " " + st.en + " · " + m.segment + (m.focus ? " · ★ 重点招商产品 focus" : ""), "tip-row"));
    tipRow(box, "生产企业 producers", "本地 local " + m.n[0] + " · 周边 nearby " + m.n[1] + " · 全国 national " + m.n[2] + " · 目标 targets " + m.n[3]);
    if (!p) { box.appendChild(el("div", "详情加载中… / loading details…", "muted")); return box; }
    tipRow(box, "本地生产企业 local producers", p.local.length ? joinNames(p.local, 5) : "无 none");
    if (p.building.length) tipRow(box, "本地在建/规划 local plants under way", joinNames(p.building, 5));
    if (p.projects.length) tipRow(box, "在建项目 projects", p.projects.map(function (x) { return x[0]; }).join("、"));
    if (p.neighbour.length) tipRow(box, "周边企业 nearby", joinNames(p.neighbour, 5));
    p.gaps.forEach(function (g) { tipRow(box, KIND_ZH[g.kind], g.reason); });
    var top = topTargets(p);
    if (top.length) {
      tipRow(box, "目标企业 targets", top.map(function (t) { return firmName(t.firm) + "（" + ROLE_ZH[t.role] + "）"; }).join("、"));
    }
    box.appendChild(el("div", "点击查看详情 / click for details", "muted"));
    return box;
  }
  var panel = document.getElementById("detail");
  var shownInPanel = null;
  function section(title, items) {
    panel.appendChild(el("h4", title));
    if (!items.length) { panel.appendChild(el("p", "无 none", "muted")); return; }
    var ul = el("ul");
    items.forEach(function (item) { ul.appendChild(typeof item === "string" ? el("li", item) : item); });
    panel.appendChild(ul);
  }
  function firmItem(k, extra) {
    var f = (detail && detail.firms[k]) || { name: String(k) };
    var li = el("li", f.name);
    var info = [place(f)].concat(firmTags(f)).filter(Boolean).join(" · ");
    if (info || extra) li.appendChild(el("div", [info, extra].filter(Boolean).join(" · "), "muted"));
    return li;
  }
  function productButton(j) {
    var b = el("button", P[j].name, "link");
    b.type = "button";
    b.addEventListener("click", function () { focus(j); });
    return b;
  }
  function showProduct(pid) {
    var i = at[pid];
    if (i === undefined) return;
    var m = P[i], p = detail && detail.products[i], st = STAT[m.status] || STAT.missing;
    shownInPanel = pid;
    panel.hidden = false;
    panel.textContent = "";
    var close = el("button", "×", "close");
    close.type = "button";
    close.title = "关闭 / close";
    close.addEventListener("click", function () { panel.hidden = true; shownInPanel = null; });
    panel.appendChild(close);
    panel.appendChild(el("h3", (m.focus ? "★ " : "") + m.name));
    if (p && p.name_en) panel.appendChild(el("div", p.name_en, "muted"));
    var badge = el("span", st.zh + " " + st.en, "badge");
    badge.style.background = st.background;
    badge.style.borderColor = st.border;
    panel.appendChild(badge);
    panel.appendChild(document.createTextNode(" " + m.segment + (m.focus ? " · 重点招商产品 focus product" : "")));
    panel.appendChild(el("div", "本地 " + m.n[0] + " · 周边 " + m.n[1] + " · 全国 " + m.n[2] + " 家生产 · 目标 " + m.n[3] + " 家 / producers local, nearby, national; targets", "muted"));
    var go = el("button", "聚焦上下游 / focus on its neighbourhood");
    go.type = "button";
    go.addEventListener("click", function () { focus(i); });
    panel.appendChild(go);
    var links = el("div", null, "neighbours");
    links.appendChild(el("b", "原料 inputs："));
    pred[i].slice(0, 30).forEach(function (j) { links.appendChild(productButton(j)); });
    if (!pred[i].length) links.appendChild(document.createTextNode("无 none"));
    links.appendChild(el("br"));
    links.appendChild(el("b", "下游 outputs："));
    succ[i].slice(0, 30).forEach(function (j) { links.appendChild(productButton(j)); });
    if (!succ[i].length) links.appendChild(document.createTextNode("无 none"));
    panel.appendChild(links);
    if (!p) { panel.appendChild(el("p", "详情加载中… / loading details…", "muted")); return; }
    if (p.aliases.length) panel.appendChild(el("div", "别名 aliases：" + p.aliases.join("、"), "muted"));
    section("缺口原因 / gap reasons", p.gaps.map(function (g) {
      var li = el("li", null, "gap");
      li.appendChild(el("b", KIND_ZH[g.kind] + "："));
      li.appendChild(el("span", g.reason, "reason"));
      li.appendChild(el("div", "优先级 priority " + g.priority, "muted priority"));
      return li;
    }));
    var note = {};
    p.unverified.forEach(function (k) { note[k] = "待核实 to be verified"; });
    p.hypothetical.forEach(function (k) { note[k] = "假设 hypothetical"; });  // a what-if's plant, not a record to verify
    section("本地生产企业 / local producers", p.local.map(function (k) { return firmItem(k, note[k] || ""); }));
    if (p.captive.length) section("本地自用/副产 / captive or by-product", p.captive.map(function (c) { return firmItem(c[0], "路线 route：" + c[1]); }));
    if (p.building.length) section("本地在建/规划 / local plants under way", p.building.map(function (k) { return firmItem(k); }));
    if (p.projects.length) section("在建项目 / projects", p.projects.map(function (x) { return x[0] + (x[1] ? "（" + x[1] + "）" : ""); }));
    section("周边企业 / nearby producers", p.neighbour.map(function (k) { return firmItem(k); }));
    panel.appendChild(el("p", "其他地区生产企业 / producers elsewhere: " + (m.n[2] - m.n[0] - m.n[1]), "muted"));
    section("目标企业 / targets (龙头+配套)", p.targets.map(function (t) {
      var li = firmItem(t.firm, ROLE_ZH[t.role] + " " + t.role + " · 第 " + t.rank + " 名 rank" +
        (t.score !== null ? " · 得分 score " + t.score : ""));
      if (t.reason) li.appendChild(el("div", t.reason, "reason"));
      if (t.competes.length) li.appendChild(el("div", "竞争者 competitor：亦生产本地已有的 " + t.competes.join("、"), "competes"));
      li.className = "target";
      return li;
    }));
  }
  network.on("click", function (params) {
    if (!params.nodes.length) return;
    var node = nodes.get(params.nodes[0]);
    if (!node) return;
    if (node.kind === "product") showProduct(node.product);
    else if (node.kind === "group") toggleGroup(node.group);
  });

  /* ---------- groups, focus, filter ---------- */
  function toggleGroup(gid) {
    var k = state.expanded.indexOf(gid);
    if (k >= 0) state.expanded.splice(k, 1);
    else {
      state.expanded.unshift(gid);  // the newest first; older ones close when the cap is reached
      var total = 0;
      state.expanded = state.expanded.filter(function (g, n) {
        var size = groups.filter(function (x) { return x.id === g; })[0].members.filter(passes).length;
        total += size;
        return n === 0 || total <= CAP;
      });
    }
    draw();
  }
  function focus(i) {
    state.focus = i;
    document.getElementById("search-list").hidden = true;
    draw();
    network.selectNodes(["p:" + P[i].id]);
    showProduct(P[i].id);
  }
  function overview() { state.focus = null; draw(); }
  function applyFilter() {
    document.querySelectorAll("#status-filter input[value]").forEach(function (b) { state.shown[b.value] = b.checked; });
    state.focusOnly = document.getElementById("focus-only").checked;
    draw();
    renderTable(true);
  }
  document.querySelectorAll("#status-filter input").forEach(function (b) { b.addEventListener("change", applyFilter); });
  document.getElementById("fit").addEventListener("click", function () { fitReadable(null); });
  document.getElementById("overview").addEventListener("click", overview);
  var steps = document.getElementById("steps");
  steps.addEventListener("change", function () { state.steps = Number(steps.value); if (state.focus !== null) draw(); });

  /* ---------- search ---------- */
  var firmProducts = null;  // firm id -> product indices, once the detail has loaded
  function productHits(q) {
    var hits = [];
    for (var i = 0; i < N; i++) {
      var p = detail && detail.products[i];
      var texts = [P[i].name, P[i].id].concat(p ? [p.name_en].concat(p.aliases) : []);
      if (texts.some(function (t) { return t && String(t).toLowerCase().indexOf(q) >= 0; })) hits.push(i);
    }
    return hits;
  }
  function firmHits(q) {
    if (!detail) return [];
    return Object.keys(firmProducts).filter(function (id) {
      var f = detail.firms[id];
      return f && (f.name.toLowerCase().indexOf(q) >= 0 || (f.short || "").toLowerCase().indexOf(q) >= 0);
    });
  }
  function highlight(text) {
    var q = text.trim().toLowerCase(), on = {};
    if (q) {
      productHits(q).forEach(function (i) { on[i] = true; });
      firmHits(q).forEach(function (id) { firmProducts[id].forEach(function (i) { on[i] = true; }); });
    }
    nodes.update(nodes.get({ filter: function (n) { return n.kind === "product"; } }).map(function (n) {
      return { id: n.id, opacity: !q || on[at[n.product]] ? 1 : 0.2 };
    }));
  }
  var list = document.getElementById("search-list");
  function search(text) {
    state.query = text;
    var q = text.trim().toLowerCase(), out = document.getElementById("search-result");
    list.textContent = "";
    list.hidden = true;
    if (!q) { out.textContent = ""; highlight(""); return []; }
    var hits = productHits(q), firms = firmHits(q), seen = {};
    hits.forEach(function (i) { seen[i] = true; });
    firms.forEach(function (id) { firmProducts[id].forEach(function (i) { if (!seen[i]) { seen[i] = true; hits.push(i); } }); });
    var names = firms.slice(0, 10).map(firmName);
    out.textContent = "找到 " + hits.length + " 个产品 / " + hits.length + " products match" +
      (firms.length ? "；企业 firms: " + names.join("、") + (firms.length > 10 ? " 等 " + firms.length + " 家" : "") : "");
    hits.slice(0, 12).forEach(function (i) {
      var li = el("li");
      li.appendChild(productButton(i));
      li.appendChild(el("span", " " + (STAT[P[i].status] || STAT.missing).zh + " · " + P[i].segment, "muted"));
      list.appendChild(li);
    });
    list.hidden = !hits.length;
    highlight(text);
    return hits;
  }
  var searchBox = document.getElementById("search");
  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var hits = search(searchBox.value);
    if (hits.length) { list.hidden = true; focus(hits[0]); }
  });

  /* ---------- the product table (every product, paged) ---------- */
  var PAGE = 100, tableRows = PAGE;
  var tbody = document.querySelector("#product-table tbody");
  var groupSelect = document.getElementById("table-group");
  groups.forEach(function (g) {
    var o = el("option", g.name + "（" + g.members.length + "）");
    o.value = String(g.id);
    groupSelect.appendChild(o);
  });
  function renderTable(reset) {
    if (reset) tableRows = PAGE;
    var gid = groupSelect.value, gapsOnly = document.getElementById("table-gaps").checked;
    var find = document.getElementById("table-find").value.trim().toLowerCase();
    var rows = [];
    for (var i = 0; i < N; i++) {
      if (!passes(i) || (gapsOnly && !P[i].gap) || (gid !== "" && String(groupOf[i]) !== gid)) continue;
      if (find && P[i].name.toLowerCase().indexOf(find) < 0 && P[i].id.toLowerCase().indexOf(find) < 0) continue;
      rows.push(i);
    }
    tbody.textContent = "";
    rows.slice(0, tableRows).forEach(function (i) {
      var m = P[i], p = detail && detail.products[i], tr = el("tr"), td = el("td");
      td.appendChild(productButton(i));
      if (m.focus) td.appendChild(document.createTextNode(" ★"));
      tr.appendChild(td);
      [m.segment, (STAT[m.status] || STAT.missing).zh, KIND_ZH[m.gap] || ""].forEach(function (t) { tr.appendChild(el("td", t)); });
      m.n.forEach(function (v) { tr.appendChild(el("td", v, "num")); });
      tr.appendChild(el("td", p ? p.gaps.map(function (g) { return g.reason; }).join(" / ") : "…"));
      tbody.appendChild(tr);
    });
    document.getElementById("table-count").textContent = "共 " + rows.length + " 行 / rows" +
      (rows.length > tableRows ? "，显示前 " + tableRows + " / first " + tableRows + " shown" : "");
    document.getElementById("table-more").hidden = rows.length <= tableRows;
  }
  groupSelect.addEventListener("change", function () { renderTable(true); });
  document.getElementById("table-gaps").addEventListener("change", function () { renderTable(true); });
  document.getElementById("table-find").addEventListener("input", function () { renderTable(true); });
  document.getElementById("table-more").addEventListener("click", function () { tableRows += PAGE; renderTable(false); });

  /* ---------- start: draw the map, then load the detail ---------- */
  window.chainMap = {
    network: network, nodes: nodes, edges: edges, data: DATA, ready: false, detailReady: false,
    search: search, showProduct: showProduct, focus: function (pid) { focus(at[pid]); }, overview: overview,
    toggleGroup: toggleGroup, groups: groups
  };
  draw();
  renderTable(true);
  network.once("afterDrawing", function () {
    window.chainMap.ready = true;
    chainkgLoad(DATA.detail.src || "", DATA.detail.key).then(function (d) {
      detail = unpackDetail(d);
      firmProducts = {};
      P.forEach(function (m, i) {
        var p = detail.products[i];
        if (!p) return;
        p.local.concat(p.building, p.neighbour, p.targets.map(function (t) { return t.firm; })).forEach(function (id) {
          var l = firmProducts[id] = firmProducts[id] || [];
          if (l[l.length - 1] !== i) l.push(i);
        });
      });
      nodes.update(nodes.get({ filter: function (n) { return n.kind === "product"; } }).map(function (n) {
        return { id: n.id, title: productTip(at[n.product]) };
      }));
      renderTable(false);
      if (shownInPanel) showProduct(shownInPanel);
      if (state.query) search(state.query);
      window.chainMap.detailReady = true;
    }, function (err) {
      document.getElementById("view-note").textContent = "详情数据未能加载 / details could not load: " + err.message;
    });
  });
})();
