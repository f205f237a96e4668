#!/usr/bin/env python3
"""Every command the README shows is exercised: by a suite of this `make test` run, or here.

The README's commands are the lines of its ```sh blocks and the inline code spans that start
with a command word (make, cargo, php, ipc, ...). Each must have a row in
tests/readme-commands.tsv saying how it is exercised, and every row must still be in the README:

  suite  NAME FILE REGEX   suite NAME passed in this run (target/test-logs/counts) and FILE
                           contains REGEX (the place that runs the command)
  suites                   every suite listed before this one in the Makefile's SUITES passed
  run    SHELL             run here, bounded; must exit 0 (SHELL may adapt arguments, e.g. a
                           temporary PREFIX, a shorter benchmark)
  script NAME              a check defined below, for commands that need more than an exit code

Prints TAP. Run it alone with `make test-readme-commands` (suite rows then SKIP unless
`make test` has run them).
"""
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tap import TAP

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TABLE = ROOT / "tests" / "readme-commands.tsv"
COUNTS = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "test-logs" / "counts"
COMMAND_WORDS = ("make", "cargo", "php", "ipc", "phpenmod", "npm", "node", "bash", "sudo")
RUN_TIMEOUT = 900

tap = TAP()


def readme_commands(text):
    """Commands in ```sh blocks (one per line, comments dropped) and command-like code spans."""
    found = []
    in_sh = False
    for line in text.splitlines():
        fence = re.match(r"^```(\w*)", line)
        if fence:
            in_sh = not in_sh and fence[1] in ("sh", "bash", "console")
            continue
        if in_sh:
            cmd = re.sub(r"\s+#.*$", "", line).strip().removeprefix("$ ")
            if cmd and not cmd.startswith("#"):
                found.append(cmd)
            continue
        for span in re.findall(r"`([^`\n]+)`", line):
            words = span.split()
            if not words:
                continue
            first = words[0]
            while "=" in first and re.match(r"^[A-Z_]+=", first) and len(words) > 1:
                words = words[1:]
                first = words[0]
            if first in COMMAND_WORDS and len(words) > 1:
                found.append(span.strip())
    return list(dict.fromkeys(found))


def read_table():
    rows = {}
    for raw in TABLE.read_text().splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cmd, kind, *rest = raw.split("\t")
        rows[cmd] = (kind, rest)
    return rows


def suite_counts():
    """{suite: (failed, rc, all_skipped)} for the suites of this make test run."""
    if not COUNTS.exists():
        return {}
    out = {}
    for line in COUNTS.read_text().splitlines():
        name, p, f, s, _secs, rc = line.split()
        out[name] = (int(f), int(rc), int(p) == 0 and int(s) > 0)
    return out


def makefile_suites():
    text = (ROOT / "Makefile").read_text()
    names = []
    for m in re.finditer(r"^SUITES \+?:?= (.*)$", text, re.M):
        names += m[1].split()
    return names


def check_suite(cmd, name, path, regex, counts):
    source = (ROOT / path).read_text(errors="replace") if (ROOT / path).exists() else ""
    if not re.search(regex, source, re.M):
        tap(False, f"`{cmd}`: {path} runs it", f"/{regex}/ not found in {path}")
        return
    if name not in counts:
        tap(None, f"`{cmd}`: suite {name} passed", f"suite {name} has not run (make test runs it)")
        return
    f, rc, all_skipped = counts[name]
    if all_skipped and f == 0 and rc == 0:
        tap(None, f"`{cmd}`: suite {name} passed", f"suite {name} skipped itself in this run")
        return
    tap(f == 0 and rc == 0, f"`{cmd}`: suite {name} passed ({path})", f"{f} failed, exit {rc}")


def check_all_suites(cmd, counts):
    me = "readme-commands"
    suites = makefile_suites()
    before = suites[: suites.index(me)] if me in suites else suites
    if not counts:
        tap(None, f"`{cmd}`: every suite ran", "no counts: not run by make test")
        return
    missing = [s for s in before if s not in counts]
    bad = [s for s in before if s in counts and counts[s][:2] != (0, 0)]
    tap(not missing and not bad, f"`{cmd}`: all {len(before)} suites before this one ran and passed",
        f"missing: {missing} failing: {bad}")


def run(cmd, shell):
    start = time.time()
    try:
        p = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True,
                           timeout=RUN_TIMEOUT, start_new_session=True)
        ok, out = p.returncode == 0, p.stdout + p.stderr
        detail = f"exit {p.returncode}\n{out}"
    except subprocess.TimeoutExpired as e:
        ok, detail = False, f"timed out after {RUN_TIMEOUT}s\n{e.stdout or ''}"
    tap(ok, f"`{cmd}` runs ({time.time() - start:.0f}s)", detail)


