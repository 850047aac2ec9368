"""A second local user attacks a develop-mode worker that another user (root, in the tests) started.

Usage: runuser -u nobody -- /usr/bin/python3 arc_second_user.py CONFIG.json
CONFIG.json (written by the test, readable by the attacker) holds:
  address       "127.0.0.1:PORT" of the worker (cleartext HTTP/2 on loopback)
  assembly      path of an assembly to upload (its module initializer writes a marker file when it runs)
  assembly_name the file name to give it in the Reload manifest
  token_sha256  SHA-256 (hex) of the worker's token: lets the scan recognise the token without being given it
  pids          processes that know the token (the worker and its owner): their /proc entries are read
  scan          folders to search, each {"path": str, "recursive": bool}
  since         Unix time the token was made: only files changed since then can hold it

What it does, as the user it runs as:
1. Harvest: reads every /proc/<pid>/ entry it is allowed to (environ, cmdline, fd/, ...) and every regular file changed
   since `since` under the scan folders, and keeps each 43-character URL-safe base64 string (a token's shape) whose
   SHA-256 is the token's. (Trying every such string against the worker would find the same ones, only slower.)
2. Attack: calls arc.Develop PutBlob (the assembly) and Reload (a manifest naming it), then arc.Model Predict, Fit,
   SaveWeights, LoadWeights, SaveOptimizerState, LoadOptimizerState, once with no token, once with a random one, and once with every token it harvested.
Prints one JSON object: what it could read, what it harvested, and the status code of every call.
"""
import hashlib
import json
import os
import re
import secrets
import stat
import struct
import sys

import grpc
import msgpack

TOKEN_SHAPE = re.compile(rb"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
MAX_READ = 8 << 20


def identity(data):
    return data


def read_limited(path):
    with open(path, "rb") as f:
        return f.read(MAX_READ)


def harvest(data, token_sha256, where, found):
    for match in TOKEN_SHAPE.finditer(data):
        if hashlib.sha256(match.group(0)).hexdigest() == token_sha256:
            found.setdefault(match.group(0).decode("ascii"), []).append(where)


def read_proc(pid, token_sha256, found):
    """Every entry of /proc/<pid> the attacker may read; returns {entry: "read" | error name}."""
    outcome = {}
    base = "/proc/%d" % pid
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name)
        try:
            if name in ("mem", "pagemap", "clear_refs", "kpageflags"):
                # Reading memory needs ptrace rights; try a few bytes only.
                with open(path, "rb") as f:
                    f.read(16)
                outcome[name] = "read"
                continue
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                entries = os.listdir(path)
                if name == "fd":
                    # The owner's pipe to the worker's stdin carries the token: try to open each descriptor.
                    for fd in entries:
                        try:
                            # Non-blocking: an empty pipe must not hang the attacker.
                            handle = os.open(os.path.join(path, fd), os.O_RDONLY | os.O_NONBLOCK)
                            try:
                                harvest(os.read(handle, 4096), token_sha256, "%s/%s" % (path, fd), found)
                            except BlockingIOError:
                                pass
                            finally:
                                os.close(handle)
                            outcome["fd/" + fd] = "read"
                        except OSError as error:
                            outcome["fd/" + fd] = type(error).__name__
                outcome[name] = "listed"
                continue
            if stat.S_ISLNK(mode):
                outcome[name] = "link:" + os.readlink(path)
                continue
            data = read_limited(path)
            harvest(data, token_sha256, path, found)
            outcome[name] = "read"
        except OSError as error:
            outcome[name] = type(error).__name__
    return outcome


def scan_folder(root, recursive, since, token_sha256, found):
    """Reads every regular file changed since `since`; returns how many it read and how many it could not."""
    read = denied = 0
    walker = os.walk(root) if recursive else [(root, [], os.listdir(root) if os.access(root, os.R_OK | os.X_OK) else [])]
    for folder, _, files in walker:
        for name in files:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
                if not stat.S_ISREG(info.st_mode) or max(info.st_mtime, info.st_ctime) < since:
                    continue
                harvest(read_limited(path), token_sha256, path, found)
                read += 1
            except OSError:
                denied += 1
    return {"read": read, "denied": denied}


def image_batch(n):
    count = n * 16
    return {"arc": "image", "v": 1, "dtype": "float32", "shape": [n, 1, 4, 4], "data": struct.pack("<%df" % count, *([0.5] * count))}


def class_batch(n):
    return {"arc": "class", "v": 1, "dtype": "int64", "shape": [n], "data": struct.pack("<%dq" % n, *([0] * n)),
            "names": ["zero", "one"], "scores": None}


def attack(address, token, blob, digest, assembly_name):
    """Every call the worker must refuse; returns {method: status code name}."""
    metadata = (("authorization", "Bearer " + token),) if token is not None else None
    pack = lambda value: msgpack.packb(value, use_bin_type=True)
    calls = [
        ("/arc.Develop/PutBlob", pack({"digest": digest, "bytes": blob})),
        ("/arc.Develop/Reload", pack({"assembly": assembly_name, "files": {assembly_name: digest}, "model": "attack", "hyperparameters": None})),
        ("/arc.Develop/Status", pack(None)),
        ("/arc.Model/Predict", pack(image_batch(2))),
        ("/arc.Model/Fit", pack({"x": image_batch(2), "y": class_batch(2)})),
        ("/arc.Model/SaveWeights", pack(None)),
        ("/arc.Model/LoadWeights", pack(b"\x00" * 8)),
        ("/arc.Model/SaveOptimizerState", pack(None)),
        ("/arc.Model/LoadOptimizerState", pack(b"\x00" * 8)),
    ]
    codes = {}
    with grpc.insecure_channel(address, options=[("grpc.enable_http_proxy", 0)]) as channel:
        for path, request in calls:
            method = channel.unary_unary(path, request_serializer=identity, response_deserializer=identity)
            try:
                method(request, timeout=60, metadata=metadata)
                codes[path] = "OK"
            except grpc.RpcError as error:
                codes[path] = error.code().name
    return codes


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        config = json.load(f)
    found = {}
    proc = {str(pid): read_proc(pid, config["token_sha256"], found) for pid in config["pids"]}
    scanned = {entry["path"]: scan_folder(entry["path"], entry["recursive"], config["since"], config["token_sha256"], found)
               for entry in config["scan"]}

    with open(config["assembly"], "rb") as f:
        blob = f.read()
    digest = hashlib.sha256(blob).hexdigest()
    attempts = [("none", None), ("random", secrets.token_urlsafe(32))]
    attempts += [("harvested from " + ", ".join(places), token) for token, places in found.items()]
    calls = {label: attack(config["address"], token, blob, digest, config["assembly_name"]) for label, token in attempts}

    json.dump({
        "uid": os.getuid(),
        "proc": proc,
        "scanned": scanned,
        "token_found_in": sorted(place for places in found.values() for place in places),
        "calls": calls,
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
