"""Reading a documentation page's fenced blocks, sections and tables, for the docs tests."""

from __future__ import annotations

import re
from pathlib import Path


DOCS = Path(__file__).resolve().parent.parent / "docs"

_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_CODE = re.compile(r"^`([^`]+)`$")


class MarkdownPage:
    """A Markdown page of the documentation, read afresh by every call."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lines(self) -> list[str]:
        return self.path.read_text(encoding="utf-8").splitlines()

    def fenced_blocks(self, language: str) -> list[list[str]]:
        """Return the bodies of the page's fenced blocks in *language*."""
        lines = self.lines()
        blocks: list[list[str]] = []
        index = 0
        while index < len(lines):
            opening = _FENCE.match(lines[index])
            index += 1
            if opening is None:
                continue
            fence, info = opening[1], opening[2].strip()
            body: list[str] = []
            while index < len(lines):
                closing = _FENCE.match(lines[index])
                index += 1
                if closing is not None and closing[1].startswith(fence) and not closing[2].strip():
                    break
                body.append(lines[index - 1])
            if info == language:
                blocks.append(body)
        return blocks

    def section(self, title: str) -> list[str]:
        """Return the lines of the section headed *title*, up to the next heading."""
        inside = False
        found: list[str] = []
        in_code = False
        for line in self.lines():
            if _FENCE.match(line):
                in_code = not in_code
            heading = None if in_code else _HEADING.match(line)
            if heading is not None:
                if inside:
                    break
                inside = heading[2] == title
                continue
            if inside:
                found.append(line)
        assert inside, f"{self.path.name} has no section headed {title!r}"
        return found

    def table(self, title: str, header: list[str]) -> list[list[str]]:
        """Return the body rows of the table with *header* in the section headed *title*."""
        matching = [rows for rows in tables(self.section(title)) if rows[0] == header]
        assert len(matching) == 1, f"expected one table headed {header} under {title!r}"
        return matching[0][1:]


def tables(lines: list[str]) -> list[list[list[str]]]:
    """Return the Markdown tables in *lines*: header row first, cells stripped."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        if not stripped.startswith("|"):
            if current:
                found.append(current)
            current = []
            continue
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        if not all(set(cell) <= {"-", ":"} for cell in cells):  # skip the delimiter row
            current.append(cells)
    return found


def code(cell: str) -> str:
    """Return the text of the one `code` span that makes up *cell*."""
    found = _CODE.match(cell)
    assert found is not None, f"expected one `code` span, got {cell!r}"
    return found[1]
