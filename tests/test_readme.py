"""The README's Python example runs as written (on the embedded demo)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from geoprestatie.errors import DataWarning

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "README has no python example"
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the demo's deliberate flaws
        for block in blocks:
            exec(compile(block, str(README), "exec"), namespace)
    assert len(namespace["buurten"]) == 70  # type: ignore[arg-type]
