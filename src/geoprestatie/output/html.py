"""The one escaping path of every HTML output, and the assets that make a page offline.

Every HTML page or fragment that geoprestatie writes is rendered here: a jinja2
:class:`~jinja2.Environment` with ``autoescape=True`` (templates in ``output/templates/``),
so a user-supplied string (a buurt name, a criterion label, an agreement text) is escaped
unless code marks it safe on purpose. Data for JavaScript goes through
:func:`json_for_script`, which keeps JSON inert inside ``<script>``. The Leaflet library is
inlined from the copy shipped in ``output/assets/leaflet/`` (see its README); with
``cdn=True`` a page links the same version from a CDN instead.

Examples
--------
>>> escape('"><img src=x onerror=alert(1)>')
'&#34;&gt;&lt;img src=x onerror=alert(1)&gt;'
>>> str(json_for_script({"naam": "</script><b>"}))
'{"naam":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
"""

from __future__ import annotations

import base64
import functools
import json
import re
from importlib.resources import files
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup

__all__ = [
    "CDN_URLS",
    "LEAFLET_VERSION",
    "Markup",
    "asset_text",
    "environment",
    "escape",
    "json_for_script",
    "leaflet_assets",
    "render",
    "template",
]

#: The vendored Leaflet (``output/assets/leaflet/``), also the version linked with ``cdn=True``.
LEAFLET_VERSION = "1.9.4"
#: Where ``cdn=True`` pages load Leaflet from (the npm package of the same version).
CDN_URLS: dict[str, str] = {
    "leaflet.js": f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js",
    "leaflet.css": f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css",
}

_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "{": "\\u007b",
}
# ``{`` only where a template engine would see a tag (``{{``, ``{%``, ``{#``): in JSON that
# is always inside a string (an object starts with ``{"`` or ``{}``)
_JS_UNSAFE = re.compile("[<>&\u2028\u2029]|\\{(?=[{%#])")


def escape(value: Any) -> str:
    """``value`` as text escaped for HTML content and quoted attribute values.

    For HTML built in code from escaped parts (a plain ``str``, so joining it with other
    strings never escapes twice); in templates, pass the raw value instead: autoescape
    does it there.
    """
    return str(markupsafe.escape(value))


def json_for_script(value: Any) -> Markup:
    """``value`` as compact JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes (so ``</script>`` or ``<!--``
    in the data cannot end or change the script), U+2028/U+2029 are escaped for old
    JavaScript parsers, and the ``{`` of ``{{``, ``{%`` and ``{#`` too (a page that passes
    through a template engine again, as folium's elements do, cannot evaluate data). The
    result parses to ``value`` with ``JSON.parse`` or as a JavaScript literal. NaN and
    infinity are refused (they are not JSON).

    Raises
    ------
    ValueError
        ``value`` holds NaN or infinity.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(_JS_UNSAFE.sub(lambda m: _JS_ESCAPES[m.group(0)], text))


@functools.cache
def environment() -> jinja2.Environment:
    """The jinja2 environment of every HTML template (autoescape on, strict undefined)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("geoprestatie.output", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json_script"] = json_for_script
    return env


def template(source: str) -> jinja2.Template:
    """A template from a string in the autoescaping environment (for folium elements)."""
    return environment().from_string(source)


def render(name: str, /, **context: Any) -> Markup:
    """Render ``templates/<name>`` with ``context``; strings in it are escaped."""
    return Markup(environment().get_template(name).render(**context))


def asset_text(name: str) -> str:
    """The text of a shipped asset, e.g. ``"leaflet/leaflet.js"`` or ``"gpmap.js"``."""
    return (files("geoprestatie.output") / "assets" / name).read_text(encoding="utf-8")


def _asset_bytes(name: str) -> bytes:
    return (files("geoprestatie.output") / "assets" / name).read_bytes()


@functools.cache
def _inline_leaflet() -> tuple[str, str]:
    """Leaflet's CSS (its images as data URIs) and JS, ready to inline."""
    css = asset_text("leaflet/leaflet.css")

    def data_uri(match: re.Match[str]) -> str:
        png = base64.b64encode(_asset_bytes(f"leaflet/{match.group(1)}")).decode("ascii")
        return f"url(data:image/png;base64,{png})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    js = asset_text("leaflet/leaflet.js")
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)  # no request for a source map
    if re.search(r"</style|<!--", css, re.I) or re.search(r"</script|<!--", js, re.I):
        raise RuntimeError("an inlined Leaflet asset would end its <style>/<script> element")
    return css, js


def leaflet_assets(*, cdn: bool = False) -> Markup:
    """The ``<head>`` part that loads Leaflet: inline (default) or linked from a CDN.

    Inline makes the page work offline and behind a firewall that blocks CDNs (~165 kB);
    ``cdn=True`` suits a website that prefers shared, cached copies.
    """
    if cdn:
        return render("leaflet_cdn.html.j2", urls=CDN_URLS)
    css, js = _inline_leaflet()
    return render("leaflet_inline.html.j2", css=Markup(css), js=Markup(js))
