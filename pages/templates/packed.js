/* chainkgPacked: the pages' data back from its packed form. A table (pages/packing.py) is packed by
 * column: `cols` holds one list per column, `codes` columns indices into their own few values,
 * `text` columns indices into the data's `texts`,
 * `sparse` columns only their non-empty lists as [row, list], `reason` columns packed reasons
 * (pages/reasons.py, pages/packing.py), written out here exactly as the Python side's reason_zh. */
var chainkgPacked = (function () {
  "use strict";
  var SEPARATOR = "；";
  /* An argument: a name, or a list of names and [name, argument] pairs, written joined with 、 */
  function arg(a, texts) {
    if (!Array.isArray(a)) return texts[a];
    return a.map(function (x) {
      return Array.isArray(x) ? arg(x[0], texts) + "（" + arg(x[1], texts) + "）" : texts[x];
    }).join("、");
  }
  /* A reason: one text, or clause numbers into the data's `clauses` (a clause: a text, or
   * [template, arguments...]), joined with ； and closed with `end`. */
  function reason(packed, data, end) {
    var texts = data.texts;
    if (!Array.isArray(packed)) return texts[packed];
    return packed.map(function (k) {
      var c = data.clauses[k];
      if (!Array.isArray(c)) return texts[c];
      return data.templates[c[0]].map(function (part) {
        return typeof part === "string" ? part : arg(c[1 + part], texts);
      }).join("");
    }).join(SEPARATOR) + end;
  }
  /* The rows of a packed table as records; `data` holds its texts and templates. */
  function records(table, data) {
    var n = table.n, out = new Array(n), i;
    for (i = 0; i < n; i++) out[i] = {};
    Object.keys(table.cols).forEach(function (c) {
      var values = table.cols[c], texts = data.texts;
      if (table.sparse.indexOf(c) >= 0) {
        var full = new Array(n);
        for (i = 0; i < n; i++) full[i] = [];
        values.forEach(function (pair) { full[pair[0]] = pair[1]; });
        values = full;
      }
      var isText = table.text.indexOf(c) >= 0, end = table.reason[c], codes = table.codes[c];
      for (i = 0; i < n; i++) {
        var v = values[i];
        if (codes) v = codes[v];
        if (isText) v = Array.isArray(v) ? v.map(function (k) { return texts[k]; }) : texts[v];
        if (end !== undefined) v = reason(v, data, end);
        out[i][c] = v;
      }
    });
    return out;
  }
  return { records: records, reason: reason };
})();
