"""userprog — running user test programs inside the guest (labs 6 and up).

The user tests are static musl programs built from user/tests/*.c by
user/build.mk into $KESTREL_BUILD/user/tests/.  This module

  - builds them (`make user`) once per grader run, if needed;
  - packs them into one initrd, an uncompressed cpio archive in the "newc"
    format made by Debian's cpio (`cpio -o -H newc`), the format the
    kernel reads (kernel/lib/cpio.c), plus a few fixtures: #! scripts,
    a file that is not a program, a symbolic link, and Debian's static
    busybox as /bin/busybox;
  - boots one program as init: `rdinit=/PROG KTEST_NONCE=<nonce> -- ARGS`
    (the kernel passes KEY=value words to init's environment and words
    after `--` to its argv, as Linux does), waits for pid 1 to end, and
    returns the console and its KTAP report.

A program's end is the kernel's line `Kestrel: init (pid 1) exited with
status N` (or `killed by SIG…`), after which the kernel powers off.  If
the kernel cannot run the program (`init: cannot run …`, as in the stages
before lab 6) the test fails at once instead of waiting.
"""

import fcntl
import os
import re
import shutil
import subprocess
import threading

from gradelib import REPO, Ktap, build_dir, check, check_ktap_result, fail, rel

INIT_END_RE = r"Kestrel: init \(pid 1\) (exited with status (\d+)|killed by (SIG\w+)); powering off"
CANNOT_RUN = [r"init: cannot run", r"init: none of", r"init: no initrd"]
PROGRAM_SECS = 60

_lock = threading.Lock()
_initrd = None

# Files added to the initrd next to the programs: name -> (mode, contents).
FIXTURES = {
    "script": (0o755, "#!/auxv script-arg\n"),
    "script2": (0o755, "#!/script\n"),
    "loop1": (0o755, "#!/loop2\n"),
    "loop2": (0o755, "#!/loop1\n"),
    "notelf": (0o755, "this is not a program\n"),
    "empty": (0o755, ""),
}
SYMLINKS = {"bin/hello": "../hello"}


def _user_dir():
    return os.path.join(build_dir(), "user", "tests")


def _build_user():
    """`make user` for this build directory; fail with its output if it fails."""
    bdir = os.path.relpath(build_dir(), REPO)
    p = subprocess.run(["make", "-s", "user", f"BUILDDIR={bdir}"], cwd=REPO,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    check(p.returncode == 0, "the user programs to build (make user)",
          "make user failed:\n" + p.stdout[-2000:])


def _programs():
    d = _user_dir()
    return sorted(f for f in os.listdir(d)
                  if os.path.isfile(os.path.join(d, f)) and os.access(os.path.join(d, f), os.X_OK)
                  and "." not in f)


def _pack(stage, out):
    names = []
    for root, dirs, files in os.walk(stage):
        for n in dirs + files:
            names.append(os.path.relpath(os.path.join(root, n), stage))
    names.sort()
    with open(out, "wb") as f:
        p = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet", "--owner=0:0"],
                           cwd=stage, input="\n".join(names).encode(), stdout=f,
                           stderr=subprocess.PIPE)
    check(p.returncode == 0, "cpio to pack the test initrd", p.stderr.decode(errors="replace"))


