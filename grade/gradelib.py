"""gradelib — the machinery under Kestrel's graders (grade/labNN.py).

A grader is a list of properties, one function each:

    @test(2, "the kernel echoes its command line")
    def cmdline(t):
        token = t.nonce
        con = t.boot_pvh(append=f"grade.token={token}")
        m = con.expect(r"Command line: ([^\\r\\n]*)\\r*\\n", what="the command line echoed")
        check_equal(m.group(1), f"console=ttyS0 grade.token={token}", "the command line")

The test is named after its function, underscores as dashes (`memory_map`
is `lab01.memory-map`); the title says what it checks; the points stay in the
decorator.  A test passes when it returns and fails at the first Fail
raised by a check or by the console helpers.  Everything a test needs:

  t.nonce            a fresh random hex string (secrets.token_hex(6)) for this test
  t.choice(seq)      a random element (recorded, so `make grade-gdb` replays it)
  t.boot_pvh(...)    QEMU with -kernel kernel.elf, its own command line, -m, initrd
  t.boot_iso()       QEMU booting the GRUB ISO
  con.expect(re)     wait for a regex on the console; returns the match
  con.send(text)     type text on the serial console
  con.expect_exit()  wait for QEMU to end; returns its exit status
  con.lines()        the console so far, as lines without "\\r"
  check(...), check_equal(...), fail(...)   raise Fail(expected, seen)

Deadlines are multiplied by GRADE_TIMEOUT_SCALE (default 1).  While a test
waits for anything, a `Kernel panic` or `Oops:` on the console fails it at
once (the oops is read to its end first, so the log shows it), unless the test
booted with expect_oops=True.  Every boot's full console goes to
build/grade/<lab>-<test>.log (or $KESTREL_GRADE_LOGS/), the QEMU command line
on its first line.  GRADE_JOBS=N runs N tests at once (default: one per CPU).

QEMU's command line comes from scripts/kqemu.py, the builder scripts/qemu uses
too.  Acceleration is TCG unless KVM=1 and a probe shows KVM works.
"""

import concurrent.futures
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import threading
import time
import traceback

import pexpect

GRADE_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(GRADE_DIR)
sys.path.insert(0, os.path.join(REPO, "scripts"))
import kqemu  # noqa: E402

EXIT_KTEST_PASS = kqemu.EXIT_KTEST_PASS		# 33
EXIT_KTEST_FAIL = kqemu.EXIT_KTEST_FAIL		# 35
EXIT_PANIC = kqemu.EXIT_PANIC			# 37

PANIC_RE = r"Kernel panic[^\r\n]*|Oops:[^\r\n]*"
TAIL_LINES = 40


def _scale():
    try:
        s = float(os.environ.get("GRADE_TIMEOUT_SCALE", "") or 1)
    except ValueError:
        sys.exit("GRADE_TIMEOUT_SCALE must be a number, e.g. 2 or 1.5")
    return s if s > 0 else 1.0


SCALE = _scale()


def build_dir():
    d = os.environ.get("KESTREL_BUILD", "build/x86_64")
    return d if os.path.isabs(d) else os.path.join(REPO, d)


def kernel_path():
    return os.path.join(build_dir(), "kernel.elf")


def iso_path():
    return os.path.join(build_dir(), "kestrel.iso")


def _log_dir():
    d = os.environ.get("KESTREL_GRADE_LOGS", "") or os.path.join("build", "grade")
    return d if os.path.isabs(d) else os.path.join(REPO, d)


# Where consoles are saved: build/grade/, or $KESTREL_GRADE_LOGS (relative to
# the repository) when several graders run at once (scripts/check-stages).
LOG_DIR = _log_dir()


def rel(path):
    """@path relative to the repository root, for messages."""
    r = os.path.relpath(path, REPO)
    return path if r.startswith("..") else r


# --- failing ----------------------------------------------------------------

class Fail(Exception):
    """A property does not hold: what it needed and what the console showed."""

    def __init__(self, expected, seen):
        super().__init__(f"expected {expected}; saw {seen}")
        self.expected = expected
        self.seen = seen


