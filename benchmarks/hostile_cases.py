"""Every case named in issue 20's "What failed" (items 1-9), each run in a child process with a
hard timeout; one row per case: outcome (exit code and last error line, or the script's own
verdict), seconds, the child's peak RSS (getrusage via wait4; pool workers not included).

    python3 benchmarks/hostile_cases.py [--root DIR] [--timeout S] [--only SUBSTR]

``--root``: the draftscope checkout to test (default: this one; PYTHONPATH points at it, no
install needed). Network cases use servers on 127.0.0.1 only (tests/hostileserver.py and
tests/fakedatatracker.py of THIS checkout, so before and after meet the same servers).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("DRAFTSCOPE_TEST_CORPUS", HERE.parent / "shared" / "corpus"))
INV = "draft-ietf-quic-invariants"

# -- what every child starts with -----------------------------------------------------------
PRELUDE = r'''
import os, sys, signal, subprocess, time, tempfile, json
from pathlib import Path
W = Path(tempfile.mkdtemp(prefix="hostile-"))
os.chdir(W)
INV = "draft-ietf-quic-invariants"
def cli(*args):
    from draftscope.cli import main
    return main([str(a) for a in args])
def run(*args):
    code = cli(*args)
    sys.stdout.flush(); sys.stderr.flush()
    sys.exit(code)
def src(text, name="draft-example-huge-00.txt"):
    p = W / name; p.write_text("Internet-Draft\n\n" + text, encoding="utf-8"); return p
def verdict(text):
    print("VERDICT: " + text); sys.stdout.flush()
BOX_HEAD = ("    0                   1                   2                   3\n"
            "    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1\n")
BORDER = "   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+\n"
def word(i):
    w = ""
    while True:
        w = chr(97 + i % 26) + w; i //= 26
        if not i: return w
def box(rows, start=0):
    out = ["3.1.  Big Header\n\n", BOX_HEAD, BORDER]
    for i in range(start, start + rows):
        out.append("   |" + ("Word " + word(i)).center(63) + "|\n"); out.append(BORDER)
    out.append("\n                     Figure 1: Big Header Format\n")
    return "".join(out)
def fieldlist(fields, name="Example Frame"):
    body = "".join(f"     {f},\n" for f in fields)
    return f"3.1.  Frames\n\n   {name} {{\n{body}   }}\n\n   Figure 1: {name} Format\n\n"
def select(cases, name="Big"):
    arms = " ".join(f"case t{i}: uint8 f{i};" for i in range(cases))   # one line: a struct
    return (f"4.1.  {name}\n\n      struct {{\n          uint8 kind;\n          select (kind) {{ "
            f"{arms} }} body;\n      }} {name};\n")
def fetch_inv():
    assert cli("fetch", INV, "-q") == 0
    return Path(os.environ["DRAFTSCOPE_CACHE"])
'''

CASES: list[tuple[str, str, str]] = []          # (item, case, code)


def case(item: str, name: str, code: str) -> None:
    CASES.append((item, name, textwrap.dedent(code)))


# -- 1. bounded drawings --------------------------------------------------------------------
case("1", "draw field list Data (1000000)",
     'run("draw", src(fieldlist(["Type (i) = 0x08", "Data (1000000)"])), "--definition", ".", "--out", W/"o", "-q")')
case("1", "draw field list Data (10^7 bits)",
     'run("draw", src(fieldlist(["Type (i) = 0x08", "Data (10000000)"])), "--definition", ".", "--out", W/"o", "-q")')
case("1", "draw 10k-row box",
     'run("draw", src(box(10_000)), "--definition", ".", "--out", W/"o", "-q")')
case("1", "draw select with 10k cases",
     'run("draw", src(select(10_000)), "--definition", ".", "--out", W/"o", "-q")')
case("1", "draw --definition . on 2000 definitions",
     'text = "".join(fieldlist(["A (8)", "B (8)"], name=f"Frame{i}") for i in range(2000))\n'
     'code = cli("draw", src(text), "--definition", ".", "--out", W/"o", "-q")\n'
     'verdict(f"exit {code}, {len(list((W/\'o\').glob(\'*\'))) if (W/\'o\').exists() else 0} files")')

# -- 2. linear readers ----------------------------------------------------------------------
case("2", "field list 'Type (8) =' + 800 spaces + ',y,' (891 B)",
     'run("definitions", src("3.1.  X\\n\\n   X Frame {\\n     Type (8) =" + " " * 800 + ",y,\\n   }\\n"), "-q")')
for rows in (1250, 5000, 40_000):
    case("2", f"box reader {rows} rows", f'run("definitions", src(box({rows})), "-q")')
case("2", "10k unbalanced +-+ borders",
     'run("definitions", src(BOX_HEAD + "".join("   +-+-+-+" + "-+" * (i % 20) + "\\n" for i in range(10_000))), "-q")')
case("2", "10k '| ... |' rows",
     'run("definitions", src(BOX_HEAD + BORDER + "   |  a  |  b  |  c  |  d  |  ...  |\\n" * 10_000), "-q")')
case("2", "'A' + 200k spaces + '{x'",
     'run("definitions", src("A" + " " * 200_000 + "{x\\n"), "-q")')
case("2", "40k unclosed '/*' in a struct",
     'run("definitions", src("      struct {\\n" + "          uint8 a; /*\\n" * 40_000 + "      } S;\\n"), "-q")')
case("2", "zero-width/RTL characters 5k lines",
     'run("definitions", src(BOX_HEAD + BORDER + "".join("   |\\u200b\\u202e" + f"F{i}".center(61) + "\\u200f|\\n" + BORDER for i in range(5000))), "-q")')
case("2", "diff 20k-row box vs 10k-row box",
     'run("diff", src(box(20_000), "draft-example-a-00.txt"), src(box(10_000), "draft-example-b-00.txt"), "-q")')
case("2", "diff 20k-case selects",
     'run("diff", src(select(20_000), "draft-example-a-00.txt"), src(select(20_000).replace("f7 ", "g7 "), "draft-example-b-00.txt"), "-q")')
case("2", "--definition '(a+)+$' vs a 27-char name",
     'run("draw", src(fieldlist(["A (8)"], name="a" * 21 + " Frame")), "--definition", "(a+)+$", "--out", W/"o", "-q")')

# -- 3. writes outside --out ----------------------------------------------------------------
case("3", "symlink planted at the temp name in --out",
     '''
     t = src(fieldlist(["Type (i) = 0x08", "Data (16)"]))
     out = W / "o"
     assert cli("draw", t, "--definition", ".", "--out", out, "-q") == 0
     names = sorted(p.name for p in out.iterdir())
     victim = W / "victim"; victim.write_text("precious")
     import shutil; shutil.rmtree(out); out.mkdir()
     for n in names:
         stem, _, ext = n.rpartition(".")
         os.symlink(victim, out / f".{stem}.{ext}.partial")
         for pid_guess in range(os.getpid(), os.getpid() + 3):
             try: os.symlink(victim, out / f".{n}.{pid_guess}.part")
             except FileExistsError: pass
     code = cli("draw", t, "--definition", ".", "--out", out, "-q")
     verdict(f"exit {code}, victim " + ("OVERWRITTEN" if victim.read_text() != "precious" else "intact"))
     ''')
case("3", "save_figure(stem='../x')",
     '''
     import matplotlib; matplotlib.use("Agg"); import matplotlib.pyplot as plt, pandas as pd
     import draftscope
     fig, ax = plt.subplots(); ax.plot([1, 2])
     (W / "o").mkdir()
     try:
         draftscope.save_figure(fig, pd.DataFrame({"a": [1]}), W / "o", "../x")
     except Exception as e:
         verdict(f"{type(e).__name__}: {str(e)[:70]}"); sys.exit(0)
     verdict("WROTE OUTSIDE: " + ", ".join(p.name for p in W.glob("x.*")))
     ''')
case("3", "--out ''",
     '''
     t = src(fieldlist(["Type (i) = 0x08", "Data (16)"]))
     (W / "cwd").mkdir(); os.chdir(W / "cwd")
     code = cli("draw", t, "--definition", ".", "--out", "", "-q")
     verdict(f"exit {code}, {len(list((W / 'cwd').iterdir()))} files in cwd")
     ''')
case("3", "stale .partial from a kill -9",
     '''
     t = src(fieldlist(["Type (i) = 0x08", "Data (16)"]))
     out = W / "o"; out.mkdir()
     stale = [out / ".example_frame.png.partial", out / ".x.json.123.part",   # old names
              out / ".x.png.4194999-abcdef.k3j9.part"]                       # today's, dead pid
     for s in stale:
         s.write_text("junk"); os.utime(s, (time.time() - 7200, time.time() - 7200))
     code = cli("draw", t, "--definition", ".", "--out", out, "-q")
     left = [s.name for s in stale if s.exists()]
     verdict(f"exit {code}, stale left: {len(left)} of {len(stale)}")
     ''')

# -- 4. exit 70 on plausible input ----------------------------------------------------------
for label, ch in (("CJK", "数据"), ("Thai", "ข้อมูล"), ("Hangul", "데이터"), ("control", "A\\x07B")):
    case("4", f"{label} character in a drawn field name",
         f'run("draw", src(fieldlist(["Type (i) = 0x08", "{ch} (16)"])), "--definition", ".", "--out", W/"o", "-q")')


def _nested(depth: int) -> str:
    return '''
stmt = "uint8 x;"
for k in range(DEPTH):
    stmt = f"select (a{k}) {{ case b: {stmt} }} v{k};"
text = "4.1.  Deep\\n\\n      struct {\\n          uint8 k;\\n          " + stmt + "\\n      } Deep;\\n"
'''.replace("DEPTH", str(depth))


case("4", "select nested 200 deep (definitions)", _nested(200) + 'run("definitions", src(text), "-q")')
case("4", "select nested 200 deep (draw)",
     _nested(200) + 'run("draw", src(text), "--definition", ".", "--out", W/"o", "-q")')
case("4", "size with 4301 digits (definitions)",
     'run("definitions", src(fieldlist(["Type (i) = 0x08", "Data (1" + "0" * 4300 + ")"])), "-q")')
case("4", "size with 4301 digits (draw)",
     'run("draw", src(fieldlist(["Type (i) = 0x08", "Data (1" + "0" * 4300 + ")"])), "--definition", ".", "--out", W/"o", "-q")')
case("4", "4301-digit number in a box cell",
     'run("definitions", src(box(2).replace("Word a".center(63), ("Field (" + "9" * 50 + ")").center(63)).replace(BORDER, BORDER, 1) + fieldlist(["Len (" + "7" * 4301 + ")"], name="Other")), "--format", "json", "-q")')


# -- 5. orphans -----------------------------------------------------------------------------
def _orphans(sig: str) -> str:
    return f'''
fetch_inv()
def kids(pid):
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid: out.append(int(d.name))
            except (OSError, IndexError, ValueError): pass
    return out
p = subprocess.Popen([sys.executable, "-m", "draftscope", "story", INV, "--definition", ".",
                      "--out", str(W / "o"), "--workers", "2", "--offline", "-q"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seen = []
for _ in range(300):
    seen = kids(p.pid)
    if seen or p.poll() is not None: break
    time.sleep(0.05)
if not seen:
    p.wait(); verdict("no workers seen (finished first)"); sys.exit(0)
time.sleep(0.5)
seen = kids(p.pid)
p.send_signal(signal.{sig}); p.wait()
time.sleep(3)
alive = [k for k in seen if Path(f"/proc/{{k}}").exists() and "Z" not in (Path(f"/proc/{{k}}/stat").read_text().rsplit(")", 1)[1].split()[0])]
for k in alive:
    os.kill(k, signal.SIGKILL)
verdict(f"{{len(seen)}} workers, {{len(alive)}} ORPHANED" if alive else f"{{len(seen)}} workers, none left")
'''


case("5", "SIGTERM to story", _orphans("SIGTERM"))
case("5", "SIGKILL to story", _orphans("SIGKILL"))

# -- 6. hangs and silence -------------------------------------------------------------------
case("6", "FIFO at cache/meta/<name>.json (offline history)",
     '''
     cache = fetch_inv()
     meta = next(cache.glob(f"meta/{INV}*.json"))
     meta.unlink(); os.mkfifo(meta)
     run("history", INV, "--offline", "-q")
     ''')
case("6", "load_document on a FIFO",
     '''
     os.mkfifo(W / "f.txt")
     import draftscope
     draftscope.load_document(W / "f.txt")
     ''')
for command in (["history", "INV"], ["story", "INV", "--definition", "Long Header", "--out", "W/'o'"],
                ["plot-definitions", "INV", "--out", "W/'o'"]):
    args = ", ".join(a if a in ("INV",) or a.startswith("W/") else repr(a) for a in command)
    case("6", f"offline partial lineage: {command[0]}",
         f'''
         cache = fetch_inv()
         for rev in ("03", "04", "07"):
             (cache / "id" / f"{{INV}}-{{rev}}.txt").unlink()
         import io, contextlib
         err = io.StringIO()
         with contextlib.redirect_stderr(err):
             code = cli({args}, "--offline", "-q")
         line = err.getvalue().strip().splitlines()
         verdict(f"exit {{code}}, " + (line[0][:90] if line else "SILENT"))
         ''')
case("6", "cached text edited in place, same size",
     '''
     cache = fetch_inv()
     t = cache / "id" / f"{INV}-05.txt"
     data = bytearray(t.read_bytes()); i = data.index(b"MUST"); data[i:i+4] = b"MAY "
     t.write_bytes(bytes(data))
     import io, contextlib
     err = io.StringIO()
     with contextlib.redirect_stderr(err):
         code = cli("keywords", INV, "--offline", "-q")
     line = err.getvalue().strip().splitlines()
     verdict(f"exit {code}, " + (line[0][:90] if line else "SILENT (edited text counted)"))
     ''')

# -- 7. terminal escapes --------------------------------------------------------------------
case("7", "ESC/BEL/bidi in a caption and a cell (definitions table)",
     '''
     text = box(2).replace("Word a".center(63), "Fi\\x1b[31meld\\x07\\u202e0".center(63)).replace(
         "Figure 1: Big Header Format", "Figure 1: \\x1b]0;pwned\\x07Big \\u202eHeader")
     r = subprocess.run([sys.executable, "-m", "draftscope", "definitions", str(src(text)), "-q"],
                        capture_output=True, text=True)
     raw = [c for c in ("\\x1b", "\\x07", "\\u202e") if c in r.stdout + r.stderr]
     verdict(f"exit {r.returncode}, " + (f"RAW {[hex(ord(c)) for c in raw]}" if raw else "escaped"))
     ''')
case("7", "ESC/bidi in a server's name (error line)",
     '''
     r = subprocess.run([sys.executable, "-m", "draftscope", "fetch", "draft-x-y",
                         "--datatracker-url", "http://127.0.0.1:9/\\x1b[2J\\u202eevil", "--retries", "0", "-q"],
                        capture_output=True, text=True)
     raw = [c for c in ("\\x1b", "\\u202e") if c in r.stdout + r.stderr]
     verdict(f"exit {r.returncode}, " + (f"RAW {[hex(ord(c)) for c in raw]}" if raw else "escaped"))
     ''')

# -- 8. servers that trickle or throttle ----------------------------------------------------
HOSTILE = r'''
sys.path.insert(0, os.environ["HOSTILE_TESTS"])
from hostileserver import NAME, HostileServer, drip, json_body, respond
server = HostileServer(Path(os.environ["HOSTILE_CORPUS"]), lifetime=200).start()
os.environ.update(DRAFTSCOPE_DATATRACKER_URL=server.datatracker_url,
                  DRAFTSCOPE_ARCHIVE_URL=server.archive_url, DRAFTSCOPE_RFC_URL=server.rfc_url,
                  DRAFTSCOPE_CACHE=str(W / "cache"))
import hostileserver; hostileserver.MAX_HANDLER_SECONDS = 700
'''
case("8", "trickling server (1 byte/s)", HOSTILE + '''
server.route(rf"/archive/id/{NAME}-01\\.txt", drip(server.revisions["01"], 1.0))
run("fetch", NAME, "-q")
''')
case("8", "endless pagination", HOSTILE + '''
n = [0]
def endless(conn):
    n[0] += 1
    json_body({"meta": {"limit": 100, "next": f"/api/v1/doc/document/?group__acronym=hostile&offset={n[0]}"},
               "objects": [{"name": NAME}]})(conn)
server.route(r"/api/v1/group/group/", json_body({"meta": {"total_count": 1, "next": None}, "objects": [{"acronym": "hostile"}]}))
server.route(r"/api/v1/doc/document/", endless)
code = cli("fetch", "--group", "hostile", "--retries", "0", "-q")
verdict(f"exit {code} after {n[0]} pages")
''')
case("8", "endless 429 with Retry-After in the past", HOSTILE + '''
server.route(rf"/doc/{NAME}/doc\\.json", respond(b"", status=429, headers={"Retry-After": "Mon, 01 Jan 2001 00:00:00 GMT"}))
run("fetch", NAME, "-q")
''')

# -- 9. API misuse --------------------------------------------------------------------------
DEF = '''
import draftscope
d = draftscope.extract_definitions(draftscope.load_document(src(fieldlist(["Type (i) = 0x08", "Data (16)"]))))[0]
'''
for call in ('draftscope.load_document(None)', 'draftscope.load_document("/dev/zero")',
             'draftscope.extract_definitions(42)', 'draftscope.diff_definitions([1, 2], [3])',
             'draftscope.draw_definition("ACK Frame")', 'draftscope.draw_definition(d, title=5)',
             'draftscope.draw_definition(d, row_bits=10**9)', 'draftscope.draw_definition(d, width=0)',
             'draftscope.keywords_frame([Path("x.txt")])',
             'draftscope.plot_keywords(__import__("pandas").DataFrame([{"name": "draft-x", "rev": r, "keyword": "MUST", "count": 3} for r in ("00", "01")]), ["MUST"], marks=[5])',
             'draftscope.Session(settings="x")', 'draftscope.analyse_lineages(None)',
             'draftscope.save_figure(__import__("matplotlib.pyplot").pyplot.figure(), None, W, "x")',
             'draftscope.Settings(retries=-1)', 'draftscope.Settings(read_timeout=float("nan"))',
             'draftscope.keywords_frame([], workers=-3)'):
    short = call.replace("draftscope.", "").replace('__import__("matplotlib.pyplot").pyplot.', "plt.")
    if "pandas" in short:
        short = "plot_keywords(kf, ['MUST'], marks=[5])"
    case("9", short,
         DEF + f'''
try:
    r = {call}
except (TypeError, ValueError) as e:
    verdict(f"{{type(e).__name__}}: {{str(e)[:80]}}"); sys.exit(0)
except Exception as e:
    from draftscope import errors
    if isinstance(e, errors.__dict__.get("DraftscopeError", ())):
        verdict(f"{{type(e).__name__}}: {{str(e)[:80]}}"); sys.exit(0)
    raise
verdict("ACCEPTED SILENTLY: " + type(r).__name__)
''')


def run_case(code: str, root: Path, env: dict, timeout: float) -> tuple[str, float, float]:
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", PRELUDE + "\n" + code], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    import threading
    chunks = {"out": b"", "err": b""}

    def drain(stream, key):
        chunks[key] = stream.read()

    threads = [threading.Thread(target=drain, args=(proc.stdout, "out")),
               threading.Thread(target=drain, args=(proc.stderr, "err"))]
    for t in threads:
        t.start()
    status, usage, timed_out = None, None, False
    while status is None:
        pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status, usage = st, ru
            break
        if time.monotonic() - started > timeout:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        os.killpg(proc.pid, signal.SIGKILL)       # anything the case left behind
    except ProcessLookupError:
        pass
    for t in threads:
        t.join(5)
    seconds = time.monotonic() - started
    out = chunks["out"].decode("utf-8", "replace")
    err = chunks["err"].decode("utf-8", "replace").strip().splitlines()
    verdicts = [line[9:] for line in out.splitlines() if line.startswith("VERDICT: ")]
    if timed_out:
        outcome = f"TIMEOUT (killed at {timeout:g} s)"
    elif verdicts:
        outcome = verdicts[-1]
    elif proc.returncode < 0:
        outcome = f"signal {-proc.returncode}"
    else:
        last = err[-1] if err else ""
        outcome = f"exit {proc.returncode}" + (f": {last}" if last else "")
    outcome = outcome.encode("unicode_escape").decode("ascii")[:110]
    return outcome, seconds, usage.ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", default="")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE / "tests"))
    from fakedatatracker import start_server

    tracker = start_server(CORPUS)
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTSCOPE_")}
        env = {**base, **tracker.env(), "PYTHONPATH": str(args.root.resolve()),
               "HOSTILE_TESTS": str(HERE / "tests"), "HOSTILE_CORPUS": str(CORPUS),
               "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}
        print(f"# root {args.root}  load {os.getloadavg()[0]:.2f}  timeout {args.timeout:g} s")
        print(f"{'item':4} | {'case':58} | {'outcome':110} | {'s':>6} | {'peak MB':>7}")
        for item, name, code in CASES:
            if args.only and args.only not in name and args.only != item:
                continue
            with tempfile.TemporaryDirectory(prefix="hostile-cache-") as tmp:
                outcome, seconds, mb = run_case(code, args.root, {**env, "DRAFTSCOPE_CACHE": tmp + "/cache",
                                                                  "TMPDIR": tmp}, args.timeout)
            print(f"{item:4} | {name[:58]:58} | {outcome:110} | {seconds:6.1f} | {mb:7.0f}", flush=True)
    finally:
        tracker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
