#!/usr/bin/env python3
"""Helpers for bench/run.sh (standard library only).

    tools.py wasminfo FILE.wasm        -> "FUNCS CODE_BYTES FEATURES"
    tools.py hf FILE.json              -> one line per command in a hyperfine
                                          export: "MEDIAN_WALL_S MEAN_CPU_S RUNS"
    tools.py bench RUNS WARMUP OUT.json CMD1 ARGS :: CMD2 ARGS :: ...
                                       -> runs the commands interleaved (run i
                                          starts at command i mod n), output
                                          discarded; one line per command:
                                          "MIN_CPU MEDIAN_CPU MIN_WALL MEDIAN_WALL"
                                          (CPU = user+sys of the child and its
                                          descendants, from wait4); exits 1 if
                                          a command fails

Interleaving and the minimum are there for a shared machine: interference
only adds time, and it hits every command of a round alike.
    tools.py paired FILE.json I J      -> from a `bench` OUT.json: the median
                                          over the rounds of command I's CPU
                                          time over command J's in the same
                                          round (commands counted from 0)
    tools.py funcs INPUT               -> defined functions of a .wasm, a .wat
                                          (through wat2wasm) or all file sources
                                          of a manifest; '-' if unknown
    tools.py bench-row LABEL FILE.json VARIANT...
                                       -> one Markdown row from a `wasmlink
                                          bench --json` document: LABEL, then
                                          for each VARIANT its median CPU
                                          seconds and, in parentheses, the
                                          ratio to the document's baseline
                                          ('-' for a variant it lacks)
    tools.py bench-notes LABEL FILE.json
                                       -> "- LABEL: no VARIANT variant: REASON"
                                          for each variant it left out
    tools.py build-row LABEL FILE.json -> one Markdown row: the static
                                          variant's -j1 and -j2 builds (wall,
                                          CPU), their wall ratio and the
                                          executable's size in KB

FUNCS counts the functions defined in the module (not imported ones);
FEATURES lists the proposals named in the `target_features` custom section
('-' when absent).
"""

import json
import statistics
import sys


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def wasminfo(path):
    buf = open(path, "rb").read()
    if buf[:4] != b"\0asm":
        raise SystemExit(f"{path}: not a binary wasm module")
    pos = 8
    funcs = code = 0
    features = []
    while pos < len(buf):
        sid = buf[pos]
        size, pos = leb(buf, pos + 1)
        body = pos
        if sid == 3:  # function section: one entry per defined function
            funcs, _ = leb(buf, body)
        elif sid == 10:
            code = size
        elif sid == 0:
            nlen, p = leb(buf, body)
            name = buf[p : p + nlen].decode("utf-8", "replace")
            if name == "target_features":
                p += nlen
                count, p = leb(buf, p)
                for _ in range(count):
                    prefix = chr(buf[p])
                    flen, p = leb(buf, p + 1)
                    feat = buf[p : p + flen].decode()
                    p += flen
                    if prefix == "+":
                        features.append(feat)
        pos = body + size
    print(funcs, code, ",".join(features) or "-")


def count_funcs(path):
    """Defined functions of one module file, or None."""
    import os
    import subprocess
    import tempfile

    if path.endswith(".wasm"):
        buf = open(path, "rb").read()
    elif path.endswith(".wat"):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "m.wasm")
            try:
                subprocess.run(["wat2wasm", "--enable-all", path, "-o", out],
                               check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError):
                return None
            buf = open(out, "rb").read()
    else:
        return None
    pos = 8
    while pos < len(buf):
        sid = buf[pos]
        size, pos = leb(buf, pos + 1)
        if sid == 3:
            return leb(buf, pos)[0]
        pos += size
    return 0


def funcs(path):
    import os

    if path.endswith(".json"):
        base = os.path.dirname(path)
        total = 0
        for src in json.load(open(path))["sources"].values():
            file = src if isinstance(src, str) else src.get("file")
            if file is None:
                continue  # inline WAT or a facade: no code of its own to count here
            n = count_funcs(os.path.join(base, file))
            if n is None:
                print("-")
                return
            total += n
        print(total)
    else:
        n = count_funcs(path)
        print("-" if n is None else n)