def fail(expected, seen):
    raise Fail(expected, seen)


def check(cond, expected, seen):
    """Fail with @expected/@seen (strings, or callables making them) unless @cond."""
    if not cond:
        raise Fail(expected() if callable(expected) else expected,
                   seen() if callable(seen) else seen)


def check_equal(got, want, what):
    check(got == want, lambda: f"{what} = {want!r}", lambda: f"{what} = {got!r}")


# --- the registry -----------------------------------------------------------

class Test:
    def __init__(self, lab, fn, points, title, name):
        self.lab = lab			# "lab01"
        self.fn = fn
        self.points = points
        self.title = title
        self.name = name		# "printk-formats"

    @property
    def id(self):
        return f"{self.lab}.{self.name}"

    def log_path(self):
        return os.path.join(LOG_DIR, f"{self.lab}-{self.name}.log")

    def inputs_path(self):
        return os.path.join(LOG_DIR, f"{self.lab}-{self.name}.inputs.json")


TESTS = []


def test(points, title, name=None):
    """Register the decorated function as a test worth @points, titled @title."""
    def register(fn):
        lab = fn.__module__.rsplit(".", 1)[-1]
        TESTS.append(Test(lab, fn, points, title,
                          name or fn.__name__.strip("_").replace("_", "-")))
        return fn
    return register


# --- the console ------------------------------------------------------------

class _Tee:
    """pexpect's logfile_read: the log file plus an in-memory transcript."""

    def __init__(self, f):
        self.f = f
        self.parts = []

    def write(self, s):
        self.parts.append(s)
        self.f.write(s)

    def flush(self):
        self.f.flush()

    def text(self):
        return "".join(self.parts)


class Console:
    """One QEMU run under pexpect.  Use through T.boot_pvh / T.boot_iso."""

    def __init__(self, argv, log, expect_oops=False):
        self.argv = argv
        self.expect_oops = expect_oops
        self.status = None		# QEMU's exit status once it ended
        self.signal = None
        os.makedirs(os.path.dirname(log), exist_ok=True)
        self._logf = open(log, "w", encoding="utf-8", errors="replace")
        self._logf.write("$ " + shlex.join(argv) + "\n")
        self._logf.flush()
        self._tee = _Tee(self._logf)
        try:
            self.child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8",
                                       codec_errors="replace", timeout=None,
                                       logfile=None, echo=False)
        except pexpect.ExceptionPexpect as e:
            self._logf.close()
            raise Fail(f"QEMU to start ({argv[0]})", str(e))
        self.child.logfile_read = self._tee

    # - reading -
    def text(self):
        """Everything the console printed so far ("\\r" removed)."""
        return self._tee.text().replace("\r", "")

    def lines(self):
        return self.text().split("\n")

    def tail(self, n=TAIL_LINES):
        lines = self.lines()
        if lines and lines[-1] == "":
            lines.pop()
        return lines[-n:]

    def _ended(self):
        self.child.wait()
        self.status = self.child.exitstatus
        self.signal = self.child.signalstatus
        return self.status

    def _how_it_ended(self):
        if self.signal is not None:
            return f"QEMU was killed by signal {self.signal}"
        return f"QEMU exited with status {self.status}" + _exit_meaning(self.status)

    def _panicked(self, what):
        """The console shows a panic or oops while we wait for @what: read
        the rest of it (until QEMU exits, at most 3 s × scale), then fail."""
        line = self.child.match.group(0).strip()
        try:
            if self.child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=3 * SCALE) == 0:
                self._ended()
        except pexpect.ExceptionPexpect:
            pass
        line = next((l.strip() for l in self.lines() if line in l), line)	# all of it
        fail(what, f"the kernel crashed first: `{line}`")

    def expect(self, pattern, timeout=30, what=None, too_late=()):
        """Wait up to @timeout × GRADE_TIMEOUT_SCALE seconds for the regex
        @pattern; returns the re.Match.  @what describes it for a failure.
        Output matching a regex of @too_late first (e.g. `boot complete`
        while waiting for the banner) fails at once: it can no longer come."""
        what = what or f"console output matching /{pattern}/"
        too_late = [re.compile(p + r"[^\r\n]*") for p in too_late]
        pats = [re.compile(pattern)] + too_late
        if not self.expect_oops:
            pats.append(re.compile(PANIC_RE))
        pats += [pexpect.EOF, pexpect.TIMEOUT]
        deadline = timeout * SCALE
        i = self.child.expect(pats, timeout=deadline)
        if i == 0:
            return self.child.match
        kind = pats[i]
        if kind in too_late:
            fail(what, f"`{self.child.match.group(0).strip()}` came first, without it")
        if kind is pexpect.EOF:
            self._ended()
            fail(what, f"{self._how_it_ended()} first")
        if kind is pexpect.TIMEOUT:
            fail(what, f"nothing like it within {deadline:g}s")
        self._panicked(what)

    def send(self, text):
        """Type @text on the serial console (as a user would, byte by byte)."""
        self.child.send(text)

    def expect_exit(self, timeout=30, what="QEMU to exit"):
        """Wait for QEMU to end; returns its exit status (None if a signal)."""
        pats = [pexpect.EOF, pexpect.TIMEOUT]
        if not self.expect_oops:
            pats.insert(1, re.compile(PANIC_RE))
        deadline = timeout * SCALE
        kind = pats[self.child.expect(pats, timeout=deadline)]
        if kind is pexpect.EOF:
            return self._ended()
        if kind is pexpect.TIMEOUT:
            fail(what, f"QEMU still running after {deadline:g}s")
        self._panicked(what)

    def expect_exit_status(self, status, timeout=30):
        """Wait for QEMU to end and check that it exited with @status."""
        what = f"QEMU to exit with status {status}{_exit_meaning(status)}"
        got = self.expect_exit(timeout, what)
        check(got == status and self.signal is None, what, self._how_it_ended)

    def kill(self):
        if self.status is None and self.signal is None:
            try:
                self.child.terminate(force=True)
            except pexpect.ExceptionPexpect:
                pass
        try:
            self.child.close(force=True)
        except pexpect.ExceptionPexpect:
            pass
        self._logf.close()


