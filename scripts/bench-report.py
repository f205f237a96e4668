#!/usr/bin/env python3
"""Compares the criterion results of `benches/crypto.rs` with `openssl speed` run just after,
on the same machine, and prints the table recorded in the README (ops/s and ratios); then the
input-limits table: parse+verify of the worst body the limits allow as a ratio to a body of
the same size made of one long field, both from the same criterion run."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

CRIT = Path("target/criterion")


def ops(group, name, backend):
    f = CRIT / group / name / backend / "new" / "estimates.json"
    if not f.exists():
        return None
    return 1e9 / json.loads(f.read_text())["mean"]["point_estimate"]


def mean_ns(group, name):
    f = CRIT / group / name / "new" / "estimates.json"
    if not f.exists():
        return None
    return json.loads(f.read_text())["mean"]["point_estimate"]


def limits_report():
    """The worst case of the input limits against one long field (goal: within 3x)."""
    worst, long = mean_ns("limits", "worst-case"), mean_ns("limits", "one-long-field")
    if not worst or not long:
        print("\ninput limits: no results in target/criterion/limits (run the `limits` group)")
        return
    print("\n| notify body of 1,048,576 bytes (the limit) | parse+verify | ratio |")
    print("|---|---:|---:|")
    print(f"| one long field | {long / 1e6:.2f} ms | 1.00x |")
    print(f"| 4,096 fields with distinct 64-byte names (worst case) | {worst / 1e6:.2f} ms | {worst / long:.2f}x |")
    goal = "met" if worst / long <= 3 else "NOT met"
    print(f"\nworst case vs one long field: {worst / long:.2f}x (goal <= 3: {goal})")


def openssl_speed():
    out = subprocess.run(
        ["openssl", "speed", "-seconds", os.environ.get("OPENSSL_SECONDS", "3"), "rsa1024", "rsa2048"],
        capture_output=True, text=True, check=True,
    ).stdout
    speeds = {}
    for m in re.finditer(r"^rsa\s+(\d+) bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)", out, re.M):
        speeds[int(m[1])] = (float(m[2]), float(m[3]))
    return speeds


def main():
    speeds = openssl_speed()
    print(f"| RSA | operation | openssl speed | aws-lc (default) | ratio | rustcrypto | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|")
    worst = 0.0
    for bits in (1024, 2048):
        for i, name in enumerate(("sign", "verify")):
            base = speeds[bits][i]
            fast = ops(f"rsa{bits}", name, "aws-lc")
            slow = ops(f"rsa{bits}", name, "rustcrypto")
            # aws-lc signs 2048+ bit keys only; 1024-bit signing uses rustcrypto by design.
            cell = lambda v: f"{v:,.0f}/s" if v else "n/a"
            ratio = lambda v: f"{base / v:.2f}x slower" if v else "n/a"
            print(f"| {bits} | {name} | {base:,.0f}/s | {cell(fast)} | {ratio(fast)} | {cell(slow)} | {ratio(slow)} |")
            if bits == 2048 and fast:
                worst = max(worst, base / fast)
        notify = ops(f"rsa{bits}", "notify", "aws-lc")
        if notify:
            print(f"| {bits} | notify parse+verify | | {notify:,.0f}/s | | | |")
    goal = "met" if worst and worst <= 1.3 else "NOT met"
    print(f"\nRSA-2048 default backend vs openssl speed: worst ratio {worst:.2f} (goal <= 1.3: {goal})")
    limits_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
