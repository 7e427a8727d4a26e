/* geoprestatie web maps: one copy of the geometry, views restyle it on the client.
 * Every text from the data is put into the page with textContent (never innerHTML), so a
 * buurt name or a label is shown as text whatever characters it holds. The two Leaflet
 * APIs that take HTML (layer names in the layer control, attributions) get the text
 * through asHtml() first.
 * window.gpMaps lists the maps of the page (for tests and the browser check). */
(function () {
  "use strict";
  window.gpMaps = window.gpMaps || [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // text as HTML that shows exactly that text (for Leaflet APIs that set innerHTML)
  function asHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // Leaflet's EPSG:3857 at zoom 0 (256 px for the world): x, y from lon, lat
  var R = 6378137, RAD = Math.PI / 180, K = 0.5 / (Math.PI * R), MAXLAT = 85.0511287798;
  function px(lon) { return 256 * (K * R * lon * RAD + 0.5); }
  function py(lat) {
    var s = Math.sin(Math.max(Math.min(MAXLAT, lat), -MAXLAT) * RAD);
    return 256 * (-K * R * Math.log((1 + s) / (1 - s)) / 2 + 0.5);
  }

  function line(flat, origin, scale) {
    // [x0, y0, dx1, dy1, ...] in integer units of 1/scale degree, relative to origin,
    // to zoom-0 pixels [x0, y0, x1, y1, ...]
    var out = new Float64Array(flat.length), x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out[i] = px((x + origin[0]) / scale); out[i + 1] = py((y + origin[1]) / scale);
    }
    return out;
  }

  function joinArcs(arcs, refs) {
    // a ring from arc references (i, or ~i for arc i reversed); shared points once
    var n = 0, r, a, i, j, o = 0;
    for (i = 0; i < refs.length; i++) { n += arcs[refs[i] < 0 ? ~refs[i] : refs[i]].length - 2; }
    var out = new Float64Array(n + 2);
    for (i = 0; i < refs.length; i++) {
      r = refs[i]; a = arcs[r < 0 ? ~r : r];
      var m = a.length / 2, skip = i ? 1 : 0;
      for (j = skip; j < m; j++) {
        var k = r < 0 ? m - 1 - j : j;
        out[o++] = a[2 * k]; out[o++] = a[2 * k + 1];
      }
    }
    return out.subarray(0, o);
  }

  function bbox(list) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    list.forEach(function (a) {
      for (var i = 0; i < a.length; i += 2) {
        if (a[i] < b[0]) { b[0] = a[i]; } if (a[i] > b[2]) { b[2] = a[i]; }
        if (a[i + 1] < b[1]) { b[1] = a[i + 1]; } if (a[i + 1] > b[3]) { b[3] = a[i + 1]; }
      }
    });
    return b;
  }

  function shapes(geom, arcs, origin, scale) {
    // per feature: its rings as zoom-0 pixel arrays (arc references or own coordinates)
    return geom.map(function (polys) {
      var rings = [];
      polys.forEach(function (poly) {
        poly.forEach(function (r) { rings.push(arcs ? joinArcs(arcs, r) : line(r, origin, scale)); });
      });
      return {rings: rings, box: bbox(rings)};
    });
  }

  function inside(rings, x, y) {
    // even-odd rule over every ring of a feature (holes and parts alike)
    var c = false;
    rings.forEach(function (a) {
      for (var i = 0, j = a.length - 2; i < a.length; j = i, i += 2) {
        if ((a[i + 1] > y) !== (a[j + 1] > y) &&
            x < (a[j] - a[i]) * (y - a[i + 1]) / (a[j + 1] - a[i + 1]) + a[i]) { c = !c; }
      }
    });
    return c;
  }

  function nearLine(a, x, y, d) {
    // is (x, y) within d of the polyline a (zoom-0 pixels)?
    for (var i = 2; i < a.length; i += 2) {
      var x1 = a[i - 2], y1 = a[i - 1], dx = a[i] - x1, dy = a[i + 1] - y1;
      var t = dx || dy ? ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy) : 0;
      t = Math.max(0, Math.min(1, t));
      var ex = x1 + t * dx - x, ey = y1 + t * dy - y;
      if (ex * ex + ey * ey <= d * d) { return true; }
    }
    return false;
  }

  function trace(ctx, a, k, ox, oy, close) {
    // the line in layer pixels; points closer than ~1 px to the last drawn one are skipped
    var n = a.length, x = a[0] * k - ox, y = a[1] * k - oy, lx = x, ly = y;
    ctx.moveTo(x, y);
    for (var i = 2; i < n; i += 2) {
      x = a[i] * k - ox; y = a[i + 1] * k - oy;
      if (i < n - 2 && Math.abs(x - lx) + Math.abs(y - ly) < 0.9) { continue; }
      ctx.lineTo(x, y); lx = x; ly = y;
    }
    if (close) { ctx.closePath(); }
  }

  function meets(b, v) { return b[0] <= v[2] && b[2] >= v[0] && b[1] <= v[3] && b[3] >= v[1]; }

  function tooltipContent(keys, cols, labels, i) {
    var table = el("table", "gp-tip");
    keys.forEach(function (k) {
      var v = cols[k] ? cols[k][i] : null;
      if (v === null || v === undefined || v === "") { return; }
      var tr = el("tr"), td = el("td");
      tr.appendChild(el("th", null, labels[k] || k));
      [].concat(v).forEach(function (line, j) {
        if (j) { td.appendChild(el("br")); }
        td.appendChild(document.createTextNode(String(line)));
      });
      tr.appendChild(td);
      table.appendChild(tr);
    });
    return table;
  }

  function legendContent(legend) {
    var box = el("div");
    box.appendChild(el("h4", null, legend.title));
    legend.rows.forEach(function (row) {
      var r = el("div", "gp-row"), sw = el("span", "gp-sw");
      sw.style.cssText = row[0];
      r.appendChild(sw);
      r.appendChild(el("span", null, row[1]));
      box.appendChild(r);
    });
    if (legend.note) { box.appendChild(el("div", "gp-note", legend.note)); }
    return box;
  }

  function boxControl(map, position, cls, content) {
    var C = L.Control.extend({
      onAdd: function () {
        var div = el("div", "gp-box " + cls);
        div.appendChild(content);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    var c = new C({position: position});
    c.addTo(map);
    return c;
  }

  function labelLayer(map, labels, cls, minZoom) {
    var group = L.layerGroup();
    var markers = labels.map(function (l) {
      var span = el("div", null, l[2]);
      return L.marker([l[0], l[1]], {
        icon: L.divIcon({className: "gp-label " + cls, html: span, iconSize: null}),
        interactive: false, keyboard: false
      });
    });
    function update() {
      group.clearLayers();
      if (map.getZoom() < (minZoom || 0)) { return; }
      var b = map.getBounds().pad(0.2);
      markers.forEach(function (m) { if (b.contains(m.getLatLng())) { group.addLayer(m); } });
    }
    map.on("zoomend moveend", update);
    update();
    return group;
  }

  // One canvas for everything drawn from the data: the buurten filled one colour class at
  // a time (one path per class), every shared border stroked once, flags, context borders
  // and outline overlays. Leaflet's canvas renderer does the panning/zooming of the canvas;
  // no Leaflet layer (nor a LatLng) per buurt is made.
  var Areas = L.Canvas.extend({
    initialize: function (gp, options) { L.Canvas.prototype.initialize.call(this, options); this._gp = gp; },
    onAdd: function () { L.Canvas.prototype.onAdd.call(this); this._gp.paint(); },
    _updatePaths: function () { if (!this._postponeUpdatePaths) { this._gp.paint(); } },
    _handleMouseHover: function (e, point) { this._gp.hover(point, e); },
    _handleMouseOut: function () { this._gp.hover(null); },
    _onClick: function (e) { this._gp.hover(this._map.mouseEventToLayerPoint(e), e); }
  });

  function strokeStyle(ctx, st) {
    ctx.strokeStyle = st.color || "#3388ff";
    ctx.lineWidth = st.weight === undefined ? 3 : st.weight;
    ctx.globalAlpha = st.opacity === undefined ? 1 : st.opacity;
    ctx.setLineDash(st.dashArray ? String(st.dashArray).split(/[ ,]+/).map(Number) : []);
  }

  window.gpMap = function (map, spec) {
    var t0 = window.performance ? performance.now() : 0;
    var areas = spec.areas, n = areas.geom.length;
    var arcs = (spec.arcs || []).map(function (a) { return line(a, spec.origin, spec.scale); });
    var arcBox = arcs.map(function (a) { return bbox([a]); });
    var feats = shapes(areas.geom, arcs, spec.origin, spec.scale);
    var overlays = (spec.overlays || []).map(function (ov) {
      return ov.kind === "border" ? {ov: ov, arcs: ov.geom}
        : {ov: ov, feats: shapes(ov.geom, null, spec.origin, spec.scale)};
    });
    var state = {view: spec.initial || 0, flags: {}, shown: {}, tipFor: null};
    (spec.flags || []).forEach(function (f, j) { state.flags[j] = !!f.show; });
    overlays.forEach(function (o, j) { state.shown[j] = !!o.ov.show; });
    var drawn = feats.filter(function (f) { return f.rings.length; }).length;

    // a grid of the features' boxes for finding the buurt under the pointer
    var all = bbox(feats.filter(function (f) { return f.rings.length; }).map(function (f) {
      return new Float64Array(f.box); }));
    var G = Math.max(1, Math.min(256, Math.ceil(Math.sqrt(n)))), grid = [];
    var gw = (all[2] - all[0]) / G || 1, gh = (all[3] - all[1]) / G || 1;
    function cell(x, lim, w) { return Math.max(0, Math.min(G - 1, Math.floor((x - lim) / w))); }
    feats.forEach(function (f, i) {
      if (!f.rings.length) { return; }
      for (var cx = cell(f.box[0], all[0], gw); cx <= cell(f.box[2], all[0], gw); cx++) {
        for (var cy = cell(f.box[1], all[1], gh); cy <= cell(f.box[3], all[1], gh); cy++) {
          (grid[cx * G + cy] = grid[cx * G + cy] || []).push(i);
        }
      }
    });
    function featureAt(x, y) {
      if (x < all[0] || x > all[2] || y < all[1] || y > all[3]) { return -1; }
      var list = grid[cell(x, all[0], gw) * G + cell(y, all[1], gh)] || [];
      for (var j = 0; j < list.length; j++) {
        var f = feats[list[j]], b = f.box;
        if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && inside(f.rings, x, y)) { return list[j]; }
      }
      return -1;
    }

    var layer = new Areas({
      paint: function () { paint(); },
      hover: function (point, e) { hover(point, e); }
    }, {padding: 0.3});

    function frame() {
      var z = map.getZoom(), k = Math.pow(2, z), po = map.getPixelOrigin(), b = layer._bounds;
      return {z: z, k: k, ox: po.x, oy: po.y, b: b,
              view: [(b.min.x + po.x) / k, (b.min.y + po.y) / k, (b.max.x + po.x) / k, (b.max.y + po.y) / k]};
    }

    function paint() {
      var ctx = layer._ctx;
      if (!ctx || !layer._map) { return; }
      var f = frame(), v = spec.views[state.view], i, j;
      ctx.save();
      ctx.clearRect(f.b.min.x, f.b.min.y, f.b.max.x - f.b.min.x, f.b.max.y - f.b.min.y);
      ctx.lineJoin = "round"; ctx.lineCap = "round";
      var visible = [];
      for (i = 0; i < n; i++) { if (feats[i].rings.length && meets(feats[i].box, f.view)) { visible.push(i); } }
      ctx.globalAlpha = v.opacity || 0.8;
      v.colours.forEach(function (colour, c) {
        ctx.beginPath();
        var any = false;
        visible.forEach(function (i) {
          if (v.fill[i] !== c) { return; }
          any = true;
          feats[i].rings.forEach(function (a) { trace(ctx, a, f.k, f.ox, f.oy, true); });
        });
        if (any) { ctx.fillStyle = colour; ctx.fill("evenodd"); }
      });
      // every border once (shared arcs), thinner zoomed out over many buurten
      strokeStyle(ctx, {color: "#555555", weight: f.z < 11 ? 0.2 : 0.6});
      ctx.beginPath();
      for (i = 0; i < arcs.length; i++) {
        if (meets(arcBox[i], f.view)) { trace(ctx, arcs[i], f.k, f.ox, f.oy, false); }
      }
      ctx.stroke();
      // outlines half as wide zoomed out to the whole country (they would hide the colours)
      var narrow = function (st) { return f.z < 9 ? L.extend({}, st, {weight: (st.weight || 3) / 2}) : st; };
      (spec.flags || []).forEach(function (fl, j) {
        if (!state.flags[j]) { return; }
        strokeStyle(ctx, narrow(fl.style));
        ctx.beginPath();
        visible.forEach(function (i) {
          if (fl.on[i]) { feats[i].rings.forEach(function (a) { trace(ctx, a, f.k, f.ox, f.oy, true); }); }
        });
        ctx.stroke();
      });
      overlays.forEach(function (o, j) {
        if (!state.shown[j] || f.z < (o.ov.line_min_zoom || 0)) { return; }
        strokeStyle(ctx, narrow(o.ov.style));
        ctx.beginPath();
        if (o.arcs) {
          o.arcs.forEach(function (i) { if (meets(arcBox[i], f.view)) { trace(ctx, arcs[i], f.k, f.ox, f.oy, false); } });
        } else {
          o.feats.forEach(function (s) {
            if (meets(s.box, f.view)) { s.rings.forEach(function (a) { trace(ctx, a, f.k, f.ox, f.oy, o.ov.kind === "polygon"); }); }
          });
        }
        ctx.stroke();
      });
      ctx.restore();
    }

    // the tooltip and the outline of the buurt (or outline overlay) under the pointer
    var tip = L.tooltip({sticky: true, direction: "auto", className: "gp-tooltip"});
    var pane = map.createPane("gpHover");
    pane.style.zIndex = 450; pane.style.pointerEvents = "none";
    var hoverRenderer = L.svg({pane: "gpHover"}), outline = null;
    function latlngs(rings) {
      return rings.map(function (a) {
        var out = [];
        for (var i = 0; i < a.length; i += 2) { out.push(map.unproject([a[i], a[i + 1]], 0)); }
        return out;
      });
    }
    function showTip(key, content, rings, latlng) {
      if (state.tipFor !== key) {
        state.tipFor = key;
        tip.setContent(content());
        if (outline) { map.removeLayer(outline); }
        outline = L.polygon(latlngs(rings), {pane: "gpHover", renderer: hoverRenderer,
          interactive: false, fill: false, color: "#2171b5", weight: 3}).addTo(map);
      }
      tip.setLatLng(latlng);
      if (!map.hasLayer(tip)) { tip.addTo(map); }
    }
    function hideTip() {
      state.tipFor = null;
      if (outline) { map.removeLayer(outline); outline = null; }
      if (map.hasLayer(tip)) { map.removeLayer(tip); }
    }
    function areaTip(i, latlng) {
      showTip("a" + i, function () {
        return tooltipContent(spec.views[state.view].tooltip, areas.cols, spec.labels, i);
      }, feats[i].rings, latlng);
    }
    function hover(point, e) {
      if (!point) { hideTip(); return; }
      var f = frame(), x = (point.x + f.ox) / f.k, y = (point.y + f.oy) / f.k;
      var latlng = map.layerPointToLatLng(point), d = 5 / f.k;
      for (var j = overlays.length - 1; j >= 0; j--) {  // outline overlays with a tooltip first
        var o = overlays[j];
        if (!o.feats || !o.ov.tooltip || !state.shown[j]) { continue; }
        for (var s = 0; s < o.feats.length; s++) {
          var b = o.feats[s].box;
          if (x < b[0] - d || x > b[2] + d || y < b[1] - d || y > b[3] + d) { continue; }
          if (o.feats[s].rings.some(function (a) { return nearLine(a, x, y, d); })) {
            var t = o.ov.tooltip;
            showTip("o" + j + "_" + s, function () {
              return tooltipContent(t.keys, t.cols, t.labels, s); }, o.feats[s].rings, latlng);
            return;
          }
        }
      }
      var i = featureAt(x, y);
      if (i < 0) { hideTip(); } else { areaTip(i, latlng); }
    }

    function repaint() { hideTip(); paint(); }
    var legendBox = el("div");
    function showLegend() {
      legendBox.innerHTML = "";
      legendBox.appendChild(legendContent(spec.views[state.view].legend));
    }
    function setView(i) { state.view = i; repaint(); showLegend(); }

    map.fitBounds(spec.bounds);
    layer.addTo(map);

    // the title and, for a series (years), the slider: top left under the zoom buttons
    var title = el("div");
    title.appendChild(el("div", "gp-title-text", spec.title.text));
    if (spec.title.sub) { title.appendChild(el("small", null, spec.title.sub)); }
    if (spec.title.synth) { title.appendChild(el("span", "gp-synth", spec.title.synth)); }
    var base = {}, layers = {};
    if (spec.slider) {
      var lab = el("label", "gp-slider");
      var caption = el("span", null);
      var input = el("input");
      input.type = "range"; input.min = 0; input.max = spec.views.length - 1; input.step = 1;
      input.value = state.view;
      input.setAttribute("aria-label", spec.slider);
      var caption_ = function () { caption.textContent = spec.slider + ": " + spec.views[state.view].name; };
      input.addEventListener("input", function () { setView(+input.value); caption_(); });
      caption_();
      lab.appendChild(caption); lab.appendChild(input);
      title.appendChild(lab);
    } else if (spec.views.length > 1) {
      spec.views.forEach(function (v, j) {
        var g = L.layerGroup();
        g.on("add", function () { if (state.view !== j) { setView(j); } });
        base[asHtml(v.name)] = g;
        if (j === state.view) { g.addTo(map); }
      });
    }
    boxControl(map, "topleft", "gp-title", title);
    function toggle(name, on, show) {
      // a layer-control entry that switches something drawn on the canvas
      var g = L.layerGroup();
      g.on("add", function () { if (!on[0][on[1]]) { on[0][on[1]] = true; repaint(); } });
      g.on("remove", function () { if (on[0][on[1]]) { on[0][on[1]] = false; repaint(); } });
      layers[asHtml(name)] = g;
      if (show) { g.addTo(map); }
      return g;
    }
    (spec.flags || []).forEach(function (f, j) {
      toggle(f.name, [state.flags, j], f.show);
    });
    overlays.forEach(function (o, j) {
      var g = toggle(o.ov.name, [state.shown, j], false);
      if (o.ov.labels) { g.addLayer(labelLayer(map, o.ov.labels, o.ov.label_class, o.ov.min_zoom)); }
      if (o.ov.show) { g.addTo(map); }
    });
    if (spec.tiles) {
      var t = L.tileLayer(spec.tiles.url, {attribution: asHtml(spec.tiles.attribution),
                                           opacity: 0.6});
      layers[asHtml(spec.tiles.name)] = t;
    }
    var small = window.innerHeight < 900 || window.innerWidth < 1500;
    L.control.layers(base, layers, {collapsed: small, position: "topright"}).addTo(map);
    boxControl(map, "bottomright", "gp-legend", legendBox);
    showLegend();
    L.control.scale({metric: true, imperial: false, maxWidth: 150}).addTo(map);
    (spec.sources || []).forEach(function (s) {
      map.attributionControl.addAttribution(asHtml(s));
    });
    var api = {map: map, spec: spec, features: n, drawn: drawn, setView: setView,
               view: function () { return state.view; },
               openTooltip: function (i) {
                 if (!feats[i] || !feats[i].rings.length) { return ""; }
                 var b = feats[i].box;
                 areaTip(i, map.unproject([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], 0));
                 var el_ = tip.getElement();
                 return el_ ? el_.innerText : "";
               }};
    api.ms = Math.round(window.performance ? performance.now() : 0);  // since navigation
    api.script_ms = Math.round(api.ms - t0);  // of which this function (decode, index, draw)
    window.gpMaps.push(api);
    return api;
  };
})();
