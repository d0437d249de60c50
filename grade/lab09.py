"""Lab 9 (signals and terminals).  Signals: handlers and their siginfo,
masks and nesting, the alternate stack, restart versus EINTR, a handler
that edits the saved context, SIGSEGV recovered with siglongjmp,
real-time signals queued in order, SIGCHLD and job control (stop,
continue, WUNTRACED, WCONTINUED), default actions with the core bit, the
kill family's errors, alarm and setitimer, process groups and sessions.
Terminals: termios, canonical and raw input, job control on a pty, ptys
driving a shell (user/tests/tty), and busybox's shell typed at on the
serial console itself.

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
import time

from gradelib import check, check_equal, test
from userprog import CANNOT_RUN, run_cases, run_program, user_initrd

KILL_RE = re.compile(r"^(\S+)\[(\d+)\]: (segfault at|invalid opcode at) .*; killed by (SIG\w+)$")


def kill_lines(run):
    return [l.strip() for l in run.lines if KILL_RE.match(l.strip())]


@test(6, "a handler runs with the right siginfo (kill: SI_USER and the sender's pid; tgkill: SI_TKILL)")
def handler_siginfo(t):
    run_cases(t, "signals", ["handler_siginfo"])


@test(6, "masks: a blocked signal waits in sigpending; a handler's own signal is deferred, or nested with SA_NODEFER; SA_RESETHAND; SIGKILL refuses a handler")
def masks(t):
    run_cases(t, "signals", ["masks"])


@test(4, "sigaltstack: SA_ONSTACK handlers run on the alternate stack; its errors")
def altstack(t):
    run_cases(t, "signals", ["altstack_"])


@test(6, "the signal frame: a SIGILL handler skips ud2 and changes a register through the ucontext; SSE state survives")
def modify_context(t):
    run_cases(t, "signals", ["modify_context"])


@test(4, "rt_sigreturn sanitizes a hostile frame (kernel CS, IOPL, IF clear) and refuses a non-canonical RIP with SIGSEGV; the kernel survives")
def bad_sigreturn(t):
    run_cases(t, "signals", ["bad_sigreturn"])


@test(6, "SIGSEGV from a null dereference and from a read-only page, with SEGV_MAPERR/SEGV_ACCERR and the address, recovered by siglongjmp; no kill line")
def segv_recover(t):
    run = run_cases(t, "signals", ["segv_recover"])
    check(not kill_lines(run), "no `segfault at …; killed by` line: the handler ran",
          f"{kill_lines(run)}")


@test(6, "system-call restart: wait4 cut short by a handler restarts with SA_RESTART and fails with EINTR without it")
def restart(t):
    run_cases(t, "signals", ["restart"])


@test(5, "real-time signals queue and arrive in order with their values; classic ones merge; sigtimedwait")
def rt_queue(t):
    run_cases(t, "signals", ["rt_queue"])


@test(6, "SIGCHLD at exit; stop and continue seen by waitpid with WUNTRACED and WCONTINUED")
def job_control(t):
    run_cases(t, "signals", ["sigchld", "stop_continue"], secs=30)


@test(5, "default actions: terminate, the core bit only with RLIMIT_CORE, ignored signals; the kill family's EINVAL, ESRCH, EPERM; a zombie can be signalled (0) until reaped")
def defaults_and_errors(t):
    run_cases(t, "signals", ["default_actions", "kill_errors"])


@test(4, "alarm and setitimer(ITIMER_REAL) deliver SIGALRM, periodically; getitimer")
def timers(t):
    run_cases(t, "signals", ["timers"])


@test(4, "process groups and sessions: setpgid, getpgid, setsid, kill of a group")
def groups(t):
    run_cases(t, "signals", ["groups"])


@test(2, "an unhandled SIGSEGV still kills with one console line, and init's death says so")
def unhandled(t):
    run = run_program(t, "segv", args=["null"])
    check(run.signal == "SIGSEGV", "segv to be killed by SIGSEGV",
          f"status {run.status}" if run.status is not None else f"{run.signal}")
    check(any("segfault at 0 " in l for l in kill_lines(run)),
          "a `segv[1]: segfault at 0 …; killed by SIGSEGV` line", "none")


# --- terminals: user/tests/tty on ptys ------------------------------------------

@test(4, "termios: TCGETS/TCSETS round trip with Linux's defaults; ENOTTY on a pipe and /dev/null, EFAULT, EINVAL, ENOTTY when not the controlling terminal, /dev/tty ENXIO without one")
def termios(t):
    run_cases(t, "tty", ["termios_roundtrip", "tty_errnos"])


@test(5, "N_TTY as a reader sees it: erase, werase, kill, VEOF, echo, ONLCR; MIN/TIME's four cases; ICANON off makes the partial line readable")
def ldisc(t):
    run_cases(t, "tty", ["canonical_pty", "noncanon_modes"])


@test(6, "job control on a pty: controlling terminal by open, SIGTTIN for a background read, SIGTTOU for tcsetattr and TOSTOP writes, EIO when SIGTTIN is ignored, tcsetpgrp's EINVAL/ESRCH/EPERM")
def tty_job_control(t):
    run_cases(t, "tty", ["job_control"])


@test(4, "ptys: /dev/ptmx, TIOCGPTN and ptsname, /dev/pts/N (136:N) locked until unlockpt, EIO on the master once the slave closes, the node gone after")
def pty(t):
    run_cases(t, "tty", ["pty_basics"])


@test(6, "a busybox shell on a pty: commands run, ^C reaches the foreground job, TIOCSWINSZ sends SIGWINCH, closing the master hangs the shell up (SIGHUP)")
def pty_shell(t):
    run_cases(t, "tty", ["pty_shell"], secs=180)


# --- terminals: busybox sh typed at on the serial console ------------------------
#
# Linux never makes /dev/console a controlling terminal by open (init's
# descriptors are on it), so a shell run as init has no job control.  As
# init systems do (busybox init's cttyhack, getty), pid 1 runs the shell
# in a new session that takes the console as its controlling terminal:
# `setsid -c sh`.  (Not as pid 1 itself: busybox's setsid forks when its
# caller leads a group, and the parent's exit would end the boot.)

SHELL_INIT = 'rdinit=/bin/busybox -- sh -c "setsid -c sh; echo shell-ended"'
PROMPT = r"/ # "
SHELL_SECS = 60


def boot_shell(t):
    """Boot into busybox's interactive shell on the serial console."""
    con = t.boot_pvh(append=SHELL_INIT, initrd=user_initrd())
    con.expect(PROMPT, SHELL_SECS, what="busybox sh's prompt `/ # ` on the console",
               too_late=CANNOT_RUN)
    check("job control turned off" not in con.text(),
          "the shell to have job control (a controlling terminal)",
          "`sh: can't access tty; job control turned off`")
    return con


