/* DOM helpers of the map pages: elements whose text is set with textContent (never parsed as HTML)
 * and whose attributes are set one by one. */
var mapDom = (function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  function make(node, attrs, text) {
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  return {
    el: function (tag, attrs, text) { return make(document.createElement(tag), attrs, text); },
    svg: function (tag, attrs, text) { return make(document.createElementNS(SVG, tag), attrs, text); },
    clear: function (node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  };
})();