def _exit_meaning(status):
    return {EXIT_KTEST_PASS: " (ktests passed)",
            EXIT_KTEST_FAIL: " (a ktest failed)",
            EXIT_PANIC: " (kernel panic)",
            0: " (not through isa-debug-exit: a triple fault, with -no-reboot)"}.get(status, "")


# --- one test's run ---------------------------------------------------------

class GdbLaunch(Exception):
    """In `make grade-gdb` mode a boot stops the test: run this argv instead."""

    def __init__(self, argv):
        super().__init__("launch for gdb")
        self.argv = argv


class T:
    """What a test function receives: inputs, boots, and its consoles."""

    def __init__(self, test, gdb_mode=False):
        self.test = test
        self.gdb_mode = gdb_mode
        self.consoles = []
        self._inputs = {"nonce": None, "choices": []}
        self._replay = None
        if gdb_mode:
            try:
                with open(test.inputs_path()) as f:
                    self._replay = json.load(f)
            except (OSError, ValueError):
                self._replay = None

    # - random inputs, recorded so that grade-gdb can replay them -
    @property
    def nonce(self):
        if self._inputs["nonce"] is None:
            n = (self._replay or {}).get("nonce") or secrets.token_hex(6)
            self._inputs["nonce"] = n
            self._save_inputs()
        return self._inputs["nonce"]

    def choice(self, seq):
        seq = list(seq)
        k = len(self._inputs["choices"])
        past = (self._replay or {}).get("choices", [])
        if k < len(past) and 0 <= past[k] < len(seq):
            idx = past[k]
        else:
            idx = secrets.randbelow(len(seq))
        self._inputs["choices"].append(idx)
        self._save_inputs()
        return seq[idx]

    def replaying(self):
        return self._replay is not None

    def _save_inputs(self):
        if self.gdb_mode:
            return
        os.makedirs(LOG_DIR, exist_ok=True)
        with open(self.test.inputs_path(), "w") as f:
            json.dump(self._inputs, f)

    # - booting -
    def boot_pvh(self, append="", mem="512M", initrd=None, ktest=None,
                 expect_oops=False, gdb_port=None, debug_exit=True, extra=()):
        """Boot kernel.elf by PVH with `console=ttyS0 APPEND`, plus
        `ktest=KTEST ktest.nonce=NONCE` when @ktest is given.
        debug_exit=False boots without isa-debug-exit (poweroff tests);
        @extra are more QEMU arguments (e.g. ["-smp", "2"])."""
        kernel = kernel_path()
        check(os.path.isfile(kernel), f"a kernel at {rel(kernel)}",
              "no such file (run make)")
        cmdline = " ".join(w for w in ["console=ttyS0", append.strip(),
                                       f"ktest={ktest} ktest.nonce={self.nonce}" if ktest else ""]
                           if w)
        return self._boot(expect_oops, gdb_port, kernel=kernel, append=cmdline,
                          initrd=initrd, mem=mem, debug_exit=debug_exit,
                          extra=tuple(extra))

    def boot_iso(self, mem="512M", expect_oops=False):
        """Boot the GRUB ISO (multiboot2, command line console=ttyS0)."""
        iso = iso_path()
        check(os.path.isfile(iso), f"an ISO at {rel(iso)}", "no such file (run make iso)")
        return self._boot(expect_oops, None, iso=iso, mem=mem)

    def _boot(self, expect_oops, gdb_port, **how):
        if self.gdb_mode:
            raise GdbLaunch(kqemu.qemu_argv(gdb_port=kqemu.gdb_port(),
                                            accel=kqemu.accel(), **how))
        argv = kqemu.qemu_argv(gdb_port=gdb_port, accel=kqemu.accel(), **how)
        log = self.test.log_path()
        if self.consoles:		# a second boot in one test: its own log
            log = log[:-4] + f".{len(self.consoles) + 1}.log"
        con = Console(argv, log, expect_oops)
        self.consoles.append(con)
        return con

    # - other programs -
    def wait_listening(self, port, timeout, what):
        """Wait until something (QEMU's gdb stub) listens on 127.0.0.1:@port."""
        deadline = time.monotonic() + timeout * SCALE
        while not kqemu.listening(port):
            con = self.consoles[-1] if self.consoles else None
            if con is not None and not con.child.isalive():
                con._ended()
                fail(what, con._how_it_ended())
            if time.monotonic() > deadline:
                fail(what, f"nothing listening on port {port} after {timeout * SCALE:g}s")
            time.sleep(0.05)

    def run(self, argv, timeout, what):
        """Run a host program (e.g. gdb) with a scaled deadline; returns its
        output (stdout+stderr), also saved next to the test's log."""
        deadline = timeout * SCALE
        path = self.test.log_path()[:-4] + f".{os.path.basename(argv[0])}.log"
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace",
                               timeout=deadline)
            out = p.stdout
        except subprocess.TimeoutExpired as e:
            out = e.stdout or ""
            if isinstance(out, bytes):
                out = out.decode(errors="replace")
            self._save(path, argv, out)
            fail(what, f"{argv[0]} still running after {deadline:g}s (output in {rel(path)})")
        except OSError as e:
            fail(what, f"cannot run {argv[0]}: {e}")
        self._save(path, argv, out)
        return out

    @staticmethod
    def _save(path, argv, out):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("$ " + shlex.join(argv) + "\n" + out)

    def finish(self):
        for con in self.consoles:
            con.kill()


