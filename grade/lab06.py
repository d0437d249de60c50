"""Lab 6 (user mode and system calls): the syscall entry and table, copying
to and from user memory, the ELF loader and the initial stack, execve from
the initrd.

Every test boots one static musl program from user/tests/ as init (pid 1)
out of an initrd the grader packs (grade/userprog.py), with this run's
nonce in its environment; the program reports in KTAP and the kernel
powers off when it ends.  The arguments and environment are random words
derived from the nonce, so the answers cannot be hard-coded; the expected
addresses (entry point, program headers) come from the binaries
themselves, read with readelf.  A program that cannot run (the stage
before this lab prints `init: cannot run …`) fails its test at once.
"""

import re
import secrets

from gradelib import EXIT_KTEST_PASS, Ktap, check, check_equal, check_ktap_result, fail, test
from userprog import (check_all_ok, parse_dump, program_path, readelf_header,
                      run_program)

PIE_BASE = 0x555555554000	# ELF_ET_DYN_BASE (kernel/include/kestrel/mm_types.h)
KILL_RE = r"^(\S+)\[(\d+)\]: (.*); killed by (SIG\w+)$"


# --- helpers ----------------------------------------------------------------

def random_words(t, n, prefix):
    """@n words made of the nonce and random hex: unguessable arguments."""
    return [f"{prefix}{i}-{t.nonce[:4]}{secrets.token_hex(3)}" for i in range(n)]


def check_vectors(t, prog):
    """Run @prog (auxv or auxv-pie) with random argv/envp; check what it
    printed against what was passed and against the binary's headers."""
    args = random_words(t, t.choice([1, 2, 5, 9]), "arg")
    env = {f"V{i}_{t.nonce[:6]}": secrets.token_hex(4) for i in range(t.choice([1, 3, 6]))}
    run = run_program(t, prog, args=args, env=env)
    argv, envp, auxv = parse_dump(run.lines)
    check_equal(argv, [f"/{prog}"] + args, "argv")
    want_env = ["HOME=/", "TERM=linux", f"KTEST_NONCE={t.nonce}"] + \
        [f"{k}={v}" for k, v in env.items()]
    check_equal(envp, want_env, "envp")
    hdr = readelf_header(program_path(prog))
    base = PIE_BASE if hdr["type"] == "DYN" else 0x400000
    bias = PIE_BASE if hdr["type"] == "DYN" else 0
    check_equal(auxv.get("AT_ENTRY"), hdr["entry"] + bias, "AT_ENTRY (e_entry + load bias)")
    check_equal(auxv.get("AT_PHDR"), base + hdr["phoff"], "AT_PHDR")
    check_equal(auxv.get("AT_PHNUM"), hdr["phnum"], "AT_PHNUM")
    check_equal(auxv.get("AT_PAGESZ"), 4096, "AT_PAGESZ")
    check_all_ok(t, run, prog)
    return run


def kill_line(run):
    """The kernel's `prog[pid]: … killed by SIGx` line, as a match."""
    for line in run.lines:
        m = re.match(KILL_RE, line.strip())
        if m:
            return m
    fail("a line `prog[pid]: … ; killed by SIG…` from the kernel", "none")


# --- the tests --------------------------------------------------------------

@test(3, "hello: a static musl program runs as init, writes a line, and exits with 0")
def hello(t):
    run = run_program(t, "hello")
    check(any(l.strip() == "hello from user space" for l in run.lines),
          "`hello from user space` on the console", "not printed")
    check(run.status == 0, "`Kestrel: init (pid 1) exited with status 0`",
          f"killed by {run.signal}" if run.signal else f"status {run.status}")


@test(5, "the initial stack: argc, argv and envp as passed, every auxv entry right, RSP aligned")
def argv_envp_auxv(t):
    check_vectors(t, "auxv")


@test(4, "a static PIE (ET_DYN) is loaded at a bias, relocates itself and sees a correct auxv")
def static_pie(t):
    check_vectors(t, "auxv-pie")


@test(2, "uaccess from inside: kernel addresses refused by the range check, unmapped ones fixed up")
def uaccess_ktests(t):
    names = ["uaccess_range_check", "uaccess_fixups"]
    con = t.boot_pvh(ktest=",".join(names))
    status = con.expect_exit(60, what="the uaccess ktests to finish")
    ktap = Ktap(con.lines())
    for k, name in enumerate(names, 1):
        check_ktap_result(ktap, name, t.nonce, number=k)
    check(status == EXIT_KTEST_PASS, f"QEMU exit status {EXIT_KTEST_PASS}", f"status {status}")


@test(5, "bad pointers to every pointer-taking system call give EFAULT, never an oops")
def efault(t):
    run = run_program(t, "efault")
    check_all_ok(t, run, "efault")


@test(3, "unknown system calls return ENOSYS, each number logged exactly once")
def enosys(t):
    run = run_program(t, "enosys")
    check_all_ok(t, run, "enosys")
    text = "\n".join(run.lines)
    for pat, what in [(r"syscall: kexec_load \(246\) not implemented", "kexec_load (246)"),
                      (r"syscall: unused \(335\) not implemented", "unused (335)"),
                      (r"syscall: number \d+ is not a system call", "number 100000")]:
        n = len(re.findall(pat, text))
        check(n == 1, f"exactly one log line for {what}", f"{n} lines")
    check("syscall: clone3" not in text, "clone3 refused silently (no log line)",
          "a `syscall: clone3 …` line")


@test(4, "everyday calls: ids, uname, write/writev, clocks, nanosleep, getrandom, TLS base, limits, prctl")
def syscalls(t):
    run = run_program(t, "syscalls")
    check_all_ok(t, run, "syscalls")


@test(4, "a fatal user fault kills the process with a line naming pid, address and cause; the kernel lives")
def fatal_fault(t):
    what, sig, cause = t.choice([
        ("null", "SIGSEGV", r"segfault at 0 .*write to an unmapped address"),
        ("kernel", "SIGSEGV", r"segfault at ffffffff80000000 .*kernel address"),
        # Lab 7's fault handler tells "forbids it" from "unmapped"; either is right here.
        ("exec", "SIGSEGV", r"segfault at [0-9a-f]+ .*execute (in a mapping that forbids it|at an unmapped address)"),
        ("ud2", "SIGILL", r"invalid opcode at ip"),
        ("div0", "SIGFPE", r"divide error at ip"),
    ])
    run = run_program(t, "segv", args=[what])
    check(any(l.strip() == f"segv: about to {what}" for l in run.lines),
          f"`segv: about to {what}`", "the program did not get there")
    m = kill_line(run)
    check_equal((m.group(1), m.group(2), m.group(4)), ("segv", "1", sig),
                "the kill line's program, pid and signal")
    check(re.search(cause, m.group(3)), f"the cause matching /{cause}/", f"`{m.group(3)}`")
    check_equal(run.signal, sig, "how init ended")
