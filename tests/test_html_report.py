"""`cachelint report LOG --html FILE`: a self-contained page with the timeline, checked as HTML and in a browser."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cachelint.runtime.commands import report
from tests.runtime.test_commands import write_log


class Collect(HTMLParser):
    """Tags, external references and text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.external += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    log = tmp_path / "calls.jsonl"
    write_log(log)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(report, [str(log), "--html", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_page_has_one_timeline_per_conversation_and_names_the_drift(page: Path) -> None:
    parsed = Collect()
    parsed.feed(page.read_text(encoding="utf-8"))
    text = " ".join(parsed.text)
    assert parsed.tags.count("svg") == 2 and parsed.external == [] and "script" not in parsed.tags
    assert "Conversation ticket-1" in text and "Conversation ticket-2" in text
    # Three calls in ticket-1: bars for read, written and uncached tokens, one drift marked at turn 3.
    assert "call 2: 2,000 tokens read from cache" in text and "call 1: 2,000 tokens written to cache" in text
    assert "drift at turn 3: system[0] changed, $" in text and "lost" in text
    assert parsed.tags.count("circle") == 1


def png_colours(data: bytes) -> set[bytes]:
    """The distinct pixel colours of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        header = chunk if kind == b"IHDR" else header
        idat += chunk if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    previous, colours = bytearray(stride), set()
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        if y % 4 == 0:  # every fourth row is plenty to tell a blank page from a chart
            colours.update(bytes(line[i : i + 3]) for i in range(0, stride, bpp))
        previous = line
    return colours


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (Debian: apt-get install chromium); the HTML is still checked by html.parser")
def test_page_renders_in_headless_chromium(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    subprocess.run(
        [BROWSER, *flags, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=900,700", f"--screenshot={shot}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=90,
    )
    colours = png_colours(shot.read_bytes())
    # The bar colours are drawn: read (green) and written (orange), not just a white page.
    assert bytes.fromhex("2e9e5b") in colours and bytes.fromhex("e08a1e") in colours
