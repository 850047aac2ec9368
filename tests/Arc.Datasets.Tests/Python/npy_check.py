"""The NumPy side of Arc's .npy interop tests (Debian's python3-numpy; no pickles are ever loaded).

  npy_check.py check <dir>     every cs_<case>.npy in <dir> (written by Arc) loads with np.load and equals the case's
                               array bit for bit, and its bytes are exactly what np.save writes for that array
  npy_check.py write <dir>     writes np_<case>.npy for every case, plus files Arc must read (text, records, format
                               2.0 and 3.0) or refuse (Fortran order, big-endian, objects)
  npy_check.py dataset <dir>   loads every X_*.npy / y_*.npy of a published dataset version, recomputes its content
                               hash as docs/datasets.md defines it, and prints both as JSON
The cases are generated from formulas that tests/Arc.Datasets.Tests/Npy/NpyCases.cs repeats in C#.
"""
import hashlib
import io
import json
import os
import sys

import numpy as np

SHAPES = {
    "float32": (4, 3, 5),
    "float64": (6,),
    "int32": (5, 2),
    "int64": (7,),
    "uint8": (3, 2, 2, 2),
    "bool": (9,),
    "empty": (0, 3),
}


def case(name):
    shape = SHAPES[name]
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.int64)
    if name in ("float32", "empty"):
        x = i.astype(np.float64) * 0.37 - 5.0
        a = (x * x * x).astype(np.float32)
        specials = [np.nan, np.inf, -np.inf, -0.0]
        a[: min(n, 4)] = np.array(specials[: min(n, 4)], dtype=np.float32)
    elif name == "float64":
        a = i.astype(np.float64) * 1.5e10 - 7.25
    elif name == "int32":
        a = ((i * 2654435761) & 0xFFFFFFFF) - 2**31
        a = a.astype(np.int32)
    elif name == "int64":
        a = np.array([((int(k) * 6364136223846793005 + 1442695040888963407) % 2**64) - 2**63 for k in range(n)], dtype=np.int64)
    elif name == "uint8":
        a = ((i * 7 + 3) % 256).astype(np.uint8)
    elif name == "bool":
        a = (i % 3) == 0
    return a.reshape(shape)


TEXTS = ["plain", "", "ünïcødé 🐟", "two\nlines", "a\0b"]


def saved(a):
    buffer = io.BytesIO()
    np.save(buffer, a, allow_pickle=False)
    return buffer.getvalue()


def same_bits(a, b):
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    return a.tobytes() == b.tobytes()


def check(folder):
    failures = []
    for name in SHAPES:
        path = os.path.join(folder, f"cs_{name}.npy")
        expected = case(name)
        loaded = np.load(path, allow_pickle=False)
        if not same_bits(loaded, expected):
            failures.append(f"{name}: loaded {loaded.dtype} {loaded.shape} differs from {expected.dtype} {expected.shape}")
        with open(path, "rb") as f:
            if f.read() != saved(expected):
                failures.append(f"{name}: the file's bytes differ from np.save's")
    for failure in failures:
        print(failure)
    print(f"checked {len(SHAPES)} files, {len(failures)} failures")
    return 1 if failures else 0


def write(folder):
    for name in SHAPES:
        np.save(os.path.join(folder, f"np_{name}.npy"), case(name), allow_pickle=False)
    np.save(os.path.join(folder, "np_text.npy"), np.array(TEXTS))
    records = np.array([(1.5, -7, "α", True), (-0.0, 2**40, "", False), (3.25, 0, "long text", True)],
                       dtype=[("x", "<f4"), ("n", "<i8"), ("word", "<U12"), ("flag", "?")])
    np.save(os.path.join(folder, "np_records.npy"), records)
    with open(os.path.join(folder, "np_v2.npy"), "wb") as f:
        np.lib.format.write_array(f, case("int32"), version=(2, 0))
    with open(os.path.join(folder, "np_v3.npy"), "wb") as f:
        np.lib.format.write_array(f, np.array([(1, 2.5)], dtype=[("größe", "<i4"), ("ñ", "<f8")]), version=(3, 0))
    np.save(os.path.join(folder, "np_fortran.npy"), np.asfortranarray(case("int32")))
    np.save(os.path.join(folder, "np_bigendian.npy"), case("float32").astype(">f4"))
    np.save(os.path.join(folder, "np_object.npy"), np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    print("written")
    return 0


def values(a):
    if a.dtype.names:
        return [[field.item() if hasattr(field, "item") else field for field in row] for row in a.tolist()]
    return a.tolist()


def dataset(folder):
    result = {"arrays": {}}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".npy"):
            a = np.load(os.path.join(folder, name), allow_pickle=False)
            result["arrays"][name] = {"dtype": a.dtype.str if not a.dtype.names else str(a.dtype.descr),
                                      "shape": list(a.shape), "values": values(a)}
    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        text = f.read()
    meta = json.loads(text)
    # The content member's exact text: decode from where its value starts and keep the characters decoded.
    start = text.index('"content":') + len('"content":')
    while text[start] in " \n\r\t":
        start += 1
    _, end = json.JSONDecoder().raw_decode(text, start)
    content = text[start:end].encode("utf-8")
    lines = []
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")
            if path == "meta.json":
                continue
            with open(os.path.join(root, name), "rb") as f:
                lines.append((path.encode("utf-8"), hashlib.sha256(f.read()).hexdigest()))
    lines.append((b"meta.json#content", hashlib.sha256(content).hexdigest()))
    manifest = b"".join(h.encode() + b"  " + p + b"\n" for p, h in sorted(lines))
    result["hash"] = hashlib.sha256(manifest).hexdigest()
    result["meta_hash"] = meta["hash"]["value"]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    mode, folder = sys.argv[1], sys.argv[2]
    sys.exit({"check": check, "write": write, "dataset": dataset}[mode](folder))
