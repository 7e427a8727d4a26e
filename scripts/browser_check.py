#!/usr/bin/env python3
"""Open a generated map (e.g. maps/sia.html) in headless Chromium, offline, and check it.

The page's CDN assets (Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers) are served
from local copies on 127.0.0.1: they come from the npm registry packages of the same versions
(``npm pack``, cached in ``$GEOPRESTATIE_BROWSER_ASSETS`` or ``~/.cache/geoprestatie/
browser-assets``). Every other host is unresolvable for the browser, so the check needs no
internet (background tiles simply do not load). A probe script injected into a temporary
copy of the page records JavaScript errors, failed scripts/stylesheets and what rendered.

Usage::

    python scripts/browser_check.py maps/sia.html --min-polygons 145 \\
        --screenshot maps/screenshots/sia_html.png

Exit status 0 when there are no JavaScript errors, at least ``--min-polygons`` polygon
paths and a legend; 1 otherwise (the findings are printed as JSON). Needs ``chromium``
(Debian: ``apt-get install chromium``) and ``npm`` for the first download of the assets.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: CDN URL prefix -> (npm package spec, file inside the package); None: served as empty CSS
ASSETS: dict[str, tuple[str, str] | None] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": (
        "leaflet@1.9.3",
        "dist/leaflet.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": (
        "leaflet@1.9.3",
        "dist/leaflet.css",
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap@5.2.2",
        "dist/js/bootstrap.bundle.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap@5.2.2",
        "dist/css/bootstrap.min.css",
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "@fortawesome/fontawesome-free@6.2.0",
        "css/all.min.css",
    ),
    # cdnjs has 2.0.2; the npm registry's nearest release of the same plugin is 2.0.5
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
    "leaflet.awesome-markers.js": (
        "leaflet.awesome-markers@2.0.5",
        "dist/leaflet.awesome-markers.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
    "leaflet.awesome-markers.css": (
        "leaflet.awesome-markers@2.0.5",
        "dist/leaflet.awesome-markers.css",
    ),
    # cosmetic stylesheets not on the npm registry: empty stand-ins
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": None,
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css": None,
}

PROBE = """<script>
(function () {
  var probe = {errors: [], failed: [], alerts: []};
  window.__gpProbe = probe;
  // an injected <script> from data would typically call alert(): record, never block
  window.alert = function (m) { probe.alerts.push(String(m)); };
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t !== window && (t.src || t.href)) { probe.failed.push(t.src || t.href); return; }
    probe.errors.push(String(e.message || e.error));
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    probe.errors.push('unhandled rejection: ' + String(e.reason));
  });
  var origError = console.error;
  console.error = function () {
    probe.errors.push(Array.prototype.map.call(arguments, String).join(' '));
    return origError.apply(console, arguments);
  };
  // for screenshots: open the tooltip of the buurt ranked first (or the first feature)
  function openTopTooltip() {
    Object.keys(window).forEach(function (k) {
      var m = window[k];
      if (!(m && typeof L !== 'undefined' && m instanceof L.Map) || probe.tooltip) { return; }
      m.eachLayer(function (g) {
        if (probe.tooltip || !(g instanceof L.GeoJSON) || !g.getTooltip()) { return; }
        var pick = null;
        g.eachLayer(function (f) {
          var p = f.feature && f.feature.properties;
          if (!pick || (p && p.rang && p.rang.indexOf('1 van') === 0)) { pick = f; }
        });
        if (pick) {
          var c = pick.getBounds().getCenter();
          pick.fire('mouseover', {latlng: c, originalEvent: {}}, true);
          probe.tooltip = g.getTooltip().getElement() ? g.getTooltip().getElement().innerText : '';
        }
      });
    });
  }
  window.addEventListener('load', function () {
    setTimeout(function () {
      probe.polygons = document.querySelectorAll('path.leaflet-interactive').length;
      probe.legends = document.querySelectorAll('.gp-legend').length;
      probe.legend_text = Array.prototype.map.call(
        document.querySelectorAll('.gp-legend'), function (e) { return e.innerText; });
      probe.layer_control = document.querySelectorAll('.leaflet-control-layers').length;
      probe.scale = document.querySelectorAll('.leaflet-control-scale').length;
      probe.title = Array.prototype.map.call(
        document.querySelectorAll('.gp-title'), function (e) { return e.innerText; });
      probe.leaflet = typeof L !== 'undefined' ? L.version : null;
      probe.injected_scripts = document.querySelectorAll('script:not([src])').length;
      if (window.location.hash === '#tooltip') {
        try { openTopTooltip(); } catch (err) { probe.errors.push('tooltip: ' + err); }
      }
      var pre = document.createElement('pre');
      pre.id = 'gp-probe';
      pre.textContent = JSON.stringify(probe);
      pre.style.display = 'none';
      document.body.appendChild(pre);
    }, 1500);
  });
})();
</script>"""

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    # nothing but the local asset server resolves: the check never reaches the internet
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def find_chromium() -> str | None:
    """The Chromium executable (``$CHROMIUM``, chromium, chromium-browser, google-chrome)."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def asset_dir() -> Path:
    env = os.environ.get("GEOPRESTATIE_BROWSER_ASSETS")
    return Path(env) if env else Path.home() / ".cache" / "geoprestatie" / "browser-assets"


