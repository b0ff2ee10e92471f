"""Rebuild examples/ecbplus-sample.jsonl, the demo corpus, from ../shared/data/stories/ecbplus.

ECB+ annotations are CC-BY-3.0 (Agata Cybulska and Piek Vossen, 2014); the news texts are not
copyrighted according to the release README. See examples/ECBPLUS-NOTICE.md.

Usage: .venv/bin/python tools/make_demo_sample.py
"""

from __future__ import annotations

import json
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories" / "ecbplus" / "docs.jsonl"
TARGET = Path(__file__).resolve().parents[1] / "examples" / "ecbplus-sample.jsonl"
# Topics whose two seminal events look alike: riots, earthquakes, bombings.
TOPICS = ("8", "19", "20", "37", "41")


def main() -> None:
    lines = []
    for raw in SOURCE.read_text(encoding="utf-8").splitlines():
        doc = json.loads(raw)
        if doc["topic"] not in TOPICS:
            continue
        record = {
            "url": doc["url"] or f"urn:ecbplus:{doc['id']}",
            "text": doc["text"],
            "ecbplus_id": doc["id"],
            "ecbplus_subtopic": doc["subtopic"],
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} documents to {TARGET}")


if __name__ == "__main__":
    main()
