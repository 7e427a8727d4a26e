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

  function ring(flat, origin, scale) {
    // [x0, y0, dx1, dy1, ...] in integer units of 1/scale degree, relative to origin
    var out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out.push(new L.LatLng((y + origin[1]) / scale, (x + origin[0]) / scale));
    }
    return out;
  }

  function decode(features, origin, scale) {
    // features -> parts (polygons: rings; lines: one line) -> Leaflet latlngs
    return features.map(function (parts) {
      return parts.map(function (rings) {
        return rings.map(function (flat) { return ring(flat, origin, scale); });
      });
    });
  }

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

  function overlayLayer(map, spec, ov, renderer) {
    var group = L.layerGroup();
    var shapes = decode(ov.geom, spec.origin, spec.scale);
    var style = L.extend({renderer: renderer, interactive: !!ov.tooltip}, ov.style);
    var parts = shapes.map(function (s) {
      if (ov.kind === "polygon") { return L.polygon(s, style); }
      return L.polyline(s.map(function (line) { return line[0]; }), style);
    });
    var fg = L.featureGroup(parts);
    if (ov.tooltip) {
      fg.bindTooltip(function (layer) {
        return tooltipContent(ov.tooltip.keys, ov.tooltip.cols, ov.tooltip.labels,
                              parts.indexOf(layer));
      }, {sticky: true, direction: "auto"});
    }
    if (ov.line_min_zoom) {
      var shown = false;
      var sync = function () {
        var want = map.getZoom() >= ov.line_min_zoom && map.hasLayer(group);
        if (want && !shown) { group.addLayer(fg); } else if (!want && shown) { group.removeLayer(fg); }
        shown = want;
      };
      map.on("zoomend", sync);
      group.on("add", function () { setTimeout(sync, 0); });
    } else {
      group.addLayer(fg);
    }
    if (ov.labels) { group.addLayer(labelLayer(map, ov.labels, ov.label_class, ov.min_zoom)); }
    return group;
  }

  window.gpMap = function (map, spec) {
    var renderer = L.canvas({padding: 0.3, tolerance: 2});
    var areas = spec.areas, n = areas.geom.length;
    var shapes = decode(areas.geom, spec.origin, spec.scale);
    var state = {view: spec.initial || 0, flags: {}, thin: false};
    var polys = [];

    function styleOf(i) {
      var v = spec.views[state.view], k = v.fill[i];
      var s = {fillColor: k < 0 ? "#ffffff" : v.colours[k],
               fillOpacity: k < 0 ? 0 : (v.opacity || 0.8),
               color: "#555555", weight: state.thin ? 0.2 : 0.6, opacity: 1};
      (spec.flags || []).forEach(function (f, j) {
        if (state.flags[j] && f.on[i]) { L.extend(s, f.style); }
      });
      return s;
    }
    for (var i = 0; i < n; i++) {
      var p = L.polygon(shapes[i], L.extend({renderer: renderer}, styleOf(i)));
      p._gpIndex = i;
      polys.push(p);
    }
    var group = L.featureGroup(polys).addTo(map);
    group.bindTooltip(function (layer) {
      var v = spec.views[state.view];
      return tooltipContent(v.tooltip, areas.cols, spec.labels, layer._gpIndex);
    }, {sticky: true, direction: "auto", className: "gp-tooltip"});
    group.on("mouseover", function (e) { e.layer.setStyle({weight: 3, color: "#2171b5"}); });
    group.on("mouseout", function (e) { e.layer.setStyle(styleOf(e.layer._gpIndex)); });

    function restyle() { polys.forEach(function (p, j) { p.setStyle(styleOf(j)); }); }
    // zoomed out over many buurten the borders would hide the colours: thinner then
    function zoomed() {
      var thin = map.getZoom() < 11;
      if (thin !== state.thin) { state.thin = thin; restyle(); }
    }
    map.on("zoomend", zoomed);

    var legendBox = el("div");
    function showLegend() {
      legendBox.innerHTML = "";
      legendBox.appendChild(legendContent(spec.views[state.view].legend));
    }
    function setView(i) { state.view = i; restyle(); showLegend(); }

    // the title and, for a series (years), the slider: top left under the zoom buttons
    var title = el("div");
    title.appendChild(el("div", "gp-title-text", spec.title.text));
    if (spec.title.sub) { title.appendChild(el("small", null, spec.title.sub)); }
    if (spec.title.synth) { title.appendChild(el("span", "gp-synth", spec.title.synth)); }
    var control = null;
    var base = {}, overlays = {};
    if (spec.slider) {
      var lab = el("label", "gp-slider");
      var caption = el("span", null);
      var input = el("input");
      input.type = "range"; input.min = 0; input.max = spec.views.length - 1; input.step = 1;
      input.value = state.view;
      input.setAttribute("aria-label", spec.slider);
      function caption_() { caption.textContent = spec.slider + ": " + spec.views[state.view].name; }
      input.addEventListener("input", function () { setView(+input.value); caption_(); });
      caption_();
      lab.appendChild(caption); lab.appendChild(input);
      title.appendChild(lab);
    } else if (spec.views.length > 1) {
      spec.views.forEach(function (v, j) {
        var g = L.layerGroup();
        g.on("add", function () { setView(j); });
        base[asHtml(v.name)] = g;
        if (j === state.view) { g.addTo(map); }
      });
    }
    boxControl(map, "topleft", "gp-title", title);
    (spec.flags || []).forEach(function (f, j) {
      var g = L.layerGroup();
      g.on("add", function () { state.flags[j] = true; restyle(); });
      g.on("remove", function () { state.flags[j] = false; restyle(); });
      overlays[asHtml(f.name)] = g;
      if (f.show) { g.addTo(map); }
    });
    (spec.overlays || []).forEach(function (ov) {
      var g = overlayLayer(map, spec, ov, renderer);
      overlays[asHtml(ov.name)] = g;
      if (ov.show) { g.addTo(map); }
    });
    if (spec.tiles) {
      var t = L.tileLayer(spec.tiles.url, {attribution: asHtml(spec.tiles.attribution),
                                           opacity: 0.6});
      overlays[asHtml(spec.tiles.name)] = t;
    }
    var small = window.innerHeight < 900 || window.innerWidth < 1500;
    control = L.control.layers(base, overlays, {collapsed: small, position: "topright"});
    control.addTo(map);
    boxControl(map, "bottomright", "gp-legend", legendBox);
    showLegend();
    L.control.scale({metric: true, imperial: false, maxWidth: 150}).addTo(map);
    (spec.sources || []).forEach(function (s) {
      map.attributionControl.addAttribution(asHtml(s));
    });
    map.fitBounds(spec.bounds);
    zoomed();
    var api = {map: map, spec: spec, features: n, drawn: polys.length, setView: setView,
               view: function () { return state.view; },
               openTooltip: function (i) {
                 var c = polys[i].getBounds().getCenter();
                 polys[i].fire("mouseover", {latlng: c}, true);
                 var t = group.getTooltip();
                 return t && t.getElement() ? t.getElement().innerText : "";
               }};
    api.ms = Math.round(window.performance ? performance.now() : 0);  // since navigation
    window.gpMaps.push(api);
    return api;
  };
})();