# --- KTAP -------------------------------------------------------------------

KTAP_RESULT = re.compile(r"^(ok|not ok) (\d+) (\S+)(?: # (.*))?$")


class Ktap:
    """The KTAP v1 report of a ktest run, parsed from console lines:
    .version_seen, .plan (N of "1..N" or None), .results (list of dicts with
    ok, number, name, directive, nonce, line), .summary (the "# ktest:" line)."""

    def __init__(self, lines):
        self.version_seen = False
        self.plan = None
        self.results = []
        self.summary = None
        started = False
        for line in lines:
            line = line.strip()
            if line == "KTAP version 1":
                self.version_seen = started = True
                continue
            if not started:
                continue
            m = re.fullmatch(r"1\.\.(\d+)", line)
            if m and self.plan is None:
                self.plan = int(m.group(1))
                continue
            m = KTAP_RESULT.match(line)
            if m:
                directive = m.group(4) or ""
                nm = re.search(r"(?:^|\s)nonce=([0-9a-fA-F]+)\b", directive)
                self.results.append({"ok": m.group(1) == "ok", "number": int(m.group(2)),
                                     "name": m.group(3), "directive": directive,
                                     "nonce": nm.group(1) if nm else None, "line": line})
                continue
            if line.startswith("# ktest:"):
                self.summary = line

    def result(self, name):
        for r in self.results:
            if r["name"] == name:
                return r
        return None


