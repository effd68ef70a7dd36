#!/usr/bin/env python3
"""Check the expected output of tests/graphs cases against a reference engine.

Every case folder that has a `reference` file is checked: that file holds one
shell command line that runs the same program on a reference engine (the
`wasmtime` CLI, or `node refrun.mjs` for graphs wasmtime cannot express:
import cycles, facades, one source instantiated twice under manifest names).

The command runs in a fresh temporary directory holding a copy of the case's
`fs/` folder (symlinks kept), with stdin from /dev/null and a minimal
environment in which:
    $CASE   absolute path of the case folder
    $W      a folder holding every `*.wat` of the case compiled with
            `wat2wasm --debug-names` (same relative path, `.wasm` suffix);
            components (`(component …)`, which wabt does not read) with
            `wasm-tools parse`
    $TOOLS  this folder (tests/tools)

Compared with the case's expected.* files:
  * stdout and the exit status exactly;
  * stderr exactly, except for traps: when expected.stderr ends with
    `wasm trap: <reason> in <source>::<function>`, the lines before it must
    match exactly and the reference's own trap report must name the same
    reason and (where the engine can tell) the same function.

    tests/tools/check_reference.py [CASE...]        check (all by default)
    tests/tools/check_reference.py --show CASE...   print what the reference does
    tests/tools/check_reference.py --write CASE...  write expected.stdout and
        expected.status (and expected.stderr unless the case traps) from the
        reference — only for cases whose reference is authoritative.
    tests/tools/check_reference.py --components [CASE...]
        check the component twins instead (see crates/wasmlink/tests/graphs/
        twins.rs): the reference command runs with every
        `../../wasi/NAME.wasm` replaced by
        `../../wasi/components/NAME.component.wasm`, and is compared with
        `expected.component.*` where present, `expected.*` otherwise.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOOLS = os.path.dirname(os.path.abspath(__file__))
GRAPHS = os.path.join(os.path.dirname(TOOLS), "graphs")

# wasmlink reason -> how wasmtime / V8 (as printed by refrun.mjs) say it
TRAP_EQUIV = {
    "unreachable": ["wasm `unreachable` instruction executed", "unreachable"],
    "out of bounds table access": ["undefined element: out of bounds table access",
                                   "undefined element (or out of bounds table access)"],
    "undefined element": ["undefined element: out of bounds table access",
                          "undefined element (or out of bounds table access)"],
    "uninitialized element": ["uninitialized element",
                              "uninitialized element / indirect call type mismatch"],
    "indirect call type mismatch": ["indirect call type mismatch",
                                    "uninitialized element / indirect call type mismatch"],
    "null exception reference": ["null reference"],
}
# wasmlink: `wasm trap: uncaught exception (tag SOURCE::NAME) in …`, status
# 134; wasmtime 49 ends with an error (status 1) whose backtrace's frame 0
# is the function that threw and whose last line is this:
UNCAUGHT = re.compile(r"^uncaught exception \(tag .+\)$")
WASMTIME_UNCAUGHT = "thrown Wasm exception"
TRAP_LINE = re.compile(r"^wasm trap: (.*) in ([^:]+|\?)::(.+)$")


def copy_fs(src, dst):
    os.makedirs(dst, exist_ok=True)
    if os.path.isdir(src):
        shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True)


def compile_wat(case, out):
    for root, _, files in os.walk(case):
        if os.path.relpath(root, case).split(os.sep)[0] == "fs":
            continue
        for f in files:
            if f.endswith(".wat"):
                rel = os.path.relpath(os.path.join(root, f), case)
                dst = os.path.join(out, rel[:-4] + ".wasm")
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                src = os.path.join(root, f)
                if is_component_text(src):
                    command = ["wasm-tools", "parse", src, "-o", dst]
                else:
                    command = ["wat2wasm", "--debug-names", "--enable-threads", src, "-o", dst]
                    if subprocess.run(command, capture_output=True).returncode == 0:
                        continue
                    # what wabt cannot read (exception handling: tags,
                    # try_table, exnref; typed references): wasm-tools,
                    # which keeps the names as --debug-names does
                    command = ["wasm-tools", "parse", src, "-o", dst]
                subprocess.run(command, check=True)


def is_component_text(path):
    """Whether a .wat file holds a component: its first form, after
    comments, is `(component`."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    text = re.sub(r";;[^\n]*", "", text)
    text = re.sub(r"\(;.*?;\)", "", text, flags=re.S)
    return text.lstrip().startswith("(component")


WASI_PROGRAM = re.compile(r"\.\./\.\./wasi/([a-z0-9_]+)\.wasm")


def component_command(command):
    """The reference command of a case's component twin, or None when a
    program it names has no component."""
    names = WASI_PROGRAM.findall(command)
    wasi = os.path.join(os.path.dirname(GRAPHS), "wasi")
    if not names or not all(os.path.isfile(os.path.join(wasi, "components", n + ".component.wasm"))
                            for n in names):
        return None
    return WASI_PROGRAM.sub(r"../../wasi/components/\1.component.wasm", command)