def user_initrd():
    """The path of the test initrd, built on first use.  Thread-safe, and
    safe across processes: check-stages grades two labs on one stage build
    at once, so building and packing hold a file lock in the build
    directory, and the archive is replaced atomically (a QEMU already
    reading the old one keeps its copy)."""
    global _initrd
    with _lock:
        if _initrd and os.path.exists(_initrd):
            return _initrd
        gdir = os.path.join(build_dir(), "grade")
        os.makedirs(gdir, exist_ok=True)
        with open(os.path.join(gdir, ".initrd.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _initrd = _make_initrd(gdir)
        return _initrd


def _make_initrd(gdir):
    """Build the user programs and pack them with the fixtures; under the
    lock of user_initrd()."""
    _build_user()
    stage = os.path.join(gdir, "initrd")
    out = os.path.join(gdir, "user-initrd.cpio")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(os.path.join(stage, "bin"))
    for prog in _programs():
        shutil.copy2(os.path.join(_user_dir(), prog), os.path.join(stage, prog))
    for name, (mode, text) in FIXTURES.items():
        path = os.path.join(stage, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
    for name, target in SYMLINKS.items():
        os.symlink(target, os.path.join(stage, name))
    busybox = shutil.which("busybox")
    if busybox:	# Debian's busybox-static: glibc, static (lab 7's test)
        shutil.copy2(os.path.realpath(busybox), os.path.join(stage, "bin", "busybox"))
    _pack(stage, out + ".tmp")
    os.replace(out + ".tmp", out)
    return out


def program_path(prog):
    """The host path of user program @prog (for readelf)."""
    user_initrd()
    return os.path.join(_user_dir(), prog)


class Run:
    """One program run as init: .con (the Console), .lines, .ktap,
    .status (exit code or None), .signal ("SIGSEGV" or None)."""

    def __init__(self, con, m):
        self.con = con
        self.lines = con.lines()
        self.ktap = Ktap(self.lines)
        self.status = int(m.group(2)) if m.group(2) is not None else None
        self.signal = m.group(3)


def run_program(t, prog, args=(), env=None, mem="512M", append="", secs=PROGRAM_SECS,
                expect_oops=False):
    """Boot with @prog as init and wait until it ends.  @env: extra
    KEY=value words for its environment (KTEST_NONCE is always given)."""
    words = [f"rdinit=/{prog}", f"KTEST_NONCE={t.nonce}"]
    words += [f"{k}={v}" for k, v in (env or {}).items()]
    if append:
        words.append(append)
    if args:
        words += ["--"] + list(args)
    con = t.boot_pvh(append=" ".join(words), mem=mem, initrd=user_initrd(),
                     expect_oops=expect_oops)
    m = con.expect(INIT_END_RE, secs, what=f"{prog} to run as init and end "
                   "(`Kestrel: init (pid 1) exited …`)", too_late=CANNOT_RUN)
    try:
        con.expect_exit(10, what="QEMU to power off after init ended")
    except Exception:
        pass	# the report is complete; how QEMU ends does not matter
    return Run(con, m)


def check_exit_ok(run, prog):
    """@prog, run as init, exited with status 0."""
    check(run.status == 0, f"{prog} to exit with status 0",
          f"killed by {run.signal}" if run.signal else f"status {run.status}")


def run_cases(t, prog, cases, mem="512M", secs=90):
    """Run the named KTAP cases of @prog as init; each must pass, and the
    program must exit with 0.  Returns the Run."""
    run = run_program(t, prog, args=cases, mem=mem, secs=secs)
    check_cases(t, run, cases)
    check_exit_ok(run, prog)
    return run


def check_cases(t, run, names):
    """Every KTAP case in @names reported `ok … # nonce=<this run's>`."""
    for name in names:
        check_ktap_result(run.ktap, name, t.nonce)


def own_results(t, run):
    """The KTAP results of the program itself: those with this run's nonce
    (programs it exec'd, without KTEST_NONCE, report `nonce=none`)."""
    return [r for r in run.ktap.results if r["nonce"] == t.nonce]


def check_all_ok(t, run, prog):
    """Every case the program reported passed, and it exited with 0."""
    check(run.ktap.plan is not None, f"{prog} to print a KTAP plan (1..N)",
          "no plan: the program did not get that far")
    names = [r["name"] for r in own_results(t, run)]
    check(len(names) == run.ktap.plan, f"{run.ktap.plan} results from {prog}",
          f"{len(names)} (it stopped after `{names[-1] if names else 'nothing'}`)")
    check_cases(t, run, names)
    check(run.status == 0, f"{prog} to exit with status 0",
          f"killed by {run.signal}" if run.signal else f"status {run.status}")


def readelf_header(path):
    """{'type': 'EXEC'|'DYN', 'entry': int, 'phoff': int, 'phnum': int} of an ELF file."""
    out = subprocess.run(["readelf", "-hW", path], capture_output=True, text=True).stdout
    info = {}
    for line in out.splitlines():
        k, _, v = line.strip().partition(":")
        v = v.strip()
        if k == "Type":
            info["type"] = v.split()[0]
        elif k == "Entry point address":
            info["entry"] = int(v, 16)
        elif k == "Start of program headers":
            info["phoff"] = int(v.split()[0])
        elif k == "Number of program headers":
            info["phnum"] = int(v)
    if len(info) != 4:
        fail(f"readelf to describe {rel(path)}", out or "no output")
    return info


def parse_dump(lines):
    """The ARGV/ENVP/AUXV lines of the auxv programs."""
    argv, envp, auxv = {}, [], {}
    for line in lines:
        line = line.strip()
        m = re.match(r"^ARGV (\d+) (.*)$", line)
        if m:
            argv[int(m.group(1))] = m.group(2)
        elif line.startswith("ENVP "):
            envp.append(line[5:])
        else:
            m = re.match(r"^AUXV (\S+) 0x([0-9a-f]+)$", line)
            if m:
                auxv[m.group(1)] = int(m.group(2), 16)
    return [argv[i] for i in sorted(argv)], envp, auxv
