"""Writing a benchmark's figures into docs/benchmarks.md: each run replaces its own block
(between `<!-- tag:start -->` and `<!-- tag:end -->`) inside its section, and leaves the rest of
the file as it is. Shared by the benchmark scripts of this folder."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_block(section: str, tag: str, lines: list[str]) -> None:
    """Replace block `tag` of `section` (a "## …" heading), creating the file, the section or
    the block when absent."""
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    block = "\n".join([start, *lines, end])
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    elif section in text:
        head, tail = text.split(section, 1)
        following = re.search(r"^## ", tail, re.M)
        cut = following.start() if following else len(tail)
        text = head + section + tail[:cut].rstrip("\n") + "\n\n" + block + "\n\n" + tail[cut:]
        text = text.rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + f"\n\n{section}\n\n{block}\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
