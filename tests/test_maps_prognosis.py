from __future__ import annotations

import pandas as pd
import pytest

from geoprestatie.errors import DataWarning
from geoprestatie.output.maps import prognose_map


def _prognosis() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "corporatie": ["<b>Corp</b>", "B", "B"],
            "buurtcode": ["BU99990000", "BU99990000", None],
            "jaar": [2022, 2022, 2022],
            "beginstand": [10, 5, 3],
            "eindstand": [12, 4, 3],
        }
    )


def test_map_sums_corporations_and_escapes(grid_buurten) -> None:  # type: ignore[no-untyped-def]
    with pytest.warns(DataWarning, match="3 woning"):
        m = prognose_map(_prognosis(), grid_buurten, years=[2022], title="<i>t</i>")
    page = m.get_root().render()
    # inert JSON in the page (< and > escaped), shown as text by the page's script
    assert "<b>Corp" not in page and "\\u003cb\\u003eCorp" in page
    assert "<i>t</i>" not in page and "\\u003ci\\u003et\\u003c/i\\u003e" in page
    # 12 + 4 at the end of 2022, 15 at the start: +1
    assert '"eind_2022":["16"' in page and '"mut_2022":["+1"' in page
    assert '"Eindstand 2022"' in page


def test_map_bad_year(grid_buurten) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"beslaat \[2022\]"):
        prognose_map(_prognosis().dropna(), grid_buurten, years=[2030])
