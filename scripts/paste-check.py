#!/usr/bin/env python3
"""Pastes the code socklab shows into a Python REPL, or into one Rust
main(), as a learner would, and counts the statements that print what
socklab says they print.

Usage (as root; needs python3, unshare and ip; Rust also cargo):
    socklab --color never run LESSON --auto [--code rust] > OUT.txt
    scripts/paste-check.py python|rust OUT.txt...

Each OUT.txt is the plain output of one loopback lesson. Its code runs in a
fresh network namespace of its own (`unshare -n`, `ip link set lo up`).

Python: every `>>>` statement (with its `...` lines) is pushed into a
code.InteractiveConsole; what the console echoes, and the last line of a
traceback, must equal the lines socklab shows after it.

Rust: every statement (lines grouped until their brackets balance) goes, in
order, into `fn main() -> Result<(), Box<dyn std::error::Error>>`, built
against socket2 0.6.5 and libc (offline, from the vendored registry). After
each statement the harness prints a marker, and for the comments socklab
writes about a value (`addr == …`, `n == …: b"…"`, `received.len() == …`,
`Ok(N): N bytes taken`) it prints that value, to compare. `Err: …` lines
must be printed by the program itself. A statement the program never
reaches (it ended at a `?`) does not count.

When the output shows no `import` (Python) or `use` lines (Rust), the
harness supplies them (`import socket, time, struct`; the `use` lines the
calls need) and says so: socklab used to leave them out.

Ports, ISNs and times are redacted as tests/common/mod.rs does.
"""

import code
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

EPHEMERAL = re.compile(
    r"(\d+\.\d+\.\d+\.\d+:|'\d+\.\d+\.\d+\.\d+', |\[[0-9a-f:]+\]:|'[0-9a-f:]+', )(\d{5})\b"
)
CTIME = re.compile(r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}")


def redact(text):
    def port(m):
        p = int(m.group(2))
        return m.group(1) + "[eph]" if 32768 <= p <= 60999 else m.group(0)

    return CTIME.sub("[ctime]", EPHEMERAL.sub(port, text))


NOT_CODE = ("The kernel", "Multicast groups", "? ", "Answer", "⏸", "[")


def code_blocks(text):
    """Runs of two-space-indented lines that hold code, in order."""
    blocks, block, prev = [], None, ""
    for line in text.splitlines():
        if block is not None:
            if line.startswith("  ") and line.strip():
                block.append(line[2:])
                continue
            blocks.append(block)
            block = None
        starts = prev == "" or prev.startswith("you> ")
        if (
            starts
            and line.startswith("  ")
            and not line.startswith("   ")
            and not line[2:].startswith(NOT_CODE)
        ):
            block = [line[2:]]
        prev = line
    if block is not None:
        blocks.append(block)
    return blocks


# ---------------------------------------------------------------- Python


def python_statements(text):
    """(lines of the statement, lines socklab shows after it)."""
    stmts = []
    for block in code_blocks(text):
        if not block[0].startswith(">>> "):
            continue
        for line in block:
            if line.startswith(">>> "):
                stmts.append(([line[4:]], []))
            elif line.startswith("... "):
                stmts[-1][0].append(line[4:])
            elif line.startswith("#"):
                continue
            else:
                stmts[-1][1].append(line)
    return stmts


class Timeout(Exception):
    pass


def python_child(path):
    """Inside the namespace: runs the statements, prints JSON results."""
    stmts = json.load(open(path))
    console = code.InteractiveConsole()
    errors = []
    console.write = errors.append

    def alarm(*_):
        raise Timeout("the statement blocked for 10 s")

    signal.signal(signal.SIGALRM, alarm)
    results = []
    for lines, _ in stmts:
        out = io.StringIO()
        errors.clear()
        old = sys.stdout
        sys.stdout = out
        signal.alarm(10)
        try:
            more = False
            for line in lines:
                more = console.push(line)
            if more:
                console.push("")
        finally:
            signal.alarm(0)
            sys.stdout = old
        printed = out.getvalue().splitlines()
        tb = "".join(errors).splitlines()
        if tb:
            printed.append(tb[-1])
        results.append(printed)
    json.dump(results, sys.stdout)


def run_python(text):
    stmts = python_statements(text)
    supplied = not any(s[0][0].startswith("import ") for s in stmts)
    if supplied:
        stmts = [(["import socket, time, struct"], [])] + stmts
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(stmts, f)
    try:
        got = in_namespace([sys.executable, os.path.abspath(__file__), "--child", f.name])
    finally:
        os.unlink(f.name)
    try:
        results = json.loads(got.stdout)
    except ValueError:
        results = []
    verdicts = []
    for i, (lines, shown) in enumerate(stmts):
        if supplied and i == 0:
            continue
        printed = results[i] if i < len(results) else None
        ok = printed is not None and [redact(x) for x in printed] == [redact(x) for x in shown]
        verdicts.append((lines[0], ok, shown, printed))
    return supplied, verdicts