def check_ktests(t, con, names, secs):
    """On a console booted with ktest=<names>: wait for QEMU's exit (at
    most @secs), then every test must print `ok N name # nonce=…` (not
    skipped) in order, and the exit status must be 33.  Returns the lines."""
    status = con.expect_exit(secs, what=f"ktests {', '.join(names)} to finish")
    lines = con.lines()
    ktap = Ktap(lines)
    for k, name in enumerate(names, 1):
        check_ktap_result(ktap, name, t.nonce, number=k)
    check(status == EXIT_KTEST_PASS, f"QEMU exit status {EXIT_KTEST_PASS} (all ktests passed)",
          f"status {status}")
    return lines


def run_ktests(t, names, secs=60, **boot):
    """Boot PVH with ktest=<names> (and boot_pvh's keyword arguments, e.g.
    mem=, append=, extra=) and check_ktests; returns the console."""
    con = t.boot_pvh(ktest=",".join(names), **boot)
    check_ktests(t, con, names, secs)
    return con


def check_ktap_result(ktap, name, nonce, number=None):
    """The KTAP line for test @name says ok and carries @nonce."""
    want = f"ok {number if number is not None else 'N'} {name} # nonce={nonce}"
    r = ktap.result(name)
    check(ktap.version_seen, f"`KTAP version 1` before `{want}`",
          "no `KTAP version 1` line")
    check(r is not None, f"`{want}`", f"no result line for {name}")
    check(r["ok"], f"`{want}`", f"`{r['line']}`")
    check(not r["directive"].startswith("SKIP"), f"`{want}` (run, not skipped)", f"`{r['line']}`")
    check(number is None or r["number"] == number, f"`{want}`", f"`{r['line']}`")
    check(r["nonce"] == nonce, f"`{want}` (this run's nonce)", f"`{r['line']}`")


# --- oops reports -----------------------------------------------------------

HEX16 = r"[0-9a-f]{16}"
TRACE_RE = re.compile(r"^\s*\[<([0-9a-f]+)>\]\s+(\S+?)\+0x([0-9a-f]+)/0x([0-9a-f]+)")
GP_REGS = ["RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R08",
           "R09", "R10", "R11", "R12", "R13", "R14", "R15"]


class Oops:
    """The first oops on a console: .header (the `Oops:` line), .regs (name
    -> the hex string printed, e.g. "RIP" -> "ffffffff80103456"), .rip_symbol
    ("fault_gamma+0x1a/0x40" or None), .trace (list of (addr, symbol, offset,
    size) from the Call Trace), .panic (the `Kernel panic` line or None)."""

    def __init__(self, lines):
        self.header = None
        self.regs = {}
        self.rip_symbol = None
        self.trace = []
        self.panic = None
        i = next((k for k, l in enumerate(lines) if "Oops:" in l), None)
        if i is None:
            return
        self.header = lines[i].strip()
        in_trace = False
        for line in lines[i + 1:]:
            if "Kernel panic" in line:
                self.panic = line.strip()
                break
            if line.strip() == "Call Trace:":
                in_trace = True
                continue
            if in_trace:
                m = TRACE_RE.match(line)
                if m:
                    self.trace.append((m.group(1), m.group(2), int(m.group(3), 16),
                                       int(m.group(4), 16)))
                continue
            # "RIP: 0010:ffffffff80103456 fault_gamma+0x1a/0x40": segment:value
            for m in re.finditer(r"\b([A-Z][A-Z0-9]{1,5}): (?:[0-9a-f]{4}:)?([0-9a-fA-F]+)\b",
                                 line):
                self.regs.setdefault(m.group(1), m.group(2))
            m = re.match(r"\s*RIP: (?:[0-9a-f]{4}:)?[0-9a-fA-F]+ (\S+)", line)
            if m and self.rip_symbol is None:
                self.rip_symbol = m.group(1)


