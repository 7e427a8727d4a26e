#!/usr/bin/env python3
"""Open a generated page (a map or rapport.html) in headless Chromium with the network off.

Every host name is unresolvable for the browser (``--host-resolver-rules``), so the check
proves that the page needs no network: Leaflet and the map script are inline. A probe
script injected into a temporary copy of the page records JavaScript errors, ``alert()``
calls, every resource the page tried to load (``performance`` entries and failed
elements: there should be none), and what rendered: the buurten drawn by each map
(``window.gpMaps``), legend, layer control, scale bar, title, and the time until the map
was drawn. With ``exercise`` it switches every view and overlay and hovers up to 300
buurten, so a script hidden in a name would fire.

Usage::

    python scripts/browser_check.py maps/sia.html --min-polygons 145 \\
        --screenshot maps/screenshots/sia_html.png --tooltip

Exit status 0 when there are no JavaScript errors, no requests, at least
``--min-polygons`` buurten drawn, a legend, a layer control and a scale bar; 1 otherwise
(the findings are printed as JSON). Needs ``chromium`` (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from geoprestatie.output._devtools import DevToolsPipe

PROBE = """<script>
(function () {
  var probe = {errors: [], failed: [], alerts: []};
  window.__gpProbe = probe;
  // an injected <script> from data would typically call alert(): record, never block
  window.alert = window.confirm = window.prompt = function (m) {
    probe.alerts.push(String(m));
  };
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
  // every element the page adds that would load from the network (tiles, scripts, images)
  probe.network = [];
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.addedNodes.forEach(function (n) {
        var u = n.getAttribute && (n.getAttribute('src') || n.getAttribute('href'));
        if (u && /^(https?:)?[/][/]/.test(u) && n.tagName !== 'A') { probe.network.push(u); }
      });
    });
  }).observe(document, {childList: true, subtree: true});
  function texts(sel) {
    return Array.prototype.map.call(document.querySelectorAll(sel),
                                    function (e) { return e.innerText; });
  }
  function exercise(g) {
    var n = Math.min(g.features, 300), views = g.spec.views.length;
    for (var v = 0; v < views; v++) {
      g.setView(v);
      for (var i = 0; i < n; i++) { g.openTooltip(i); }
    }
    g.map.eachLayer(function (l) { if (l.getTooltip && l.getTooltip()) { l.openTooltip(); } });
    // every layer switch (not the online background: that one loads tiles by design)
    document.querySelectorAll('.leaflet-control-layers label').forEach(function (l) {
      if (l.innerText.indexOf('Achtergrondkaart') >= 0) { return; }
      var i = l.querySelector('input');
      i.click(); i.click();
    });
  }
  window.addEventListener('load', function () {
    setTimeout(function () {
      var maps = window.gpMaps || [];
      probe.maps = maps.length;
      probe.polygons = maps.reduce(function (a, g) { return a + g.drawn; }, 0);
      probe.render_ms = maps.length ? Math.max.apply(null, maps.map(function (g) {
        return g.ms; })) : null;
      probe.script_ms = maps.map(function (g) { return g.script_ms; });
      probe.canvas = document.querySelectorAll('canvas.leaflet-zoom-animated').length;
      probe.legends = document.querySelectorAll('.gp-legend').length;
      probe.legend_text = texts('.gp-legend');
      probe.layer_control = document.querySelectorAll('.leaflet-control-layers').length;
      probe.layer_names = texts('.leaflet-control-layers-list label');
      probe.scale = document.querySelectorAll('.leaflet-control-scale').length;
      probe.title = texts('.gp-title');
      probe.leaflet = typeof L !== 'undefined' ? L.version : null;
      try {
        if (window.location.hash === '#tooltip' && maps.length) {
          var g = maps[0], rang = g.spec.areas.cols.rang || [];
          var top = rang.findIndex(function (v) { return String(v).indexOf('1 van') === 0; });
          probe.tooltip = g.openTooltip(top < 0 ? 0 : top);
        }
        if (window.location.hash === '#exercise') {
          maps.forEach(exercise);
          probe.exercised = true;
        }
      } catch (err) { probe.errors.push('probe: ' + err); }
      probe.requests = performance.getEntriesByType('resource').map(function (r) {
        return r.name; }).filter(function (u) { return u.indexOf('data:') !== 0; })
        .concat(probe.network);
      var pre = document.createElement('pre');
      pre.id = 'gp-probe';
      pre.textContent = JSON.stringify(probe);
      pre.style.display = 'none';
      document.body.appendChild(pre);
    }, 800);
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
    # no host name resolves: the page must not need the network
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def find_chromium() -> str | None:
    """The Chromium executable (``$CHROMIUM``, chromium, chromium-browser, google-chrome)."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


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
    exercise: bool = False,
    window: tuple[int, int] = (1366, 768),
    chromium: str | None = None,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Render ``page_path`` offline in headless Chromium; return the probe's findings."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RuntimeError("Chromium not found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="gp-browser-") as tmp:
        root = Path(tmp)
        page = page_path.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)
        probed = root / "page.html"
        probed.write_text(page.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
        url = probed.as_uri() + ("#tooltip" if tooltip else "#exercise" if exercise else "")
        dom = _chromium(
            chromium,
            root / "profile1",
            "--virtual-time-budget=20000",
            f"--window-size={window[0]},{window[1]}",
            "--dump-dom",
            url,
            timeout=timeout,
        )
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            _chromium(
                chromium,
                root / "profile2",
                "--virtual-time-budget=20000",
                f"--window-size={window[0]},{window[1]}",
                f"--screenshot={screenshot.resolve()}",
                probed.as_uri() + ("#tooltip" if tooltip else ""),
                timeout=timeout,
            )
    match = re.search(r'<pre id="gp-probe"[^>]*>(.*?)</pre>', dom, re.S)
    if match is None:
        return {"errors": ["the page did not finish loading (no probe result)"], "polygons": 0}
    import html as _html

    result: dict[str, Any] = json.loads(_html.unescape(match.group(1)))
    result["external_links"] = external
    return result


# Everything a page offers to a user, done in every frame (a report embeds its maps as
# iframes): each view of each map with every buurt hovered, every tooltip of the other
# layers opened, every layer switch clicked twice, every slider moved, every <details>
# opened. Returns what was done, per frame.
EXERCISE_ALL = """(async function () {
  function frames(w) {
    var out = [w];
    for (var i = 0; i < w.frames.length; i++) {
      try { out = out.concat(frames(w.frames[i])); } catch (e) { /* cross-origin */ }
    }
    return out;
  }
  var done = [];
  frames(window).forEach(function (w) {
    var d = w.document, maps = w.gpMaps || [], hovered = 0, views = 0, switches = 0;
    maps.forEach(function (g) {
      for (var v = 0; v < g.spec.views.length; v++) {
        g.setView(v); views++;
        for (var i = 0; i < g.features; i++) { g.openTooltip(i); hovered++; }
      }
      g.map.eachLayer(function (l) { if (l.getTooltip && l.getTooltip()) { l.openTooltip(); } });
    });
    d.querySelectorAll('.leaflet-control-layers-toggle').forEach(function (t) {
      t.dispatchEvent(new w.MouseEvent('mouseover', {bubbles: true}));
    });
    d.querySelectorAll('.leaflet-control-layers label').forEach(function (l) {
      var i = l.querySelector('input');
      if (!i || l.innerText.indexOf('Achtergrondkaart') >= 0) { return; }
      i.click(); i.click(); switches++;
    });
    d.querySelectorAll('input[type=range]').forEach(function (r) {
      for (var v = +r.min; v <= +r.max; v++) {
        r.value = v; r.dispatchEvent(new w.Event('input', {bubbles: true}));
      }
    });
    d.querySelectorAll('details').forEach(function (e) { e.open = true; });
    d.querySelectorAll('[title]').forEach(function (e) {
      e.dispatchEvent(new w.MouseEvent('mouseover', {bubbles: true}));
    });
    done.push({maps: maps.length, views: views, hovered: hovered, switches: switches});
  });
  await new Promise(function (r) { setTimeout(r, 200); });
  return JSON.stringify(done);
})()"""


class DevTools:
    """Headless Chromium driven over the DevTools protocol on a pipe (no extra package).

    Chromium reads commands from fd 3 and writes replies and events to fd 4
    (``--remote-debugging-pipe``; each message JSON, ended by NUL). Used by
    :func:`exercise_pages`: every JavaScript dialog of any frame is reported by the
    browser itself (``Page.javascriptDialogOpening``), even one in an iframe whose
    ``alert`` a probe script could not have replaced.
    """

    def __init__(self, chromium: str, profile: Path, *, timeout: float = 60.0) -> None:
        argv = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=1366,768",
            "about:blank",
        ]
        self._pipe = DevToolsPipe(argv)
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pipe.close(grace=10.0)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send a command; handle events (dialogs are dismissed) until its reply comes."""
        ident = self._pipe.send(method, params, session)
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._pipe.receive(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self._event(reply)

    def _event(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if event["method"] == "Page.javascriptDialogOpening":
            dismiss = {"accept": False}
            self._pipe.send("Page.handleJavaScriptDialog", dismiss, event.get("sessionId"))

    def wait_for(self, method: str, session: str, seconds: float) -> bool:
        """Handle events until ``method`` arrives for ``session`` (False after ``seconds``)."""
        deadline = time.monotonic() + seconds
        seen = len(self.events)
        while True:
            for e in self.events[seen:]:
                if e["method"] == method and e.get("sessionId") == session:
                    return True
            seen = len(self.events)
            try:
                event = self._pipe.receive(deadline)
            except TimeoutError:
                return False
            if "method" in event:
                self._event(event)


def exercise_pages(
    pages: list[Path], *, chromium: str | None = None, timeout: float = 60.0
) -> dict[Path, dict[str, Any]]:
    """Open each page in one headless Chromium, do everything it offers, report per page.

    Per page: ``dialogs`` (alert/confirm/prompt messages from any frame), ``errors``
    (uncaught JavaScript exceptions), ``requests`` (URLs the page asked for other than
    itself and ``data:``), ``frames`` (per frame: maps, views, hovered buurten, layer
    switches clicked).
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RuntimeError("Chromium not found (Debian: apt-get install chromium)")
    out: dict[Path, dict[str, Any]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="gp-devtools-") as tmp,
        DevTools(chromium, Path(tmp) / "profile", timeout=timeout) as dt,
    ):
        for page in pages:
            out[page] = _exercise(dt, page)
    return out


def _exercise(dt: DevTools, page: Path) -> dict[str, Any]:
    target = dt.send("Target.createTarget", url="about:blank")["targetId"]
    session = dt.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    first = len(dt.events)
    for domain in ("Page", "Runtime", "Network"):
        dt.send(f"{domain}.enable", session)
    url = page.resolve().as_uri()
    dt.send("Page.navigate", session, url=url)
    loaded = dt.wait_for("Page.loadEventFired", session, dt.timeout)
    frames: Any = None
    if loaded:
        reply = dt.send(
            "Runtime.evaluate",
            session,
            expression=EXERCISE_ALL,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in reply:
            frames = {"error": reply["exceptionDetails"].get("text")}
        else:
            frames = json.loads(reply["result"]["value"])
    dt.send("Target.closeTarget", targetId=target)
    mine = [e for e in dt.events[first:] if e.get("sessionId") == session]
    params = [(e["method"], e.get("params", {})) for e in mine]
    return {
        "loaded": loaded,
        "dialogs": [p["message"] for m, p in params if m == "Page.javascriptDialogOpening"],
        "errors": [
            (p["exceptionDetails"].get("exception") or {}).get("description")
            or p["exceptionDetails"].get("text")
            for m, p in params
            if m == "Runtime.exceptionThrown"
        ],
        "requests": [
            p["request"]["url"]
            for m, p in params
            if m == "Network.requestWillBeSent"
            and p["request"]["url"] != url
            and not p["request"]["url"].startswith(("data:", "about:"))
        ],
        "frames": frames,
    }


def problems(result: dict[str, Any], *, min_polygons: int) -> list[str]:
    """What is wrong with a probe result (empty: all good)."""
    out = [f"JavaScript error: {e}" for e in result.get("errors", [])]
    out += [f"alert() was called (injected script?): {a}" for a in result.get("alerts", [])]
    out += [f"the page loads from the network: {u}" for u in result.get("external_links", [])]
    out += [f"request left the page: {u}" for u in result.get("requests", [])]
    out += [f"resource failed to load: {u}" for u in result.get("failed", [])]
    if result.get("polygons", 0) < min_polygons:
        out.append(f"{result.get('polygons', 0)} buurten drawn, expected >= {min_polygons}")
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
    parser.add_argument(
        "--exercise", action="store_true", help="switch every view and hover the buurten"
    )
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    args = parser.parse_args(argv)
    result = check_page(
        args.page,
        screenshot=args.screenshot,
        tooltip=args.tooltip,
        exercise=args.exercise,
        window=(args.width, args.height),
    )
    found = problems(result, min_polygons=args.min_polygons)
    print(json.dumps({"result": result, "problems": found}, indent=2, ensure_ascii=False))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