def _local_name(spec: str, inner: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", f"{spec}/{inner}")


def fetch_assets(cache: Path | None = None) -> Path:
    """Make sure every asset is in ``cache`` (downloaded once with ``npm pack``)."""
    cache = cache or asset_dir()
    cache.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, list[str]] = {}
    for item in ASSETS.values():
        if item and not (cache / _local_name(*item)).exists():
            wanted.setdefault(item[0], []).append(item[1])
    if not wanted:
        return cache
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed once to download Leaflet & co. from the npm registry")
    with tempfile.TemporaryDirectory() as tmp:
        for spec, inners in wanted.items():
            done = subprocess.run(
                [npm, "pack", spec, "--pack-destination", tmp, "--silent"],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[-300:]}")
            tgz = Path(tmp) / done.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as tar:
                for inner in inners:
                    member = tar.extractfile(f"package/{inner}")
                    if member is None:
                        raise RuntimeError(f"{spec} has no file {inner}")
                    target = cache / _local_name(spec, inner)
                    target.write_bytes(member.read())
    return cache


def localise(page: str, base_url: str) -> tuple[str, list[str]]:
    """Point the page's CDN assets at ``base_url`` and inject the probe; also return the
    external script/stylesheet URLs that are not known (they will fail to load)."""
    for url, item in ASSETS.items():
        name = _local_name(*item) if item else "empty.css"
        page = page.replace(url, f"{base_url}/{name}")
    unknown = [
        u
        for u in re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
        if not u.startswith(base_url)
    ]
    page = page.replace("<head>", "<head>" + PROBE, 1)
    return page, unknown


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _chromium(chromium: str, profile: Path, *args: str, timeout: float) -> str:
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done.stdout


def check_page(
    page_path: Path,
    *,
    screenshot: Path | None = None,
    tooltip: bool = False,
    window: tuple[int, int] = (1400, 1000),
    chromium: str | None = None,
    assets: Path | None = None,
    timeout: float = 90.0,
) -> dict[str, Any]:
    """Render ``page_path`` offline in headless Chromium; return the probe's findings."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RuntimeError("Chromium not found (Debian: apt-get install chromium)")
    assets = fetch_assets(assets)
    with tempfile.TemporaryDirectory(prefix="gp-browser-") as tmp:
        root = Path(tmp)
        site = root / "site"
        site.mkdir()
        for item in ASSETS.values():
            if item:
                shutil.copy(assets / _local_name(*item), site / _local_name(*item))
        (site / "empty.css").write_text("", encoding="utf-8")
        with serve(site) as base:
            page, unknown = localise(page_path.read_text(encoding="utf-8"), base)
            (site / "page.html").write_text(page, encoding="utf-8")
            url = f"{base}/page.html" + ("#tooltip" if tooltip else "")
            dom = _chromium(
                chromium,
                root / "profile1",
                "--virtual-time-budget=15000",
                "--dump-dom",
                url,
                timeout=timeout,
            )
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                _chromium(
                    chromium,
                    root / "profile2",
                    "--virtual-time-budget=15000",
                    f"--window-size={window[0]},{window[1]}",
                    f"--screenshot={screenshot.resolve()}",
                    url,
                    timeout=timeout,
                )
    match = re.search(r'<pre id="gp-probe"[^>]*>(.*?)</pre>', dom, re.S)
    if match is None:
        return {"errors": ["the page did not finish loading (no probe result)"], "polygons": 0}
    import html as _html

    result: dict[str, Any] = json.loads(_html.unescape(match.group(1)))
    result["unknown_external"] = unknown
    result["failed"] = [u for u in result.get("failed", []) if "127.0.0.1" in u]
    return result


def problems(result: dict[str, Any], *, min_polygons: int) -> list[str]:
    """What is wrong with a probe result (empty: all good)."""
    out = [f"JavaScript error: {e}" for e in result.get("errors", [])]
    out += [f"alert() was called (injected script?): {a}" for a in result.get("alerts", [])]
    out += [f"local asset failed to load: {u}" for u in result.get("failed", [])]
    if result.get("polygons", 0) < min_polygons:
        out.append(f"{result.get('polygons', 0)} polygon paths, expected >= {min_polygons}")
    if not result.get("legends"):
        out.append("no legend (.gp-legend) rendered")
    if not result.get("layer_control"):
        out.append("no layer control rendered")
    if not result.get("scale"):
        out.append("no scale bar rendered")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="the generated HTML map, e.g. maps/sia.html")
    parser.add_argument("--min-polygons", type=int, default=1)
    parser.add_argument("--screenshot", type=Path, default=None)
    parser.add_argument(
        "--tooltip", action="store_true", help="open the tooltip of the top-ranked buurt"
    )
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)
    result = check_page(
        args.page,
        screenshot=args.screenshot,
        tooltip=args.tooltip,
        window=(args.width, args.height),
    )
    found = problems(result, min_polygons=args.min_polygons)
    print(json.dumps({"result": result, "problems": found}, indent=2, ensure_ascii=False))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