def script_demo_serve(cmd):
    """`make demo SERVE=1`: both servers answer, then Ctrl-C (SIGINT to the group) stops both."""
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(["make", "--no-print-directory", "demo", "SERVE=1"], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "MAKEFLAGS": ""})
        urls = {}
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None and len(urls) < 2:
            time.sleep(0.3)
            out.seek(0)
            text = out.read()
            if m := re.search(r"^listening on (http://127\.0\.0\.1:\d+)", text, re.M):
                urls["shop"] = m[1]
            if m := re.search(r"^sandbox: (http://127\.0\.0\.1:\d+)", text, re.M):
                urls["sandbox"] = m[1]
        answered = all(curl_ok(u + "/") for u in urls.values()) and len(urls) == 2
        tap(answered, f"`{cmd}`: shop and sandbox answer on 127.0.0.1", f"urls: {urls}")
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
            stopped = True
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stopped = False
        time.sleep(0.5)
        left = [u for u in urls.values() if curl_ok(u + "/")]
        leftover = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout
        tap(stopped and not left and not leftover.strip(),
            f"`{cmd}`: Ctrl-C stops both, no process left",
            f"stopped={stopped} still answering={left} processes={leftover!r}")


def curl_ok(url):
    return subprocess.run(["curl", "-fs", "-o", "/dev/null", "--max-time", "5", url]).returncode == 0


def script_php_install(cmd):
    """The store owner's install steps for the extension, for real (root only), then undone."""
    if os.geteuid() != 0:
        tap(None, f"`{cmd}`: extension enabled system-wide", "needs root (it writes /etc/php)")
        return
    ext = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "libmypos_ipc.so"
    ext_dir = subprocess.run(["php-config", "--extension-dir"], capture_output=True, text=True).stdout.strip()
    ini = Path("/etc/php/8.2/mods-available/mypos_ipc.ini")
    installed = Path(ext_dir) / "libmypos_ipc.so"
    if ini.exists() or installed.exists():
        tap(None, f"`{cmd}`: extension enabled system-wide", f"{ini} or {installed} already exists; left alone")
        return
    steps = (f"cp {shlex.quote(str(ext))} {shlex.quote(str(installed))} && "
             f"echo 'extension=libmypos_ipc.so' > {ini} && {cmd} && "
             "php -r 'echo MyPOS\\IPC\\VERSION;' && php -m | grep -qx mypos_ipc")
    try:
        p = subprocess.run(["bash", "-c", steps], capture_output=True, text=True, timeout=60)
        tap(p.returncode == 0, f"`{cmd}`: plain `php` then loads mypos_ipc (README install steps)",
            f"exit {p.returncode}\n{p.stdout}{p.stderr}")
    finally:
        subprocess.run(["phpdismod", "mypos_ipc"], capture_output=True)
        ini.unlink(missing_ok=True)
        installed.unlink(missing_ok=True)
        # phpenmod/phpdismod record the admin's choice (/var/lib/php/modules/8.2/<sapi>/
        # {enabled,disabled}_by_admin/mypos_ipc); a later package install (tests/deb) would obey a
        # stale "disabled by the administrator" and not enable the module.
        for state in Path("/var/lib/php/modules/8.2").glob("*/*_by_admin/mypos_ipc"):
            state.unlink(missing_ok=True)
    still = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.split()
    tap("mypos_ipc" not in still, f"`{cmd}`: undone afterwards", "mypos_ipc still loaded by php")


SCRIPTS = {"demo-serve": script_demo_serve, "php-install": script_php_install}


def main():
    commands = readme_commands(README.read_text())
    rows = read_table()
    counts = suite_counts()
    tap(len(commands) >= 10, f"found {len(commands)} commands in README.md", str(commands))
    for cmd in commands:
        if cmd not in rows:
            tap(False, f"`{cmd}` has a row in tests/readme-commands.tsv",
                "add a row saying which suite exercises it, or how to run it here")
            continue
        kind, rest = rows[cmd]
        if kind == "suite":
            check_suite(cmd, *rest, counts)
        elif kind == "suites":
            check_all_suites(cmd, counts)
        elif kind == "run":
            run(cmd, rest[0])
        elif kind == "script":
            SCRIPTS[rest[0]](cmd)
        else:
            tap(False, f"`{cmd}`: known kind", f"unknown kind {kind!r}")
    for cmd in rows:
        tap(cmd in commands, f"table row `{cmd}` is still in README.md", "remove the stale row")
    return tap.plan()


if __name__ == "__main__":
    sys.exit(main())
