/* Local map (本地产业地图): the home region's districts and parks on a flat plane (km from home), with
 * the firms and projects of each. Data values are set with textContent or as SVG attribute values,
 * never parsed as HTML; the data comes from the page's JSON element. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var W = 820, H = 560, PAD = 60, ROW = 80;
  var byId = {}, firmsOf = {}, projectsOf = {}, children = {};
  data.regions.forEach(function (r) { byId[r.id] = r; firmsOf[r.id] = []; projectsOf[r.id] = []; });
  data.regions.forEach(function (r) { if (byId[r.parent]) (children[r.parent] = children[r.parent] || []).push(r); });
  data.firms.forEach(function (f) { if (firmsOf[f.region]) firmsOf[f.region].push(f); });
  data.projects.forEach(function (p) { if (projectsOf[p.region]) projectsOf[p.region].push(p); });

  var el = mapDom.el, svg = mapDom.svg, clear = mapDom.clear;
  function placed(r) { return r.x !== null && r.x !== undefined; }

  /* Plane -> screen: fit the local regions with coordinates, north up, same scale both ways. */
  var pts = data.regions.filter(placed);
  var minX = Math.min.apply(null, pts.map(function (r) { return r.x; }).concat([0])) - 3;
  var maxX = Math.max.apply(null, pts.map(function (r) { return r.x; }).concat([0])) + 3;
  var minY = Math.min.apply(null, pts.map(function (r) { return r.y; }).concat([0])) - 3;
  var maxY = Math.max.apply(null, pts.map(function (r) { return r.y; }).concat([0])) + 3;
  var scale = Math.min((W - 2 * PAD) / (maxX - minX), (H - 2 * PAD) / (maxY - minY));
  var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  function sx(x) { return W / 2 + (x - cx) * scale; }
  function sy(y) { return H / 2 - (y - cy) * scale; }

  function showRegion(id) {
    var r = byId[id], panel = clear(document.getElementById("panel"));
    panel.appendChild(el("h3", {}, r.name));
    panel.appendChild(el("p", { "class": "muted" }, r.kind_zh + (byId[r.parent] ? " · 属于 " + byId[r.parent].name : "") +
      (placed(r) ? "" : " · 无坐标，示意位置 / no coordinates")));
    if (r.source) panel.appendChild(el("p", { "class": "muted" }, "坐标来源 / source: " + r.source));
    var kids = children[id] || [];
    if (kids.length) {
      var box = panel.appendChild(el("div", { "class": "cities" }));
      kids.forEach(function (k) {
        var b = el("button", { type: "button", "class": "city" }, k.name + " " + firmsOf[k.id].length);
        b.addEventListener("click", function () { showRegion(k.id); });
        box.appendChild(b);
      });
    }
    var firms = firmsOf[id];
    panel.appendChild(el("h4", {}, "企业 / firms（" + firms.length + "）"));
    var ol = panel.appendChild(el("ol", { "class": "firms", id: "region-firms" }));
    firms.forEach(function (f) {
      var li = el("li", { "class": "firm", "data-firm": f.id });
      li.appendChild(el("strong", {}, f.name));
      if (f.leader) li.appendChild(el("span", { "class": "badge role-leader" }, "龙头"));
      if (f.srdi) li.appendChild(el("span", { "class": "badge role-supporting" }, "专精特新 " + f.srdi));
      if (f.makes.length) li.appendChild(el("div", { "class": "reason" }, "产品 / makes: " + f.makes.join("、")));
      ol.appendChild(li);
    });
    var projects = projectsOf[id];
    panel.appendChild(el("h4", {}, "项目 / projects（" + projects.length + "）"));
    var ul = panel.appendChild(el("ul", { id: "region-projects" }));
    projects.forEach(function (p) {
      var li = el("li", { "data-project": p.id });
      li.appendChild(el("strong", {}, p.name));
      li.appendChild(el("div", { "class": "reason" }, [p.status, p.amount !== null ? p.amount + " 亿元" : "", p.date,
        p.investor ? "投资方 " + p.investor : "", p.products.length ? "产品 " + p.products.join("、") : ""]
        .filter(Boolean).join(" · ")));
      ul.appendChild(li);
    });
    document.querySelectorAll("#local-svg .region").forEach(function (g) {
      g.setAttribute("class", "region" + (g.getAttribute("data-region") === id ? " selected" : ""));
    });
  }

  function drawMap() {
    var unplaced = data.regions.filter(function (r) { return !placed(r); });
    var height = H + (unplaced.length ? ROW : 0);
    var root = svg("svg", { id: "local-svg", width: W, height: height, viewBox: "0 0 " + W + " " + height });
    var bar = 10 * scale >= 40 ? 10 : 5;  /* scale bar: 10 km, or 5 km when 10 would be short */
    root.appendChild(svg("line", { x1: 16, y1: 24, x2: 16 + bar * scale, y2: 24, stroke: "#424242", "stroke-width": 2 }));
    root.appendChild(svg("text", { x: 16, y: 18, "class": "muted-text" }, bar + " 公里 / km"));
    root.appendChild(svg("text", { x: W - 16, y: 20, "text-anchor": "end", "class": "muted-text" }, "↑ 北 N"));
    var labels = [];  /* boxes of edge labels already placed: move a new one until it overlaps none */
    function freeSpot(x, y, width) {
      var step = y > H / 2 ? -15 : 15;
      for (var tries = 0; tries < 30; tries++, y += step) {
        var hit = labels.some(function (b) { return Math.abs(b.y - y) < 14 && x < b.x + b.w && b.x < x + width; });
        if (!hit) break;
      }
      labels.push({ x: x, y: y, w: width });
      return y;
    }
    function inFrame(n) { var x = sx(n.x), y = sy(n.y); return x > 8 && x < W - 8 && y > 8 && y < H - 8; }
    var near = data.neighbours.filter(placed);  /* the ones inside the frame first: their labels are fixed */
    near.filter(inFrame).concat(near.filter(function (n) { return !inFrame(n); })).forEach(function (n) {
      var x = sx(n.x), y = sy(n.y), inside = inFrame(n);
      var g = svg("g", { "class": "neighbour", "data-region": n.id });
      g.appendChild(svg("title", {}, n.name + " " + n.km + " km"));
      if (inside) {
        g.appendChild(svg("circle", { cx: x, cy: y, r: 5, fill: "#cfd8dc" }));
        g.appendChild(svg("text", { x: x + 8, y: y + 4, "class": "muted-text" }, n.name));
        labels.push({ x: x + 8, y: y + 4, w: 11 * n.name.length });
      } else {
        var label = (x < W / 2 ? "← " : "") + n.name + " " + n.km + " km" + (x >= W / 2 ? " →" : "");
        var width = 11 * label.length, left = x < W / 2;
        var ex = left ? 8 : W - 8 - width, ey = freeSpot(ex, Math.max(14, Math.min(H - 8, y)), width);
        g.appendChild(svg("text", { x: left ? ex : W - 8, y: ey, "class": "muted-text", "text-anchor": left ? "start" : "end" },
          label));
      }
      root.appendChild(g);
    });
    data.regions.forEach(function (r, i) {
      var x, y;
      if (placed(r)) { x = sx(r.x); y = sy(r.y); }
      else { x = 60 + (i % 8) * 95; y = H + ROW / 2; }
      var n = firmsOf[r.id].length, p = projectsOf[r.id].length;
      var g = svg("g", { "class": "region", "data-region": r.id, tabindex: "0", role: "button" });
      g.appendChild(svg("title", {}, r.name));
      var size = 8 + 3 * Math.sqrt(n);
      if (r.id === data.home.id) {
        g.appendChild(svg("text", { x: x, y: y + 8, "text-anchor": "middle", "class": "home-mark" }, "★"));
      } else if (r.kind === "park") {
        g.appendChild(svg("rect", { x: x - size, y: y - size, width: 2 * size, height: 2 * size, rx: 4,
                                    fill: "#c8e6c9", stroke: "#2e7d32", "class": "shape" }));
      } else {
        g.appendChild(svg("circle", { cx: x, cy: y, r: size, fill: "#bbdefb", stroke: "#1565c0", "class": "shape" }));
      }
      g.appendChild(svg("text", { x: x + size + 4, y: y - 2, "class": "region-name" }, r.name));
      g.appendChild(svg("text", { x: x + size + 4, y: y + 13, "class": "muted-text" },
        "企业 " + n + (p ? " · 项目 " + p : "") + (placed(r) ? "" : " · 示意位置")));
      g.addEventListener("click", function () { showRegion(r.id); });
      g.addEventListener("keydown", function (e) { if (e.key === "Enter") showRegion(r.id); });
      root.appendChild(g);
    });
    if (unplaced.length) {
      root.appendChild(svg("line", { x1: 0, y1: H, x2: W, y2: H, stroke: "#bdbdbd", "stroke-dasharray": "4 3" }));
      root.appendChild(svg("text", { x: 8, y: H + 14, "class": "muted-text" }, "无坐标的区域（示意位置）/ regions without coordinates"));
    }
    document.getElementById("local-map").appendChild(root);
  }

  function drawTable() {
    var body = document.querySelector("#region-table tbody");
    data.regions.forEach(function (r) {
      var tr = el("tr", { "data-region": r.id });
      var a = el("a", { href: "#panel" }, r.name);
      a.addEventListener("click", function (e) { e.preventDefault(); showRegion(r.id); });
      tr.appendChild(el("td", {})).appendChild(a);
      tr.appendChild(el("td", {}, r.kind_zh));
      tr.appendChild(el("td", { "class": "num" }, firmsOf[r.id].length));
      tr.appendChild(el("td", { "class": "num" }, projectsOf[r.id].length));
      body.appendChild(tr);
    });
  }

  drawMap();
  drawTable();
  window.localMap = { data: data, showRegion: showRegion, ready: true };
})();
