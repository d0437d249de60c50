#!/usr/bin/env python3
"""grade/run.py — run Kestrel's graders (make grade, make grade-gdb).

    run.py                 every lab of this tree: labs 1..N if lab.mk says
                           LAB_CURRENT := N (a student tree), else every
                           grade/labNN.py
    run.py --lab N         lab N only
    run.py --gdb TEST      boot TEST's QEMU (e.g. lab01.printk-formats, or just
                           printk-formats) stopped for gdb, with the inputs of
                           its last graded run, on this terminal
    run.py --list          the tests, their points and titles

The kernel comes from $KESTREL_BUILD (default build/x86_64).  Tests run in
parallel (GRADE_JOBS, default: one per CPU); results print in a fixed order,
then `Score: X/Y` and `N passed, M failed`.  The exit status is 0 when every
test passed, 1 when one failed, 2 when there was nothing to grade.
"""

import argparse
import glob
import importlib
import os
import re
import shlex
import sys

GRADE_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(GRADE_DIR)

# python3 on PATH may be a pyenv or venv interpreter without pexpect while
# Debian's python3-pexpect serves /usr/bin/python3: use that one then.
try:
    import pexpect  # noqa: F401  (only: is it importable?)
except ImportError:
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
            os.path.exists("/usr/bin/python3") and not os.environ.get("KESTREL_REEXEC"):
        os.environ["KESTREL_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3", os.path.abspath(__file__)] + sys.argv[1:])
    sys.exit("grade: python3 cannot import pexpect; run scripts/setup grade "
             "(or: sudo apt-get install python3-pexpect)")

sys.path.insert(0, GRADE_DIR)
import gradelib  # noqa: E402
from gradelib import kqemu, rel  # noqa: E402


def graders():
    """{lab number: module name} for every grade/labNN.py."""
    out = {}
    for path in glob.glob(os.path.join(GRADE_DIR, "lab[0-9][0-9].py")):
        name = os.path.basename(path)[:-3]
        out[int(name[3:])] = name
    return dict(sorted(out.items()))


def tree_lab():
    """LAB_CURRENT from lab.mk (student trees), or None (the full kernel)."""
    try:
        with open(os.path.join(REPO, "lab.mk")) as f:
            m = re.search(r"^\s*LAB_CURRENT\s*[:?]?=\s*(\d+)\s*$", f.read(), re.M)
    except OSError:
        return None
    return int(m.group(1)) if m else None


def choose_labs(lab_arg):
    """The lab numbers to grade and the line that says why; exits 2 if none."""
    have = graders()
    current = tree_lab()
    if lab_arg is not None:
        if current is not None and lab_arg > current:
            sys.exit(_usage_error(f"lab {lab_arg} is beyond this tree: it is at lab {current} "
                                  f"(lab.mk: LAB_CURRENT := {current}); grade {_labs_upto(current)}"))
        if lab_arg not in have:
            sys.exit(_usage_error(f"no grader for lab {lab_arg}: grade/lab{lab_arg:02d}.py "
                                  "does not exist" + _have_text(have)))
        return [lab_arg], f"Grading lab {lab_arg}"
    if current is not None:
        labs = [n for n in have if 1 <= n <= current]
        missing = [n for n in range(1, current + 1) if n not in have]
        why = f"Grading lab {current} of this tree ({_labs_upto(current)})"
        if missing:
            why += f"; no grader for lab{'s' if len(missing) > 1 else ''} " + \
                   ", ".join(map(str, missing))
    else:
        labs = list(have)
        why = ("Grading every lab with a grader: " + ", ".join(map(str, labs))) if labs else ""
    if not labs:
        sys.exit(_usage_error("no graders to run (no grade/labNN.py for this tree's labs)"))
    return labs, why


def _labs_upto(n):
    return "lab 1" if n == 1 else f"labs 1–{n}"


def _have_text(have):
    return f" (graders exist for lab {', '.join(map(str, have))})" if have else ""


def _usage_error(msg):
    print(f"grade: {msg}", file=sys.stderr)
    return 2


def load_tests(labs):
    for n in labs:
        importlib.import_module(f"lab{n:02d}")
    return [t for t in gradelib.TESTS if int(t.lab[3:]) in labs]


def find_test(name):
    for n, mod in graders().items():
        importlib.import_module(mod)
    matches = [t for t in gradelib.TESTS if name in (t.id, t.name, t.fn.__name__)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(t.id for t in gradelib.TESTS)
    if not matches:
        sys.exit(_usage_error(f"no test named {name!r}; tests: {known}"))
    sys.exit(_usage_error(f"{name!r} is ambiguous: " + ", ".join(t.id for t in matches)))


def launch_for_gdb(name):
    """make grade-gdb TEST=name: the test's own QEMU, stopped for gdb."""
    test = find_test(name)
    argv, replayed, why_not = gradelib.gdb_argv(test)
    if argv is None:
        sys.exit(_usage_error(f"{test.id} cannot be started for gdb: {why_not}"))
    port = kqemu.gdb_port()
    if kqemu.port_in_use(port):
        sys.exit(_usage_error(f"gdb port {port} is in use; is another `make qemu-gdb` "
                              "or `make grade-gdb` still running?"))
    gdbinit = kqemu.write_gdbinit(gradelib.build_dir(), port)
    print(f"{test.id}: {test.title}")
    print("  inputs: " + ("those of the last graded run (see "
                          f"{rel(test.log_path())})" if replayed else "fresh random ones "
                          "(no earlier graded run of this test)"))
    print("  $ " + shlex.join(argv))
    print(f"waiting for gdb: run 'make gdb' in another terminal (it reads {rel(gdbinit)}); "
          "leave QEMU with Ctrl-A x", flush=True)
    os.execvp(argv[0], argv)


def main():
    p = argparse.ArgumentParser(prog="grade/run.py", description="Run Kestrel's graders.")
    p.add_argument("--lab", type=int, help="grade lab N only")
    p.add_argument("--gdb", metavar="TEST", help="boot TEST's QEMU stopped for gdb")
    p.add_argument("--list", action="store_true", help="list the tests")
    p.add_argument("-j", "--jobs", type=int, help="tests run at once (default: CPUs)")
    a = p.parse_args()

    if a.gdb is not None:
        if not a.gdb:
            labs, _ = choose_labs(None)
            names = ", ".join(t.id for t in load_tests(labs))
            sys.exit(_usage_error(f"say which test: make grade-gdb TEST=<test> (tests: {names})"))
        launch_for_gdb(a.gdb)
    labs, why = choose_labs(a.lab)
    tests = load_tests(labs)
    if a.list:
        for t in tests:
            print(f"{t.id:32} {t.points:3}  {t.title}")
        return 0
    kernel = gradelib.kernel_path()
    if not os.path.isfile(kernel):
        print(f"grade: no kernel at {rel(kernel)}; run make first", file=sys.stderr)
        return 2
    print(why)
    print(f"kernel {rel(kernel)}; console logs in {rel(gradelib.LOG_DIR)}/", flush=True)
    results = gradelib.run_tests(tests, a.jobs)
    return 0 if gradelib.summary(results) else 1


if __name__ == "__main__":
    sys.exit(main())
