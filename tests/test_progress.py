"""The console progress: stage lines always, a bar only on a terminal."""

from __future__ import annotations

import io

from geoprestatie.progress import StageProgress


def test_lines_without_bar_are_printed_as_given() -> None:
    out = io.StringIO()
    say = StageProgress(stream=out)  # StringIO is no terminal: no bar
    for line in ("[1/6] Laden", "      buurten: 145", "[uitvoer] kaarten"):
        say(line)
    say.close()
    assert out.getvalue() == "[1/6] Laden\n      buurten: 145\n[uitvoer] kaarten\n"


def test_bar_follows_the_stages() -> None:
    out = io.StringIO()
    say = StageProgress(stream=out, bar=True)
    say("[1/6] Laden")
    say("[3/6] SIA: prioriteren")
    assert say._bar is not None
    assert (say._bar.n, say._bar.total) == (2, 6)
    say("      detail")
    say.close()
    text = out.getvalue()
    assert "[3/6] SIA: prioriteren" in text and "detail" in text
    assert say._bar is None
