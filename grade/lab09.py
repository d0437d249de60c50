"""Lab 9 (signals): handlers and their siginfo, masks and nesting, the
alternate stack, restart versus EINTR, a handler that edits the saved
context, SIGSEGV recovered with siglongjmp, real-time signals queued in
order, SIGCHLD and job control (stop, continue, WUNTRACED, WCONTINUED),
default actions with the core bit, the kill family's errors, alarm and
setitimer, process groups and sessions.

As in labs 6 and 7, each test boots user/tests/signals (a static musl
program) as init out of the grader's initrd (grade/userprog.py) and reads
its KTAP report; a test runs only the cases it names.  What a program
cannot see from inside — the kernel's one line for an unhandled fatal
fault, and its absence when a handler ran — is read from the console.

The last test boots what `make qemu` boots — the GRUB ISO with the busybox
root file system (scripts/mkrootfs) as its multiboot2 module — and types
at the shell: busybox init needs this lab's signals to start its shell and
to power off (`poweroff` is SIGUSR2 to init, then SIGTERM and SIGKILL to
everyone, then reboot(2)).
"""

import re

from gradelib import check, check_equal, test
from userprog import check_cases, run_program

KILL_RE = re.compile(r"^(\S+)\[(\d+)\]: (segfault at|invalid opcode at) .*; killed by (SIG\w+)$")


def run_cases(t, cases, secs=90):
    """Run the named cases of signals as init; each must pass and the
    program must exit with 0."""
    run = run_program(t, "signals", args=cases, secs=secs)
    check_cases(t, run, cases)
    check(run.status == 0, "signals to exit with status 0",
          f"killed by {run.signal}" if run.signal else f"status {run.status}")
    return run


def kill_lines(run):
    return [l.strip() for l in run.lines if KILL_RE.match(l.strip())]


@test(6, "a handler runs with the right siginfo (kill: SI_USER and the sender's pid; tgkill: SI_TKILL)")
def handler_siginfo(t):
    run_cases(t, ["handler_siginfo"])


@test(6, "masks: a blocked signal waits in sigpending; a handler's own signal is deferred, or nested with SA_NODEFER; SA_RESETHAND; SIGKILL refuses a handler")
def masks(t):
    run_cases(t, ["masks"])


@test(4, "sigaltstack: SA_ONSTACK handlers run on the alternate stack; its errors")
def altstack(t):
    run_cases(t, ["altstack_"])


@test(6, "the signal frame: a SIGILL handler skips ud2 and changes a register through the ucontext; SSE state survives")
def modify_context(t):
    run_cases(t, ["modify_context"])


@test(4, "rt_sigreturn sanitizes a hostile frame (kernel CS, IOPL, IF clear) and refuses a non-canonical RIP with SIGSEGV; the kernel survives")
def bad_sigreturn(t):
    run_cases(t, ["bad_sigreturn"])


@test(6, "SIGSEGV from a null dereference and from a read-only page, with SEGV_MAPERR/SEGV_ACCERR and the address, recovered by siglongjmp; no kill line")
def segv_recover(t):
    run = run_cases(t, ["segv_recover"])
    check(not kill_lines(run), "no `segfault at …; killed by` line: the handler ran",
          f"{kill_lines(run)}")


@test(6, "system-call restart: wait4 cut short by a handler restarts with SA_RESTART and fails with EINTR without it")
def restart(t):
    run_cases(t, ["restart"])


@test(5, "real-time signals queue and arrive in order with their values; classic ones merge; sigtimedwait")
def rt_queue(t):
    run_cases(t, ["rt_queue"])


@test(6, "SIGCHLD at exit; stop and continue seen by waitpid with WUNTRACED and WCONTINUED")
def job_control(t):
    run_cases(t, ["sigchld", "stop_continue"], secs=30)


@test(5, "default actions: terminate, the core bit only with RLIMIT_CORE, ignored signals; the kill family's EINVAL, ESRCH, EPERM")
def defaults_and_errors(t):
    run_cases(t, ["default_actions", "kill_errors"])


@test(4, "alarm and setitimer(ITIMER_REAL) deliver SIGALRM, periodically; getitimer")
def timers(t):
    run_cases(t, ["timers"])


@test(4, "process groups and sessions: setpgid, getpgid, setsid, kill of a group")
def groups(t):
    run_cases(t, ["groups"])


@test(2, "an unhandled SIGSEGV still kills with one console line, and init's death says so")
def unhandled(t):
    run = run_program(t, "segv", args=["null"])
    check(run.signal == "SIGSEGV", "segv to be killed by SIGSEGV",
          f"status {run.status}" if run.status is not None else f"{run.signal}")
    check(any("segfault at 0 " in l for l in kill_lines(run)),
          "a `segv[1]: segfault at 0 …; killed by SIGSEGV` line", "none")


SHELL_PROMPT = r"root@kestrel:/# "
BOOT_TO_PROMPT_SECS = 120	# GRUB, busybox init, rcS, the shell; generous


@test(4, "make qemu's machine: GRUB boots the kernel and the busybox rootfs to a shell; typed commands run; poweroff ends QEMU with 0")
def busybox_boot(t):
    a, b = t.choice(range(11, 99)), t.choice(range(11, 99))
    con = t.boot_iso()
    con.expect(r"booted via multiboot2", 60, what="the kernel's banner via GRUB")
    con.expect(r"init: running /init as pid 1", 60, what="busybox init from the initramfs module")
    con.expect(SHELL_PROMPT, BOOT_TO_PROMPT_SECS, what=f"the shell's prompt `{SHELL_PROMPT}`")
    con.send(f"uname -a; cat /etc/hostname; echo result $(({a}*{b}))\r")
    m = con.expect(r"Linux (\S+) 6\.1\.0-kestrel #1 [^\r\n]* x86_64", 30,
                   what="`uname -a`'s line (Linux, node name, release, machine)")
    check_equal(m.group(1), "kestrel", "the node name rcS set from /etc/hostname")
    con.expect(r"\nkestrel\r*\n", 30, what="`cat /etc/hostname`: kestrel")
    m = con.expect(r"result (\d+)", 30, what=f"`echo $(({a}*{b}))`")
    check_equal(int(m.group(1)), a * b, f"the shell's {a}*{b}")
    con.expect(SHELL_PROMPT, 30, what="the prompt again")
    con.send("poweroff\r")
    con.expect(r"reboot: Power down", 60, what="busybox init's shutdown ending in `reboot: Power down`")
    con.expect_exit_status(0, 30)