def word(t, n=6):
    """Random lowercase letters (so nothing can be hard-coded)."""
    return "".join(t.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def shell(con, line, pattern, what, secs=30):
    con.send(line + "\r")
    return con.expect(pattern, secs, what=what)


@test(5, "console: busybox's line editing (backspace) and N_TTY's canonical editing under `read` (DEL, ^W, ^U)")
def console_editing(t):
    con = boot_shell(t)
    w = word(t)
    con.send(f"echo {w}x\x7fc\r")
    con.expect(rf"\n{w}c\r*\n", 20, what=f"`{w}c` printed: backspace erased the x")
    shell(con, 'read v; echo "<$v>"', r"read v; echo[^\n]*\n", "the read command echoed")
    time.sleep(1)
    con.send(f"{w}x\x7fc one two\x17three\r")
    con.expect(rf"<{w}c one three>", 20,
               what=f"`<{w}c one three>`: DEL erased x and ^W erased `two` in canonical mode")
    shell(con, 'read v; echo "<$v>"', r"read v; echo[^\n]*\n", "the read command echoed")
    time.sleep(1)
    con.send(f"junk\x15{w}\r")
    con.expect(rf"<{w}>", 20, what=f"`<{w}>`: ^U killed `junk`")


def interrupt_until_prompt(con, what):
    """^C, until the prompt is back (the job may not be in the foreground
    the very moment its first output appears)."""
    for _ in range(5):
        con.send("\x03")
        try:
            return con.expect(PROMPT, 5, what=what)
        except Exception:
            pass
    con.expect(PROMPT, 5, what=what)


@test(5, "console: ^C interrupts `sleep 100` (SIGINT to the foreground group) and the prompt returns")
def console_ctrl_c(t):
    con = boot_shell(t)
    w = word(t)
    shell(con, f"echo {w}; sleep 100", rf"\n{w}\r*\n", f"`{w}` before the sleep")
    time.sleep(1)
    interrupt_until_prompt(con, "the prompt after ^C (not 100 s later)")
    shell(con, "echo st=$?", r"st=130", "`st=130`: sleep was killed by SIGINT")


@test(5, "console: ^Z stops a job, `fg` continues it in the foreground, ^C ends it")
def console_ctrl_z(t):
    con = boot_shell(t)
    w = word(t)
    job = f"sh -c 'trap \"echo cont-{w}\" CONT; echo ready-{w}; while :; do sleep 1; done'"
    shell(con, job, rf"\nready-{w}", f"`ready-{w}` from the job")
    con.send("\x1a")
    con.expect(r"Stopped", 20, what="`[1]+  Stopped …` after ^Z")
    con.expect(PROMPT, 20, what="the prompt after the job stopped")
    shell(con, "fg", rf"\ncont-{w}", f"`cont-{w}`: the job got SIGCONT")
    interrupt_until_prompt(con, "the prompt after ^C ends the continued job")
    shell(con, "echo st=$?", r"st=130", "`st=130`: the job was killed by SIGINT")


@test(4, "console: `stty -a` shows Linux's settings (115200 baud, 24x80, ^C ^\\ ^? ^U ^D, icanon echo isig), `stty -echo` hides typing")
def console_stty(t):
    con = boot_shell(t)
    shell(con, "stty -a", r"speed 115200 baud; rows 24; columns 80;", "`speed 115200 baud; rows 24; columns 80;`")
    con.expect(r"intr = \^C; quit = \^\\; erase = \^\?; kill = \^U; eof = \^D;", 10,
               what="`intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D;`")
    con.expect(r"isig icanon iexten echo echoe echok", 10, what="`isig icanon iexten echo echoe echok`")
    con.expect(PROMPT, 10, what="the prompt")
    w = word(t)
    shell(con, 'stty -echo; read v; stty echo; echo "[$v]"', r"stty echo[^\n]*\n", "the command echoed")
    time.sleep(1)
    con.send(f"{w}\r")
    con.expect(rf"\[{w}\]", 20, what=f"`[{w}]` printed")
    check(f"{w}\n" not in con.text().replace(f"[{w}]", ""),
          "the typed word not echoed under -echo", f"`{w}` was echoed")


@test(4, "console: a line typed while a command prints is not lost")
def console_typeahead(t):
    con = boot_shell(t)
    w = word(t)
    shell(con, "seq 1 2000", r"\n1000\r*\n", "`seq` printing")
    con.send(f"echo typed-{w}\r")
    con.expect(r"\n2000\r*\n", 60, what="`seq` to finish")
    con.expect(rf"\ntyped-{w}\r*\n", 30, what=f"`typed-{w}`: the line typed during the output ran")


# --- the CPU-time timers, children nobody waits for, interrupted sleeps -------

@test(4, "ITIMER_VIRTUAL and ITIMER_PROF: SIGVTALRM for user time, SIGPROF for user and system time, not for sleeping; not inherited by fork")
def cpu_timers(t):
    run_cases(t, "sigtimers", ["itimer_virtual", "itimer_prof"], secs=120)


@test(3, "SIGCHLD ignored or SA_NOCLDWAIT: no zombies, wait ends with ECHILD once all children exited")
def no_zombies(t):
    run_cases(t, "sigtimers", ["no_zombies"], secs=120)


@test(4, "interrupted sleeps: nanosleep gives EINTR and the time left after a handler; after stop and continue it sleeps on to its deadline (restart_syscall); futex waits likewise")
def sleep_restart(t):
    run_cases(t, "sigtimers", ["sleep_eintr", "sleep_stop_continue", "futex_restart"], secs=120)


@test(2, "a file mapping touched past the end of its file: SIGBUS with BUS_ADRERR and the address")
def sigbus_file(t):
    run_cases(t, "sigtimers", ["sigbus_file"], secs=120)


@test(2, "a signal interrupts F_SETLKW: EINTR after a handler, or the wait goes on under SA_RESTART until the lock is granted")
def lock_wait_signal(t):
    run_cases(t, "locks", ["setlkw_signal"], secs=120)


# --- make qemu's machine: GRUB, busybox init, the login shell ----------------

SHELL_PROMPT = r"root@kestrel:/# "
BOOT_TO_PROMPT_SECS = 120	# GRUB, busybox init, rcS, the shell; generous


@test(4, "make qemu's machine: GRUB boots the kernel and the busybox rootfs to a shell on /dev/ttyS0 with job control; typed commands run; poweroff ends QEMU with 0")
def busybox_boot(t):
    a, b = t.choice(range(11, 99)), t.choice(range(11, 99))
    con = t.boot_iso()
    con.expect(r"booted via multiboot2", 60, what="the kernel's banner via GRUB")
    con.expect(r"init: running /init as pid 1", 60, what="busybox init from the initramfs module")
    con.expect(SHELL_PROMPT, BOOT_TO_PROMPT_SECS, what=f"the shell's prompt `{SHELL_PROMPT}`")
    check("job control turned off" not in con.text(),
          "the login shell to get a controlling terminal (cttyhack: TIOCGSERIAL → /dev/ttyS0)",
          "`can't access tty; job control turned off`")
    con.send("tty\r")
    con.expect(r"\n/dev/ttyS0\r*\n", 30, what="`tty`: /dev/ttyS0, the device behind the console")
    con.send(f"uname -a; cat /etc/hostname; echo result $(({a}*{b}))\r")
    m = con.expect(r"Linux (\S+) 6\.1\.0-kestrel #1 [^\r\n]* x86_64", 30,
                   what="`uname -a`'s line (Linux, node name, release, machine)")
    check_equal(m.group(1), "kestrel", "the node name rcS set from /etc/hostname")
    con.expect(r"\nkestrel\r*\n", 30, what="`cat /etc/hostname`: kestrel")
    m = con.expect(r"result (\d+)\r*\n", 30, what=f"`echo $(({a}*{b}))`")
    check_equal(int(m.group(1)), a * b, f"the shell's {a}*{b}")
    con.expect(SHELL_PROMPT, 30, what="the prompt again")
    con.send("poweroff\r")
    con.expect(r"reboot: Power down", 60, what="busybox init's shutdown ending in `reboot: Power down`")
    con.expect_exit_status(0, 30)
