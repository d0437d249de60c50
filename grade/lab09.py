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
"""

import re

from gradelib import check, test
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


@test(5, "default actions: terminate, the core bit only with RLIMIT_CORE, ignored signals; the kill family's EINVAL, ESRCH, EPERM; a zombie can be signalled (0) until reaped")
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


# --- the CPU-time timers, children nobody waits for, interrupted sleeps -------

def run_sigtimers(t, cases, secs=120):
    """Run the named cases of sigtimers as init; each must pass and the
    program must exit with 0."""
    run = run_program(t, "sigtimers", args=cases, secs=secs)
    check_cases(t, run, cases)
    check(run.status == 0, "sigtimers to exit with status 0",
          f"killed by {run.signal}" if run.signal else f"status {run.status}")
    return run


@test(4, "ITIMER_VIRTUAL and ITIMER_PROF: SIGVTALRM for user time, SIGPROF for user and system time, not for sleeping; not inherited by fork")
def cpu_timers(t):
    run_sigtimers(t, ["itimer_virtual", "itimer_prof"])


@test(3, "SIGCHLD ignored or SA_NOCLDWAIT: no zombies, wait ends with ECHILD once all children exited")
def no_zombies(t):
    run_sigtimers(t, ["no_zombies"])


@test(4, "interrupted sleeps: nanosleep gives EINTR and the time left after a handler; after stop and continue it sleeps on to its deadline (restart_syscall); futex waits likewise")
def sleep_restart(t):
    run_sigtimers(t, ["sleep_eintr", "sleep_stop_continue", "futex_restart"])


@test(2, "a file mapping touched past the end of its file: SIGBUS with BUS_ADRERR and the address")
def sigbus_file(t):
    run_sigtimers(t, ["sigbus_file"])


@test(2, "a signal interrupts F_SETLKW: EINTR after a handler, or the wait goes on under SA_RESTART until the lock is granted")
def lock_wait_signal(t):
    run = run_program(t, "locks", args=["setlkw_signal"], secs=120)
    check_cases(t, run, ["setlkw_signal"])
    check(run.status == 0, "locks to exit with status 0",
          f"killed by {run.signal}" if run.signal else f"status {run.status}")
