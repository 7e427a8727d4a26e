"""output/html.py: the one escaping path and the inlined Leaflet."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geoprestatie.output import html

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "<!--",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
    "a\u2028b\u2029c & d",
]


@given(
    st.recursive(
        st.text() | st.integers() | st.booleans() | st.none(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_json_for_script_round_trips_and_is_inert(value: object) -> None:
    text = str(html.json_for_script(value))
    assert json.loads(text) == value
    assert not any(c in text for c in "<>&\u2028\u2029")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_leaves_no_markup(payload: str) -> None:
    out = html.escape(payload)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert isinstance(out, str) and not isinstance(out, html.Markup)


def test_templates_autoescape() -> None:
    page = str(
        html.render(
            "page.html.j2",
            title=PAYLOADS[1],
            subtitle=PAYLOADS[0],
            synthetic=False,
            css=html.Markup(""),
            script=None,
            body=html.Markup("<p>x</p>"),
        )
    )
    assert "<img" not in page and "<script>" not in page and "<p>x</p>" in page


def test_json_for_script_refuses_nan() -> None:
    with pytest.raises(ValueError):
        html.json_for_script({"x": float("nan")})


def test_leaflet_inline_or_cdn() -> None:
    inline = str(html.leaflet_assets())
    assert '<script src="http' not in inline and "<link" not in inline
    assert "sourceMappingURL" not in inline and "images/layers.png" not in inline
    assert html.LEAFLET_VERSION in html.asset_text("leaflet/leaflet.js")[:200]
    cdn = str(html.leaflet_assets(cdn=True))
    assert cdn.count("https://") == 2 and len(cdn) < 500


def test_template_syntax_in_data_is_never_evaluated() -> None:
    """Folium/branca parse element text as jinja2 templates: data must stay data."""
    from geoprestatie.output.html import json_for_script

    text = str(json_for_script({"naam": "{{7*7}}{%if 1%}x{%endif%}{#c#}"}))
    assert "{{" not in text and "{%" not in text and "{#" not in text
    assert json.loads(text) == {"naam": "{{7*7}}{%if 1%}x{%endif%}{#c#}"}