# --- running tests ----------------------------------------------------------

class Result:
    def __init__(self, test, ok, secs, report):
        self.test = test
        self.ok = ok
        self.secs = secs
        self.report = report		# lines printed under a FAIL


def run_one(test):
    t = T(test)
    start = time.monotonic()
    report = []
    try:
        test.fn(t)
        ok = True
    except Fail as f:
        ok = False
        report = _failure_report(test, t, f.expected, f.seen)
    except Exception:		# a grader bug: say so, never pass
        ok = False
        report = _failure_report(test, t, "the grader to run",
                                 "an error in the grader itself:\n" + traceback.format_exc())
    finally:
        t.finish()
    return Result(test, ok, time.monotonic() - start, report)


def _failure_report(test, t, expected, seen):
    out = [f"    checks:   {test.title}"]
    if expected:
        out.append(f"    expected: {expected}")
    for k, line in enumerate(str(seen).rstrip("\n").split("\n")):
        out.append(("    seen:     " if k == 0 else "              ") + line)
    if t.consoles:
        con = t.consoles[-1]
        tail = con.tail()
        out.append(f"    console (last {len(tail)} lines):" if tail else
                   "    console: (nothing printed)")
        out += ["      | " + _printable(l) for l in tail]
        for c in t.consoles:
            out.append(f"    log: {rel(c._logf.name)}")
    out.append(f"    rerun under gdb: make grade-gdb TEST={test.id}")
    return out


def _printable(s):
    return "".join(c if c.isprintable() or c == "\t" else f"\\x{ord(c):02x}" for c in s)


def result_line(r):
    head = f"== {r.test.lab} {r.test.name} "
    return f"{head:.<44} {'OK' if r.ok else 'FAIL'} ({r.secs:.1f}s)"


def default_jobs():
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:
        n = os.cpu_count() or 1
    env = os.environ.get("GRADE_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, n)


def run_tests(tests, jobs=None, out=sys.stdout):
    """Run @tests, @jobs at a time, printing each result in the order given.
    Returns the list of Results."""
    jobs = min(jobs or default_jobs(), max(1, len(tests)))
    os.makedirs(LOG_DIR, exist_ok=True)
    kqemu.accel()			# probe KVM once, before the threads
    results = [None] * len(tests)
    printed = 0
    lock = threading.Lock()

    def flush():
        nonlocal printed
        while printed < len(tests) and results[printed] is not None:
            r = results[printed]
            print(result_line(r), file=out)
            for line in r.report:
                print(line, file=out)
            out.flush()
            printed += 1

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_one, tst): k for k, tst in enumerate(tests)}
        for fut in concurrent.futures.as_completed(futures):
            with lock:
                results[futures[fut]] = fut.result()
                flush()
    return results


def summary(results, out=sys.stdout):
    got = sum(r.test.points for r in results if r.ok)
    total = sum(r.test.points for r in results)
    passed = sum(1 for r in results if r.ok)
    print(f"Score: {got}/{total}", file=out)
    print(f"{passed} passed, {len(results) - passed} failed", file=out)
    return passed == len(results)


def gdb_argv(test):
    """The QEMU argv @test boots, with -S -gdb, replaying its recorded inputs.
    Returns (argv, replayed, why-not) — argv None if the test fails first."""
    t = T(test, gdb_mode=True)
    try:
        test.fn(t)
    except GdbLaunch as g:
        return g.argv, t.replaying(), None
    except Fail as f:
        return None, False, f"{f.expected or ''}: {f.seen}"
    finally:
        t.finish()
    return None, False, "the test boots no QEMU"