# ------------------------------------------------------------------ Rust

USES = [
    ("Socket::", "use socket2::{Domain, Socket, Type};"),
    ("Ipv4Addr", "use std::net::Ipv4Addr;"),
    ("Ipv6Addr", "use std::net::Ipv6Addr;"),
    ("SocketAddrV6", "use std::net::SocketAddrV6;"),
    ("SocketAddr::", "use std::net::SocketAddr;"),
    ("MaybeUninit", "use std::mem::MaybeUninit;"),
    ("Duration", "use std::time::Duration;"),
    (".read", "use std::io::Read;"),
    (".write_all", "use std::io::Write;"),
]


def rust_statements(text):
    """(code lines, comment lines, output lines) per statement."""
    stmts = []
    for block in code_blocks(text):
        depth = 0
        for line in block:
            if depth == 0 and line.startswith("//"):
                if stmts:
                    stmts[-1][1].append(line[2:].strip())
                continue
            if depth == 0 and line.startswith("Err: "):
                stmts[-1][2].append(line)
                continue
            if depth == 0:
                stmts.append(([], [], []))
            stmts[-1][0].append(line)
            # A statement folded over lines (socklab folds long calls
            # after a comma) goes on until its brackets balance too.
            depth += sum(line.count(c) for c in "{([") - sum(line.count(c) for c in "})]")
    # A comment may run over several lines: join each one's lines.
    joined = []
    for lines, comments, outputs in stmts:
        merged = []
        for c in comments:
            if merged and not re.match(r"(addr|n|received\.len\(\)) == |Ok\(\d+\)", c):
                merged[-1] += " " + c
            else:
                merged.append(c)
        joined.append((lines, merged, outputs))
    return joined


def value_checks(lines, comments):
    """The statement, rewritten where a value must be caught, and the
    prints that show what each value comment claims."""
    lines = list(lines)
    checks = []
    for c in comments:
        if re.fullmatch(r"Ok\((\d+)\): \1 bytes taken", c) or re.fullmatch(
            r"Ok\((\d+)\): (\d+) bytes taken", c
        ):
            last = lines[-1]
            if last.endswith("?;"):
                lines[-1] = "let __v = " + last
                checks.append((c, 'println!("Ok({__v}): {__v} bytes taken");'))
            continue
        m = re.fullmatch(r'n == (\d+): b"(.*?)"(…)?(, addr == (.+))?', c)
        if m:
            stmt = " ".join(lines)
            if "recv_from" in stmt:
                data = "buf[..n].iter().map(|b| unsafe { b.assume_init() }).collect::<Vec<u8>>()"
            else:
                data = "buf[..n].to_vec()"
            addr = ', addr == {}", n, __d.escape_ascii(), addr.as_socket().unwrap()' if m.group(4) else '", n, __d.escape_ascii()'
            checks.append(
                (c, "{ let __d = " + data + '; println!("n == {}: b\\"{}\\"' + addr + "); }")
            )
            continue
        if re.fullmatch(r"n == \d+", c):
            checks.append((c, 'println!("n == {n}");'))
        elif re.fullmatch(r"addr == .+", c):
            checks.append((c, 'println!("addr == {}", addr.as_socket().unwrap());'))
        elif re.fullmatch(r"received\.len\(\) == \d+", c):
            checks.append((c, 'println!("received.len() == {}", received.len());'))
    return lines, checks


def same(claim, printed):
    """A comment's claim against the value printed; long data is shown by
    its first bytes and `…`."""
    claim, printed = redact(claim), redact(printed)
    m = re.fullmatch(r'(n == \d+: b")(.*)"…(.*)', claim)
    if m:
        p = re.fullmatch(r'(n == \d+: b")(.*)"(.*)', printed)
        return bool(p) and p.group(1) == m.group(1) and p.group(2).startswith(m.group(2)) and p.group(3) == m.group(3)
    return claim == printed


