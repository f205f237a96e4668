#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the vectors and keys in tests/data (bodies, answers, packs, keys).

Usage: fuzz/seed.py [DATA_DIR]   (default: tests/data of the repository)
The corpus folders are gitignored; re-running is idempotent (files are named by content hash).
"""
import base64
import glob
import hashlib
import json
import os
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "data"))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

FORM_TARGETS = ["parse_urlencoded", "notify_verify", "verify_form"]
PAIR_KEYS = {"posted_pairs", "post_pairs_in_received_order", "fields_signed_in_order",
             "params", "params_in_signing_order", "values_signed_by_sender", "sdk_parsed_fields"}
BODY_KEYS = {"raw_body", "wire_body", "body_as_browser_submits",
             "browser_body_application_x_www_form_urlencoded", "raw"}
counts = {}


def add(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1


def urlencode(pairs):
    return "&".join(urllib.parse.quote_plus(n, safe="-_.") + "=" + urllib.parse.quote_plus(v, safe="-_.")
                    for n, v in pairs)


def form_body(body):
    for t in FORM_TARGETS:
        add(t, body)
    # sign_form takes bodies without Signature.
    kept = [seg for seg in body.split("&") if not seg.lower().startswith("signature=")]
    if kept:
        add("sign_form", "&".join(kept))


def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in BODY_KEYS and isinstance(value, str):
                stripped = value.lstrip()
                if stripped.startswith("{") or stripped.startswith("<"):
                    add("response", value)
                elif "=" in value:
                    form_body(value)
            elif key in PAIR_KEYS and isinstance(value, list) and all(
                    isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value):
                if value:
                    form_body(urlencode(value))
            elif key == "package" and isinstance(value, str):
                add("config_pack", value)
            else:
                walk(value)
    elif isinstance(node, list):
        for item in node:
            walk(item)


def pem_seeds(path):
    text = open(path, "rb").read()
    add("pem_keys", b"\x07" + text)  # mode 7: the PEM text as it is
    labels = ["CERTIFICATE", "PUBLIC KEY", "RSA PUBLIC KEY", "RSA PRIVATE KEY", "PRIVATE KEY"]
    lines = text.decode("ascii", "replace").splitlines()
    begin = next((l for l in lines if l.startswith("-----BEGIN ")), None)
    if not begin:
        return
    label = begin[len("-----BEGIN "):].rstrip("-")
    body = "".join(l for l in lines if l and not l.startswith("-----"))
    try:
        der = base64.b64decode(body)
    except ValueError:
        return
    if label in labels:
        add("pem_keys", bytes([labels.index(label)]) + der)  # DER behind the matching label


def main():
    if not os.path.isdir(DATA):
        sys.exit(f"seed: {DATA} not found (pass the data folder as the first argument)")
    for path in sorted(glob.glob(os.path.join(DATA, "vectors", "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            walk(json.load(f))
    for path in sorted(glob.glob(os.path.join(DATA, "**", "*.pem"), recursive=True)):
        pem_seeds(path)
    for path in sorted(glob.glob(os.path.join(DATA, "**", "*config*pack*.*"), recursive=True)):
        if path.endswith((".txt", ".b64")):
            add("config_pack", open(path, "rb").read())
    # request_builders takes `arbitrary` bytes: a few structured-looking starts.
    for seed in [b"IPCPurchase\x00EUR\x00ORDER-1\x00", b"\x01" * 64, bytes(range(256))]:
        add("request_builders", seed)
        add("response_roundtrip", seed)
    for target in sorted(set(FORM_TARGETS + ["sign_form", "response", "config_pack", "pem_keys", "request_builders", "response_roundtrip"])):
        n = len(os.listdir(os.path.join(CORPUS, target))) if os.path.isdir(os.path.join(CORPUS, target)) else 0
        print(f"seed: {target}: {n} files (+{counts.get(target, 0)} new)")


main()
