#!/usr/bin/env python3
"""The `secrets` suite (last in `make test`): no private key material in what the suites wrote.

Key material: every PEM private key the tests use (everything under tests/data) and the
keys suites generate at test time (target/test-artifacts/<suite>/keys/). Needles: each full
64-character base64 body line of those PEMs, and the header text `PRIVATE KEY-----`.
Scanned: target/test-logs/* (every suite's output, but not this suite's own log),
target/test-artifacts/<suite>/logs/** (plug-in, WordPress, PHP, sandbox and demo logs) and the
fuzz run logs. Findings name the file, the line and the key, never the matching text.
Prints TAP; fails when anything matches, when nothing was scanned, or when the self-test (a key
line and a PEM header planted in a temporary log) is not detected.
Usage: scripts/secrets-scan.py   (from the repository root)
"""
import base64
import glob
import json
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from tap import TAP  # noqa: E402  (tests/tap.py)
ARTIFACTS = os.environ.get("MYPOS_TEST_ARTIFACTS") or os.path.join(ROOT, "target", "test-artifacts")
HEADER = b"PRIVATE KEY-----"
PEM_BLOCK = re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----(.*?)-----END [A-Z ]*PRIVATE KEY-----", re.S)
B64_RUN = re.compile(rb"[A-Za-z0-9+/]{64,}")
LINE = 64


def key_files():
    patterns = [
        os.path.join(ROOT, "tests", "data", "**", "*"),
        os.path.join(ARTIFACTS, "*", "keys", "**", "*"),
    ]
    files = set()
    for p in patterns:
        files.update(f for f in glob.glob(p, recursive=True) if os.path.isfile(f))
    return sorted(files)


def pack_key(data):
    """A configuration pack (base64 of JSON holding the key PEM in "pk"): (the PEM, the pack)."""
    try:
        text = data.strip()
        pk = json.loads(base64.b64decode(text, validate=True)).get("pk", "")
        return pk.encode(), text
    except (ValueError, AttributeError):
        return None, None


def needles_from(paths):
    """{64-char base64 line: 'file:line'} for every private key PEM block in `paths`, and for
    configuration packs also the pack's own text cut in 64-character lines."""
    needles, keys = {}, 0
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        pem, pack = pack_key(data)
        if pem:
            data = pem
            for i in range(0, len(pack) - LINE + 1, LINE):
                needles.setdefault(pack[i:i + LINE], f"{os.path.relpath(path, ROOT)} (a pack) chunk {i // LINE + 1}")
        for block in PEM_BLOCK.finditer(data):
            keys += 1
            lines = [l.strip() for l in block.group(1).splitlines() if l.strip()]
            for i, line in enumerate(lines):
                if len(line) == LINE and B64_RUN.fullmatch(line):
                    needles.setdefault(line, f"{os.path.relpath(path, ROOT)} body line {i + 1}")
    return needles, keys


def log_files():
    own = os.path.join(ROOT, "target", "test-logs", "secrets.log")
    patterns = [
        os.path.join(ROOT, "target", "test-logs", "*"),
        os.path.join(ARTIFACTS, "*", "logs", "**", "*"),
        os.path.join(ROOT, "fuzz", "artifacts", "*", "*.log"),
    ]
    files = set()
    for p in patterns:
        files.update(f for f in glob.glob(p, recursive=True) if os.path.isfile(f))
    files.discard(own)
    return sorted(files)


FUZZ_LOGS = os.path.join("fuzz", "artifacts", "")


def scan(paths, needles):
    """(findings, bytes scanned). Every 64-character window of each base64 run is looked up."""
    findings, total = [], 0
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        total += len(data)
        for n, text in enumerate(data.split(b"\n"), 1):
            # libFuzzer's logs quote the PEM markers of the seed corpus (its recommended
            # dictionary); the key lines themselves are still searched there.
            if HEADER in text and FUZZ_LOGS not in path:
                findings.append(f"{path}:{n}: PEM private key header")
            for run in B64_RUN.finditer(text):
                s = run.group(0)
                for i in range(len(s) - LINE + 1):
                    hit = needles.get(s[i:i + LINE])
                    if hit:
                        findings.append(f"{path}:{n}: a line of {hit}")
                        break
    return findings, total


def main():
    tap = TAP()
    keys = key_files()
    needles, pem_count = needles_from(keys)
    for d in sorted({os.path.relpath(os.path.dirname(p), ROOT) for p in keys if p.startswith(ARTIFACTS)}):
        print(f"# keys made at test time: {d}/")
    tap(pem_count >= 7 and len(needles) >= 100,
        f"{pem_count} private key PEMs in {len(keys)} key files give {len(needles)} 64-character base64 lines")

    logs = log_files()
    findings, total = scan(logs, needles)
    tap(len(logs) > 0 and total > 0, f"scanned {len(logs)} files, {total} bytes")
    for d in sorted({os.path.relpath(os.path.dirname(p), ROOT) for p in logs}):
        print(f"#   {d}/: {sum(1 for p in logs if os.path.dirname(p) == os.path.join(ROOT, d))} files")
    tap(not findings, "no private key line or PEM header in any log", findings[:50])

    # Self-test: the same scan must find a planted key line and a planted header.
    with tempfile.TemporaryDirectory() as tmp:
        line = next(iter(needles)) if needles else b"x" * LINE
        planted = os.path.join(tmp, "planted.log")
        with open(planted, "wb") as f:
            f.write(b"request failed: key=" + line + b"&next\nall good\n")
        hits, _ = scan([planted], needles)
        tap(len(hits) == 1 and ":1: a line of " in hits[0], "self-test: a key line planted in a log is found")
        with open(planted, "wb") as f:
            f.write(b"all good\n-----BEGIN RSA PRIVATE KEY-----\n")
        hits, _ = scan([planted], needles)
        tap(len(hits) == 1 and ":2: PEM private key header" in hits[0], "self-test: a PEM header planted in a log is found")
        with open(planted, "wb") as f:
            f.write(b"nothing secret here: " + line[:40] + b" " + line[40:] + b"\n")
        hits, _ = scan([planted], needles)
        tap(hits == [], "self-test: a clean log (a key line cut in two) passes")
    return tap.plan()


if __name__ == "__main__":
    sys.exit(main())
