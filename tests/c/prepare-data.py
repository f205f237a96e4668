#!/usr/bin/env python3
"""Writes the vectors and keys of tests/data as plain files the C tests can read.
Usage: prepare-data.py DATA_DIR OUT_DIR   (DATA_DIR: the repository's tests/data)"""
import json
import os
import shutil
import sys

data, out = sys.argv[1], sys.argv[2]
vec = os.path.join(data, "vectors")
os.makedirs(os.path.join(out, "incoming"), exist_ok=True)


def load(name):
    with open(os.path.join(vec, name), encoding="utf-8") as f:
        return json.load(f)


def write(name, text):
    with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)


keys = os.path.join(data, "keys")
for k in ("merchant_private.pem", "merchant_cert.pem", "mypos_private.pem", "mypos_cert.pem"):
    shutil.copy(os.path.join(keys, k), os.path.join(out, k))
tk = os.path.join(data, "test-keys")
shutil.copy(os.path.join(tk, "simulated-mypos-private-key.pem"), os.path.join(out, "sim_mypos_private.pem"))
shutil.copy(os.path.join(tk, "simulated-mypos-cert.pem"), os.path.join(out, "sim_mypos_cert.pem"))
shutil.copy(os.path.join(tk, "mypos-test-merchant-private-key.pem"), os.path.join(out, "test_merchant_1024.pem"))
shutil.copy(os.path.join(tk, "mypos-test-config-package.txt"), os.path.join(out, "mypos_test_pack.txt"))
# The hostile-notify table (tests/data/hostile-notifies.tsv) and the certificates it names.
for k in ("simulated-mypos-cert.pem", "mypos-test-public-cert.pem"):
    shutil.copy(os.path.join(tk, k), os.path.join(out, k))
shutil.copy(os.path.join(data, "hostile-notifies.tsv"), os.path.join(out, "hostile-notifies.tsv"))

main = load("rsa2048/purchase_main.json")
write("purchase_main.body", main["browser_body_application_x_www_form_urlencoded"])
write("purchase_main.signature", main["sign_steps"]["signature_base64"])
write("purchase_main.params", "".join(f"{n}\t{v}\n" for n, v in main["params_in_signing_order"]))
write("config_pack.txt", load("rsa2048/config_pack.json")["base64"])

refund = load("rsa2048/refund_json.json")
write("refund_json.request", refund["request"]["raw_body"])
for name in ("refund_json", "refund_xml", "reversal_xml", "getpaymentstatus_xml", "gettxnstatus_json", "gettxnstatus_xml"):
    write(f"{name}.response", load(f"rsa2048/{name}.json")["response"]["raw_body"])

index = []
for v in load("incoming-notifications.json")["vectors"]:
    if "raw_body" not in v or v.get("http_method") != "POST":
        continue
    index.append(f"{v['id']} {v['recommended_verdict']}\n")
    write(f"incoming/{v['id']}", v["raw_body"])
write("incoming/index", "".join(index))
