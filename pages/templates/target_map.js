/* Target map (招商地图): province tiles, a side panel per province/city, trip lists, neighbours.
 * Everything from the data is set with textContent or as an SVG attribute value: never parsed as
 * HTML. The page's own data (tiles, trips, neighbours) is its JSON element; the targets and firms
 * are the site's lists and the firms' places, loaded as local data scripts (chainkgLoad; inlined
 * when the page stands alone). Nothing is fetched. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  /* The site's lists and the firms' places (pages/lists.py, pages/target_map.py) as records: a
   * target with its chain, product, kind and role words and its reason; a firm with its place. */
  function unpack(lists, places) {
    var P = chainkgPacked, chains = P.records(lists.chains, lists), links = P.records(lists.links, lists);
    var at = P.records(places.places, places);
    data.firms = P.records(lists.firms, lists).map(function (f, i) {
      Object.keys(at[i]).forEach(function (k) { f[k] = at[i][k]; });
      return f;
    });
    data.targets = P.records(lists.targets, lists).map(function (t) {
      var link = links[t.link], chain = chains[link.chain];
      return { chain_id: chain.id, chain_name: chain.name, product_name: link.product, kind: link.kind,
               kind_zh: link.kind_zh, focus: !!link.focus, role: t.role, role_zh: t.role_zh, rank: t.rank,
               score: t.score, reason_zh: t.reason, firm: t.firm };
    });
  }
  var TILE_W = 92, TILE_H = 74, GAP = 6;
  var ROLE_COLOUR = { leader: "#c62828", supporting: "#1565c0" };
  var state = { chain: "", roles: { leader: true, supporting: true }, focusOnly: false, view: null, trip: null };
  var provinceByCode = {}, tiles = {};
  data.provinces.forEach(function (p) { provinceByCode[p.code] = p; });

  var el = mapDom.el, svg = mapDom.svg, clear = mapDom.clear;

  function passes(t) {
    return (!state.chain || t.chain_id === state.chain) && state.roles[t.role] === true &&
      (!state.focusOnly || t.focus);
  }
  var targetsOf = {};  /* province code -> its targets, so a tile or panel reads only its own */
  function poolOf(codes) {
    return codes.reduce(function (all, c) { return all.concat(targetsOf[c] || []); }, []);
  }
  /* Firms (with their targets passing the filters) among `pool` for which keep(firm) holds, best first. */
  function firmsWhere(keep, pool) {
    var byFirm = {};
    (pool || data.targets).forEach(function (t) {
      if (!passes(t)) return;
      var f = data.firms[t.firm];
      if (!keep(f)) return;
      (byFirm[t.firm] = byFirm[t.firm] || { firm: f, index: t.firm, targets: [] }).targets.push(t);
    });
    var list = Object.keys(byFirm).map(function (k) { return byFirm[k]; });
    list.forEach(function (e) {
      e.targets.sort(function (a, b) { return (b.score || 0) - (a.score || 0); });
      e.best = e.targets[0].score || 0;
      e.role = e.targets.some(function (t) { return t.role === "leader"; }) ? "leader" : "supporting";
    });
    list.sort(function (a, b) { return b.best - a.best || a.firm.name.localeCompare(b.firm.name, "zh-CN"); });
    return list;
  }
  function summary(list) {
    var s = { firms: list.length, targets: 0, leader: 0, supporting: 0, focus: 0 };
    list.forEach(function (e) {
      s.targets += e.targets.length;
      s[e.role] += 1;
      if (e.targets.some(function (t) { return t.focus; })) s.focus += 1;
    });
    return s;
  }
  function inProvince(code) { return function (f) { return f.province === code; }; }
  function inTrip(trip) {
    return function (f) { return trip.provinces.indexOf(f.province) >= 0 || trip.cities.indexOf(f.city) >= 0; };
  }
  function distanceText(f) {
    if (f.km === null || f.km === undefined) return "距离未知 / distance unknown";
    if (f.km_level === "province") return "约 " + f.km + " km（按省中心估算 / from the province centre）";
    return f.km + " km";
  }
  function cityName(f) {
    if (!f.province) return ((f.province_text || "") + " " + (f.city_text || "")).trim() + "（未识别 / not resolved）";
    if (f.city && data.cities[f.city]) return data.cities[f.city].name;
    return f.city_text ? f.city_text + "（未识别）" : "（城市未填）";
  }
  function heat(n, max) {
    if (!n) return "#ffffff";
    var x = max > 1 ? Math.log(n) / Math.log(max) : 1;  /* 0..1 */
    var a = [255, 224, 178], b = [230, 81, 0];
    return "rgb(" + a.map(function (v, i) { return Math.round(v + (b[i] - v) * x); }).join(",") + ")";
  }

  /* ---- the tile schematic ---- */
  function drawTiles() {
    var box = document.getElementById("tile-map");
    var width = data.grid.columns * TILE_W, height = data.grid.rows * TILE_H;
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, id: "tile-svg",
                            role: "img", "aria-label": "省级行政区示意图（非地图）" });
    data.provinces.forEach(function (p) {
      var g = svg("g", { "class": "tile", "data-code": p.code, tabindex: "0", role: "button" });
      var x = p.col * TILE_W, y = p.row * TILE_H, w = p.width * TILE_W - GAP, h = TILE_H - GAP;
      var rect = svg("rect", { x: x, y: y, width: w, height: h, rx: 6, "class": "tile-box" });
      var name = svg("text", { x: x + 8, y: y + 18, "class": "tile-name" }, p.short);
      var count = svg("text", { x: x + w / 2, y: y + 40, "class": "tile-count", "text-anchor": "middle" });
      var focus = svg("text", { x: x + w - 6, y: y + 55, "class": "tile-focus", "text-anchor": "end" });
      var lead = svg("rect", { x: x + 6, y: y + h - 9, height: 5, width: 0, fill: ROLE_COLOUR.leader });
      var supp = svg("rect", { x: x + 6, y: y + h - 9, height: 5, width: 0, fill: ROLE_COLOUR.supporting });
      var title = svg("title", {}, p.name);
      [title, rect, name, count, focus, lead, supp].forEach(function (n) { g.appendChild(n); });
      if (p.code === data.home.province) {
        g.appendChild(svg("text", { x: x + w - 8, y: y + 18, "text-anchor": "end", "class": "tile-home" },
                          "★ " + data.home.display));
      }
      g.addEventListener("click", function () { showProvince(p.code, null); });
      g.addEventListener("keydown", function (e) { if (e.key === "Enter") showProvince(p.code, null); });
      tiles[p.code] = { g: g, rect: rect, count: count, focus: focus, lead: lead, supp: supp, w: w - 12 };
      root.appendChild(g);
    });
    box.appendChild(root);
  }
  function paintTiles() {
    var counts = {}, max = 0;
    data.provinces.forEach(function (p) {
      counts[p.code] = summary(firmsWhere(inProvince(p.code), targetsOf[p.code] || []));
      max = Math.max(max, counts[p.code].firms);
    });
    var trip = state.trip;
    data.provinces.forEach(function (p) {
      var t = tiles[p.code], s = counts[p.code];
      t.rect.setAttribute("fill", heat(s.firms, max));
      t.count.textContent = s.firms ? String(s.firms) : "";
      t.focus.textContent = s.focus ? "重点 " + s.focus : "";
      t.g.setAttribute("data-firms", String(s.firms));
      t.g.setAttribute("data-targets", String(s.targets));
      var lw = s.firms ? Math.round(t.w * s.leader / s.firms) : 0;
      t.lead.setAttribute("width", String(lw));
      t.supp.setAttribute("x", String(Number(t.lead.getAttribute("x")) + lw));
      t.supp.setAttribute("width", String(s.firms ? t.w - lw : 0));
      var selected = state.view && state.view.province === p.code;
      var tripped = trip && (trip.provinces.indexOf(p.code) >= 0 ||
        trip.cities.some(function (c) { return c.slice(0, 2) === p.code; }));
      t.g.setAttribute("class", "tile" + (selected ? " selected" : "") + (tripped ? " in-trip" : ""));
    });
    var all = summary(firmsWhere(function () { return true; }));
    document.getElementById("filter-count").textContent =
      "显示 " + all.firms + " 家企业、" + all.targets + " 条目标 / showing " + all.firms + " firms, " + all.targets + " targets";
  }

  /* ---- lists ---- */
  function targetLine(t) {
    var li = el("li", { "class": "target" });
    li.appendChild(el("span", { "class": "badge role-" + t.role }, t.role_zh));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("b", {}, t.product_name));
    li.appendChild(el("span", { "class": "muted" }, "（" + t.chain_name + " · " + t.kind_zh + (t.focus ? " · 重点" : "") +
      " · 第 " + t.rank + " 名 · 得分 " + t.score + "）"));
    li.appendChild(el("div", { "class": "reason" }, t.reason_zh));
    return li;
  }
  var PAGE = 100;  /* firms drawn at once in a list; the rest one click away */
  function firmList(list) {
    var ol = el("ol", { "class": "firms" });
    var box = el("div", {});
    box.appendChild(ol);
    function more(from) {
      list.slice(from, from + PAGE).forEach(function (e) { ol.appendChild(firmItem(e)); });
      if (from + PAGE < list.length) {
        var b = el("button", { type: "button", "class": "more" }, "再显示 " + Math.min(PAGE, list.length - from - PAGE) +
          " 家（共 " + list.length + " 家）/ show more");
        b.addEventListener("click", function () { box.removeChild(b); more(from + PAGE); });
        box.appendChild(b);
      }
    }
    more(0);
    return box;
  }
  function firmItem(e) {
    var f = e.firm;
    var li = el("li", { "class": "firm", "data-firm": f.id });
    var head = el("div", { "class": "firm-head" });
    head.appendChild(el("span", { "class": "dot role-" + e.role }));
    head.appendChild(el("strong", { "class": "firm-name" }, f.name));
    head.appendChild(el("span", { "class": "muted" }, " " + placeName(f) + " · " + distanceText(f) +
      (f.listed ? " · " + f.listed : "") + (f.srdi ? " · 专精特新 " + f.srdi : "")));
    li.appendChild(head);
    var ul = el("ul", {});
    e.targets.forEach(function (t) { ul.appendChild(targetLine(t)); });
    li.appendChild(ul);
    return li;
  }
  function summaryLine(s) {
    return el("p", { "class": "summary" }, s.firms + " 家企业、" + s.targets + " 条目标（龙头 " + s.leader + "，配套 " +
      s.supporting + "，涉及重点产品 " + s.focus + "）/ " + s.firms + " firms, " + s.targets + " targets");
  }

  function showProvince(code, city) {
    state.view = { province: code, city: city };
    var p = provinceByCode[code];
    var panel = clear(document.getElementById("panel"));
    var all = firmsWhere(inProvince(code), targetsOf[code] || []);
    panel.appendChild(el("h3", {}, p.name));
    var byCity = {};
    all.forEach(function (e) {
      var key = e.firm.city || "";
      (byCity[key] = byCity[key] || []).push(e);
    });
    var cityBox = el("div", { "class": "cities" });
    var allBtn = el("button", { type: "button", "class": city === null ? "city active" : "city" },
                    "全部 / all (" + all.length + ")");
    allBtn.addEventListener("click", function () { showProvince(code, null); });
    cityBox.appendChild(allBtn);
    Object.keys(byCity).sort(function (a, b) { return byCity[b].length - byCity[a].length || a.localeCompare(b); })
      .forEach(function (c) {
        var near = byCity[c].reduce(function (m, e) { return e.firm.km !== null && e.firm.km < m ? e.firm.km : m; }, Infinity);
        var label = (c ? cityName(byCity[c][0].firm) : "（城市未识别）") + " " + byCity[c].length +
          (isFinite(near) ? " · " + near + " km" : "");
        var b = el("button", { type: "button", "class": city === c ? "city active" : "city", "data-city": c }, label);
        b.addEventListener("click", function () { showProvince(code, c); });
        cityBox.appendChild(b);
      });
    panel.appendChild(cityBox);
    var shown = city === null ? all : (byCity[city] || []);
    panel.appendChild(summaryLine(summary(shown)));
    if (!shown.length) panel.appendChild(el("p", { "class": "muted" }, "没有符合筛选条件的目标企业。/ No target firm matches the filters."));
    panel.appendChild(firmList(shown));
    paintTiles();
  }

  /* ---- trips ---- */
  function placeName(f) {
    var province = provinceByCode[f.province] ? provinceByCode[f.province].name : "", city = cityName(f);
    return city === province ? city : (province + " " + city).trim();
  }
  /* The printable list of a trip: one row per firm, one line per target, a blank column for notes. */
  function tripTable(list) {
    var table = el("table", { "class": "plain trip-table" });
    var head = el("tr", {});
    ["序号 no.", "企业 firm", "地点 place", "距离 distance", "角色 role", "对接产品与理由 gap products and reasons", "拜访记录 notes"]
      .forEach(function (h) { head.appendChild(el("th", {}, h)); });
    table.appendChild(el("thead", {})).appendChild(head);
    var body = table.appendChild(el("tbody", {}));
    list.forEach(function (e, i) {
      var f = e.firm, tr = el("tr", { "data-firm": f.id });
      tr.appendChild(el("td", { "class": "num" }, i + 1));
      tr.appendChild(el("td", {}, f.name));
      tr.appendChild(el("td", {}, placeName(f)));
      tr.appendChild(el("td", {}, distanceText(f)));
      tr.appendChild(el("td", {}, e.role === "leader" ? "龙头" : "配套"));
      var cell = el("td", {});
      e.targets.forEach(function (t) {
        cell.appendChild(el("div", { "class": "target" }, t.product_name + "（" + t.chain_name + " · " + t.kind_zh + " · " +
          t.role_zh + "）：" + t.reason_zh));
      });
      tr.appendChild(cell);
      tr.appendChild(el("td", {}));
      body.appendChild(tr);
    });
    return table;
  }
  function tripMembers(trip) { return trip.labels.join("、"); }
  function tripList(trip) {
    var codes = trip.provinces.concat(trip.cities.map(function (c) { return c.slice(0, 2); }));
    var list = firmsWhere(inTrip(trip), poolOf(codes.filter(function (c, i) { return codes.indexOf(c) === i; })));
    list.sort(function (a, b) {
      return (a.firm.province + a.firm.city).localeCompare(b.firm.province + b.firm.city) || b.best - a.best;
    });
    return list;
  }
  function showTrip(i) {
    var trip = data.trips[i];
    state.trip = trip;
    state.view = null;
    var panel = clear(document.getElementById("panel"));
    panel.appendChild(el("h3", {}, "招商路线：" + trip.name));
    panel.appendChild(el("p", { "class": "muted" }, "范围 / covers: " + (tripMembers(trip) || "—")));
    var list = tripList(trip);
    panel.appendChild(summaryLine(summary(list)));
    var print = el("button", { type: "button", id: "print-trip" }, "打印本路线清单 / print this trip's list");
    print.addEventListener("click", function () { printTrip(i); });
    panel.appendChild(print);
    panel.appendChild(firmList(list));
    paintTiles();
  }
  function printTrip(i) {
    var trip = data.trips[i], area = clear(document.getElementById("print-area"));
    var list = tripList(trip);
    area.appendChild(el("h1", {}, data.home.display + "招商路线清单：" + trip.name));
    area.appendChild(el("p", {}, "范围：" + tripMembers(trip) + "；" + summaryLine(summary(list)).textContent +
      (state.chain || state.focusOnly || !state.roles.leader || !state.roles.supporting ? "（已按页面筛选）" : "")));
    area.appendChild(tripTable(list));
    window.print();
  }
  function drawTrips() {
    var box = clear(document.getElementById("trips"));
    if (!data.trips.length) {
      box.appendChild(el("p", { "class": "muted" }, "设置文件中没有 [trip_groups]。/ No [trip_groups] in the settings."));
    }
    data.trips.forEach(function (trip, i) {
      var s = summary(tripList(trip));
      var card = el("div", { "class": "card trip", "data-trip": trip.name });
      card.appendChild(el("h3", {}, trip.name));
      card.appendChild(el("p", { "class": "muted" }, tripMembers(trip)));
      card.appendChild(el("p", { "class": "trip-count" }, s.firms + " 家企业 · " + s.targets + " 条目标"));
      if (trip.unknown.length) {
        card.appendChild(el("p", { "class": "warn" }, "未识别的地名 / unknown places: " + trip.unknown.join("、")));
      }
      var b = el("button", { type: "button", "class": "show-trip" }, "查看清单 / show list");
      b.addEventListener("click", function () { showTrip(i); });
      card.appendChild(b);
      box.appendChild(card);
    });
  }

  /* ---- home and neighbours ---- */
  function drawNeighbours() {
    var box = clear(document.getElementById("neighbours"));
    var firmById = {};
    data.firms.forEach(function (f) { firmById[f.id] = f; });
    box.appendChild(el("p", {}, "以" + data.home.display + "为中心、" + data.radius_km + " 公里以内的区域（“区域”表）/ regions within " +
      data.radius_km + " km of " + data.home.display));
    var ul = box.appendChild(el("ul", { "class": "neighbour-list" }));
    data.neighbours.forEach(function (n) {
      var li = el("li", { "data-region": n.id }, n.name + "（" + n.km + " 公里）");
      if (n.firms.length) {
        li.appendChild(el("span", { "class": "muted" }, " 目标企业 " + n.firms.length + " 家：" +
          n.firms.map(function (id) { return firmById[id] ? firmById[id].name : id; }).join("、")));
      }
      ul.appendChild(li);
    });
    if (!data.neighbours.length) box.appendChild(el("p", { "class": "muted" }, "“区域”表中没有周边区域。/ No neighbouring region in the regions table."));
    var size = 280, c = size / 2, scale = (c - 24) / data.radius_km;
    var root = svg("svg", { width: size, height: size, viewBox: "0 0 " + size + " " + size, id: "neighbour-svg" });
    root.appendChild(svg("circle", { cx: c, cy: c, r: data.radius_km * scale, "class": "radius" }));
    root.appendChild(svg("text", { x: c, y: 14, "text-anchor": "middle", "class": "muted-text" }, data.radius_km + " 公里 / km"));
    data.neighbours.forEach(function (n) {
      if (n.x === null || n.x === undefined) return;
      var x = c + n.x * scale, y = c - n.y * scale;
      var g = svg("g", { "class": "neighbour" });
      g.appendChild(svg("title", {}, n.name + " " + n.km + " km"));
      g.appendChild(svg("circle", { cx: x, cy: y, r: n.firms.length ? 6 : 4, "class": n.firms.length ? "has-firms" : "" }));
      root.appendChild(g);
    });
    root.appendChild(svg("text", { x: c, y: c + 5, "text-anchor": "middle", "class": "home-mark" }, "★"));
    root.appendChild(svg("text", { x: c, y: c + 22, "text-anchor": "middle", "class": "home-name" }, data.home.display));
    clear(document.getElementById("neighbour-map")).appendChild(root);
  }
  function drawUnresolved() {
    var box = clear(document.getElementById("unresolved"));
    var list = firmsWhere(function (f) { return !f.province; }, targetsOf[""] || []);
    if (!list.length) {
      box.appendChild(el("p", { "class": "muted" }, "全部目标企业均已定位到省份。/ Every target firm was placed in a province."));
      return;
    }
    box.appendChild(el("p", { "class": "warn" }, list.length + " 家企业的省份无法识别，未计入地图，请在企业表中补全省份、城市：" +
      " / firms whose province could not be resolved are not on the map; fill in province and city:"));
    box.appendChild(firmList(list));
  }

  function refresh() {
    if (state.view) showProvince(state.view.province, state.view.city);
    else if (state.trip) showTrip(data.trips.indexOf(state.trip));
    else paintTiles();
    drawTrips();
    drawUnresolved();
  }
  function wireFilters() {
    var select = document.getElementById("chain-filter");
    data.chains.forEach(function (c) { select.appendChild(el("option", { value: c.id }, c.name)); });
    select.addEventListener("change", function () { state.chain = select.value; refresh(); });
    ["leader", "supporting"].forEach(function (role) {
      var box = document.getElementById("role-" + role);
      box.addEventListener("change", function () { state.roles[role] = box.checked; refresh(); });
    });
    var focus = document.getElementById("focus-only");
    focus.addEventListener("change", function () { state.focusOnly = focus.checked; refresh(); });
  }

  var sources = data.sources;
  Promise.all([chainkgLoad(sources.lists.src || "", sources.lists.key),
               chainkgLoad(sources.places.src || "", sources.places.key)]).then(function (loaded) {
    unpack(loaded[0], loaded[1]);
    data.targets.forEach(function (t) {
      var code = data.firms[t.firm].province;
      (targetsOf[code] = targetsOf[code] || []).push(t);
    });
    drawTiles();
    wireFilters();
    drawNeighbours();
    refresh();
    window.targetMap = { data: data, state: state, firmsWhere: firmsWhere, showProvince: showProvince,
                         showTrip: showTrip, ready: true };
  }, function (err) {
    document.getElementById("panel").textContent = "目标企业数据未能加载 / the target data could not load: " + err.message;
  });
})();
