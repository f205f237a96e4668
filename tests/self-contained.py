#!/usr/bin/env python3
"""The repository tests itself alone: no tracked file refers to a folder beside the checkout,
to a path on a developer's machine (the work, home or root folders), nor to the design
documents that are not in the repository (their content is in docs/). Test data lives in
tests/data with its provenance in tests/data/README.md. Prints TAP. This file spells its
patterns and samples so that it passes its own check.
Usage: tests/self-contained.py   (make test-self-contained)
"""
import re
import subprocess
import sys
from pathlib import Path

from tap import TAP

ROOT = Path(__file__).resolve().parent.parent
RULES = [
    ("a folder beside the checkout", re.compile(r"\.\./shared\b|\bshared/(protocol|design|wc-e2e)\b")),
    ("a path on a developer's machine", re.compile(r"(?<![\w.~-])/(work|home|root)/")),
    ("a document outside the repository",
     re.compile(r"\b(SPEC|ARCHITECTURE|IPC-PROTOCOL|PLUGIN|plugin-anchors|style-anchors)(\.md\b|\s*§)")),
]

tap = TAP()
files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
files = [f for f in files if f and (ROOT / f).is_file()]
tap(len(files) > 100, f"{len(files)} tracked files to check")
for what, pattern in RULES:
    hits = []
    for f in files:
        try:
            text = (ROOT / f).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files (images) hold no paths
        for no, line in enumerate(text.splitlines(), 1):
            m = pattern.search(line)
            if m:
                hits.append(f"{f}:{no}: {m.group(0)}")
    tap(not hits, f"no tracked file refers to {what} ({len(hits)} found)", hits[:40])

# The check itself: each rule catches what it is for.
# Built from parts, so this file holds none of them whole.
samples = ["../" + "shared/" + "protocol/x.pem", "/" + "home/dev/x", "see SPEC" + ".md §4"]
tap(all(p.search(s) for (_, p), s in zip(RULES, samples)), "self-test: each rule finds its planted example")
tap(not any(p.search("https://developers.mypos.com/ tests/data/keys docs/protocol.md") for _, p in RULES),
    "self-test: URLs and the repository's own paths pass")
sys.exit(tap.plan())
