/* chainkgLoad(src, key): load a data file written by pages/shared_assets.write_data_script through a
 * script tag (fetch is blocked under file:// and by the pages' CSP) and resolve with its value. */
(function () {
  "use strict";
  var pending = {};
  window.chainkgLoad = function (src, key) {
    var store = window.chainkgData = window.chainkgData || {};
    if (Object.prototype.hasOwnProperty.call(store, key)) return Promise.resolve(store[key]);
    if (!pending[src]) {
      pending[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(); };
        s.onerror = function () { delete pending[src]; reject(new Error("cannot load " + src)); };
        document.head.appendChild(s);
      });
    }
    return pending[src].then(function () {
      if (!Object.prototype.hasOwnProperty.call(store, key)) throw new Error(src + " did not define " + key);
      return store[key];
    });
  };
})();