def run_reference(case, component=False):
    with open(os.path.join(case, "reference")) as f:
        command = f.read().strip()
    if component:
        command = component_command(command)
    with tempfile.TemporaryDirectory() as tmp:
        run = os.path.join(tmp, "run")
        w = os.path.join(tmp, "w")
        copy_fs(os.path.join(case, "fs"), run)
        compile_wat(case, w)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/"),
            "CASE": case, "W": w, "TOOLS": TOOLS,
            "WASMTIME_BACKTRACE_DETAILS": "0", "RUST_BACKTRACE": "0",
        }
        p = subprocess.run(["sh", "-c", command], cwd=run, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=300)
        return p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), p.returncode


COMPONENT = False


def read(case, name, default=""):
    if COMPONENT and name.startswith("expected."):
        twin = name.replace("expected.", "expected.component.", 1)
        if os.path.isfile(os.path.join(case, twin)):
            name = twin
    try:
        with open(os.path.join(case, name), encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return default


def check_trap(expected_line, actual_err):
    m = TRAP_LINE.match(expected_line)
    reason, func = m.group(1), m.group(3)
    problems = []
    names = TRAP_EQUIV.get(reason, [reason])
    if UNCAUGHT.match(reason):
        if WASMTIME_UNCAUGHT not in actual_err:
            problems.append(f"reference does not report an uncaught exception")
    elif not any(("wasm trap: " + n) in actual_err for n in names):
        problems.append(f"reference does not report trap `{reason}`")
    # which function trapped, as the engine says it
    idx = re.fullmatch(r"func\[(\d+)\]", func)
    frames = re.findall(r"^\s*0:\s+(?:0x[0-9a-f]+ - )?<unknown>!(.+)$", actual_err, re.M)
    refrun = re.search(r"wasm trap: .* in \?::(.+)$", actual_err, re.M)
    got = frames[0] if frames else (refrun.group(1) if refrun else None)
    if got is not None:
        ok = got == func or (idx and got == f"<wasm function {idx.group(1)}>") \
            or (idx and got.startswith("wasm-function[")) \
            or re.fullmatch(r"<wasm function \d+>", got) is not None and not idx  # export name: unknowable
        if not ok:
            problems.append(f"reference says the trap is in `{got}`, expected `{func}`")
    return problems


def check(case, show=False, write=False):
    name = os.path.basename(case)
    out, err, status = run_reference(case, COMPONENT)
    if show:
        print(f"=== {name}: status {status}\n--- stdout\n{out}--- stderr\n{err}")
        return True
    exp_err = read(case, "expected.stderr")
    err_lines = exp_err.splitlines()
    if err_lines and "wasm trap: " in err_lines[-1] and not err_lines[-1].startswith("wasm trap: "):
        # output without a final newline, then the trap report
        head, _, tail = err_lines[-1].partition("wasm trap: ")
        err_lines[-1:] = [head, "wasm trap: " + tail]
        before_last = "\n".join(err_lines[:-2]) + ("\n" if len(err_lines) > 2 else "") + head
    else:
        before_last = None
    traps = bool(err_lines) and TRAP_LINE.match(err_lines[-1]) is not None
    if write:
        with open(os.path.join(case, "expected.stdout"), "w") as f:
            f.write(out)
        with open(os.path.join(case, "expected.status"), "w") as f:
            f.write(f"{status}\n")
        if not traps:
            with open(os.path.join(case, "expected.stderr"), "w") as f:
                f.write(err)
        print(f"wrote {name}")
        return True
    problems = []
    if out != read(case, "expected.stdout"):
        problems.append("stdout differs:\n" + "".join(difflib.unified_diff(
            read(case, "expected.stdout").splitlines(True), out.splitlines(True), "expected", "reference")))
    exp_status = read(case, "expected.status", "0").strip()
    uncaught = traps and UNCAUGHT.match(TRAP_LINE.match(err_lines[-1]).group(1))
    if uncaught and exp_status == "134" and status == 1:
        pass  # wasmtime's status for an uncaught exception (see UNCAUGHT)
    elif str(status) != exp_status:
        problems.append(f"status: expected {exp_status}, reference {status}")
    if traps:
        before = before_last if before_last is not None else "".join(l + "\n" for l in err_lines[:-1])
        if not err.startswith(before):
            problems.append(f"stderr before the trap differs:\n--- expected\n{before}--- reference\n{err}")
        problems += check_trap(err_lines[-1], err)
    elif err != exp_err:
        problems.append(f"stderr differs:\n--- expected\n{exp_err}--- reference\n{err}")
    if problems:
        print(f"FAIL {name}")
        for p in problems:
            print("  " + p.replace("\n", "\n  "))
        return False
    print(f"ok   {name}")
    return True


def main(argv):
    show = "--show" in argv
    write = "--write" in argv
    global COMPONENT
    COMPONENT = "--components" in argv
    if COMPONENT and write:
        sys.exit("--write and --components do not go together: bless the twins with the graphs harness")
    names = [a for a in argv if not a.startswith("--")]
    if names:
        cases = [os.path.abspath(n if os.path.isdir(n) else os.path.join(GRAPHS, n)) for n in names]
    else:
        cases = sorted(os.path.join(GRAPHS, d) for d in os.listdir(GRAPHS)
                       if os.path.isfile(os.path.join(GRAPHS, d, "reference")))
    if COMPONENT:
        def has_twin(c):
            with open(os.path.join(c, "reference")) as f:
                return component_command(f.read().strip()) is not None
        cases = [c for c in cases if has_twin(c)]
    ok = all([check(c, show, write) for c in cases])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