def hf(path):
    for r in json.load(open(path))["results"]:
        cpu = r["user"] + r["system"]
        print(f"{statistics.median(r['times']):.6f} {cpu:.6f} {len(r['times'])}")


def run_once(cmd, rss=None):
    import os
    import subprocess
    import time

    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.stderr.write(f"{' '.join(cmd)}: exit status {p.returncode}\n")
        sys.exit(1)
    if rss is not None:
        rss.append(ru.ru_maxrss)
    return wall, ru.ru_utime + ru.ru_stime


def bench(argv, with_rss=False):
    runs, warmup, out = int(argv[0]), int(argv[1]), argv[2]
    cmds, cur = [], []
    for a in argv[3:]:
        if a == "::":
            cmds.append(cur)
            cur = []
        else:
            cur.append(a)
    cmds.append(cur)
    n = len(cmds)
    walls = [[] for _ in cmds]
    cpus = [[] for _ in cmds]
    rsss = [[] for _ in cmds]
    for _ in range(warmup):
        for c in cmds:
            run_once(c)
    for r in range(runs):
        for k in range(n):
            i = (r + k) % n
            w, c = run_once(cmds[i], rsss[i])
            walls[i].append(w)
            cpus[i].append(c)
    json.dump([{"command": " ".join(c), "wall": walls[i], "cpu": cpus[i], "max_rss_kb": rsss[i]}
               for i, c in enumerate(cmds)], open(out, "w"), indent=1)
    for i in range(n):
        line = (f"{min(cpus[i]):.6f} {statistics.median(cpus[i]):.6f} "
                f"{min(walls[i]):.6f} {statistics.median(walls[i]):.6f}")
        if with_rss:
            line += f" {max(rsss[i])}"
        print(line)


def bench_rss(argv):
    """`bench`, each row followed by the largest peak RSS (KiB) of its runs."""
    bench(argv, with_rss=True)


def bench_row(argv):
    label, path, names = argv[0], argv[1], argv[2:]
    doc = json.load(open(path))
    by_name = {v["name"]: v for v in doc["variants"]}
    cells = [label]
    for name in names:
        v = by_name.get(name)
        if v is None:
            cells.append("-")
        else:
            ratio = v["ratio_cpu_median"]
            cells.append(f"{v['cpu_median']:.3f} ({ratio:.2f})" if ratio is not None
                         else f"{v['cpu_median']:.3f}")
    print("| " + " | ".join(cells) + " |")


def bench_notes(argv):
    label, path = argv
    for s in json.load(open(path)).get("skipped", []):
        print(f"- {label}: no {s['variant']} variant: {s['reason']}")


def build_row(argv):
    label, path = argv
    doc = json.load(open(path))
    t = doc["static_build_threads"]
    static = next(v for v in doc["variants"] if v["name"] == "static")
    print(f"| {label} | {t['j1']['wall']:.2f} | {t['j2']['wall']:.2f} | {t['ratio_wall']:.2f} "
          f"| {t['j1']['cpu']:.2f} | {t['j2']['cpu']:.2f} | {static['size_bytes'] / 1024:.0f} |")


def paired(argv):
    """The median over the rounds of the CPU-time ratio of two commands of
    one `bench` run: both ran in the same round, so each ratio compares them
    under the same share of the machine."""
    path, i, j = argv[0], int(argv[1]), int(argv[2])
    doc = json.load(open(path))
    a, b = doc[i]["cpu"], doc[j]["cpu"]
    print(f"{statistics.median(x / y for x, y in zip(a, b)):.4f}")


def main():
    cmd = sys.argv[1]
    if cmd == "bench":
        bench(sys.argv[2:])
        return
    multi = {"bench-row": bench_row, "bench-notes": bench_notes, "build-row": build_row,
             "bench-rss": bench_rss, "paired": paired}
    if cmd in multi:
        multi[cmd](sys.argv[2:])
        return
    {"wasminfo": wasminfo, "hf": hf, "funcs": funcs}[cmd](sys.argv[2])


if __name__ == "__main__":
    main()