def run_rust(texts, work):
    """Builds one binary per lesson, runs each in a namespace of its own."""
    crate = os.path.join(work, "crate")
    os.makedirs(os.path.join(crate, "src", "bin"), exist_ok=True)
    open(os.path.join(crate, "Cargo.toml"), "w").write(
        '[package]\nname = "paste-check"\nversion = "0.0.0"\nedition = "2024"\n\n'
        '[dependencies]\nsocket2 = { version = "=0.6.5", features = ["all"] }\nlibc = "=0.2.191"\n\n[workspace]\n'
    )
    open(os.path.join(crate, "src", "main.rs"), "w").write("fn main() {}\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shutil.copy(os.path.join(root, "Cargo.lock"), os.path.join(crate, "Cargo.lock"))
    plans = {}
    for name, text in texts.items():
        stmts = rust_statements(text)
        shown_uses = [s for s in stmts if s[0][0].startswith("use ")]
        body, plan = [], []
        supplied = not shown_uses
        if supplied:
            all_code = "\n".join(l for s in stmts for l in s[0])
            body += [u for key, u in USES if key in all_code]
        for i, (lines, comments, outputs) in enumerate(stmts):
            lines2, checks = value_checks(lines, comments)
            body += lines2
            body += [p for _, p in checks]
            body.append(f'println!("@@{i}");')
            plan.append((lines, outputs, [c for c, _ in checks]))
        src = (
            "#![allow(unused)]\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n"
            + "\n".join("    " + l for l in body)
            + "\n    Ok(())\n}\n"
        )
        binname = "l_" + name.replace("-", "_")
        open(os.path.join(crate, "src", "bin", binname + ".rs"), "w").write(src)
        plans[name] = (binname, supplied, plan)
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(root, "target", "paste-check"))
    build = subprocess.run(
        ["cargo", "build", "--offline", "--quiet", "--bins", "--keep-going"],
        cwd=crate, env=env, capture_output=True, text=True,
    )
    results = {}
    for name, (binname, supplied, plan) in plans.items():
        exe = os.path.join(env["CARGO_TARGET_DIR"], "debug", binname)
        compiled = os.path.exists(exe) and f"src/bin/{binname}.rs" not in build.stderr
        out = in_namespace([exe]).stdout if compiled else ""
        per, cur = {}, []
        for line in out.splitlines():
            m = re.fullmatch(r"@@(\d+)", line)
            if m:
                per[int(m.group(1))] = cur
                cur = []
            else:
                cur.append(line)
        verdicts = []
        for i, (lines, outputs, claims) in enumerate(plan):
            if lines[0].startswith("use "):
                continue
            printed = per.get(i)
            ok = printed is not None
            if ok:
                errs = [p for p in printed if p.startswith("Err: ")]
                vals = [p for p in printed if not p.startswith("Err: ")]
                ok = [redact(e) for e in errs] == [redact(e) for e in outputs] and len(vals) == len(claims) and all(
                    same(c, v) for c, v in zip(claims, vals)
                )
            verdicts.append((lines[0], ok, outputs + claims, printed))
        results[name] = (supplied, compiled, verdicts)
        if not compiled:
            errs, last = [], None
            for l in build.stderr.splitlines():
                if l.startswith("error"):
                    last = l
                elif last and f"src/bin/{binname}.rs:" in l:
                    errs.append(last + "  (" + l.strip().lstrip("-> ") + ")")
                    last = None
            results[name] += (errs[:4],)
    return results


# ------------------------------------------------------------------ both


def in_namespace(argv):
    return subprocess.run(
        ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"] + argv,
        capture_output=True, text=True, timeout=120,
    )


def main():
    if sys.argv[1] == "--child":
        return python_child(sys.argv[2])
    lang, files = sys.argv[1], sys.argv[2:]
    total_s = total_ok = lessons_ok = 0
    if lang == "python":
        for f in files:
            name = os.path.basename(f).split(".")[0]
            supplied, verdicts = run_python(open(f).read())
            ok = sum(v[1] for v in verdicts)
            total_s += len(verdicts)
            total_ok += ok
            lessons_ok += ok == len(verdicts)
            note = " (imports supplied by the harness)" if supplied else ""
            print(f"{name}: {ok}/{len(verdicts)} statements as shown{note}")
            for stmt, good, shown, printed in verdicts:
                if not good:
                    print(f"  ✗ {stmt!r}: shown {shown}, printed {printed}")
    else:
        work = tempfile.mkdtemp()
        texts = {os.path.basename(f).split(".")[0]: open(f).read() for f in files}
        for name, res in run_rust(texts, work).items():
            supplied, compiled, verdicts = res[:3]
            ok = sum(v[1] for v in verdicts)
            total_s += len(verdicts)
            total_ok += ok
            lessons_ok += ok == len(verdicts)
            note = " (use lines supplied by the harness)" if supplied else ""
            print(f"{name}: {ok}/{len(verdicts)} statements as shown{note}" + ("" if compiled else " — does not compile"))
            if not compiled:
                for e in res[3]:
                    print(f"  {e}")
                continue
            for stmt, good, shown, printed in verdicts:
                if not good:
                    print(f"  ✗ {stmt!r}: shown {shown}, printed {printed}")
        shutil.rmtree(work)
    print(f"total: {total_ok}/{total_s} statements, {lessons_ok}/{len(files)} lessons entirely as shown")


if __name__ == "__main__":
    main()
