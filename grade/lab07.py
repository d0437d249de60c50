"""Lab 7 (processes and virtual memory): fork with copy-on-write, wait4 and
waitid, demand paging, the mmap family and brk, clone threads, futexes and
TLS, execve from a running process, and surviving fork bombs and memory
hogs.

As in lab 6, each test boots one static musl program from user/tests/ as
init out of the grader's initrd (grade/userprog.py) and reads its KTAP
report; a test that names cases runs only those (they follow `--` on the
kernel command line).  Inputs come from the nonce (exit codes, rounds), and
what a program cannot see from inside — the kernel's kill line for a
PROT_NONE access, the OOM killer's report — is read from the console.
"""

import re
import shutil

from gradelib import check, check_equal, test
from userprog import (CANNOT_RUN, INIT_END_RE, check_all_ok, run_cases,
                      run_program, user_initrd)

KILL_RE = re.compile(r"^(\S+)\[(\d+)\]: segfault at ([0-9a-f]+) ip [0-9a-f]+ sp [0-9a-f]+ "
                     r"error [0-9a-f]+: (.*); killed by (SIG\w+)$")


# --- helpers ----------------------------------------------------------------

def kill_lines(run):
    """The kernel's segfault lines: (prog, pid, addr, cause, signal)."""
    out = []
    for line in run.lines:
        m = KILL_RE.match(line.strip())
        if m:
            out.append((m.group(1), int(m.group(2)), int(m.group(3), 16),
                        m.group(4), m.group(5)))
    return out


# --- processes --------------------------------------------------------------

@test(4, "fork and wait4/waitid: pids, exit codes and death by signal in Linux's status encoding, WNOHANG, ECHILD")
def fork_wait(t):
    run = run_cases(t, "fork", ["fork_basic", "exit_codes", "killed_status",
                                "wait_options", "waitid_info"])
    codes = [(int(a), int(b, 16)) for a, b in
             re.findall(r"# exit code (\d+) -> status 0x([0-9a-f]+)", "\n".join(run.lines))]
    check(len(codes) == 8, "eight `# exit code N -> status 0x…` lines", f"{len(codes)}")
    for code, status in codes:
        check_equal(status, code << 8, f"the status of exit({code})")
    kills = [k for k in kill_lines(run) if k[0] == "fork"]
    check(kills and kills[0][2] == 16 and kills[0][4] == "SIGSEGV",
          "a kill line `fork[pid]: segfault at 10 …; killed by SIGSEGV` for the child",
          f"{kills}")


@test(3, "orphans are reparented to init and reaped by it; vfork lends the parent's memory and waits")
def orphans_vfork(t):
    run_cases(t, "fork", ["orphans", "vfork_"])


@test(4, "fork storms: 1000 sequential fork+exit+wait leak nothing; 50 children alive at once all reaped")
def fork_storms(t):
    run_cases(t, "fork", ["storm_sequential", "storm_concurrent", "child_rusage"])


# --- virtual memory ---------------------------------------------------------

@test(5, "copy-on-write: isolation both ways, nothing copied at fork, copied on write, freed at exit; MAP_SHARED shared")
def copy_on_write(t):
    run = run_cases(t, "cow", ["isolation", "sharing_counts", "last_user_reuses",
                               "shared_anon", "dontfork", "zero_page"])
    m = re.search(r"# free KiB: before fork (\d+), child at start (\d+), "
                  r"after writing 16 MiB (\d+), after exit (\d+)", "\n".join(run.lines))
    check(m, "the `# free KiB: …` line of sharing_counts", "none")


@test(3, "demand paging: a 256 MiB mapping touched once per MiB costs 256 pages and 256 faults; the stack grows")
def demand_paging(t):
    run = run_cases(t, "mmap", ["sparse_256m", "stack_growth"])
    m = re.search(r"# 256 MiB mapping, one byte per MiB: (\d+) KiB used, (\d+) faults",
                  "\n".join(run.lines))
    check(m, "the `# 256 MiB mapping …` line", "none")
    check(int(m.group(1)) < 4096, "less than 4 MiB used", f"{m.group(1)} KiB")


@test(5, "munmap, mprotect (PROT_NONE kills with the kernel's line), PROT_EXEC, mremap, madvise, brk, MAP_FIXED, errors")
def mmap_family(t):
    run = run_cases(t, "mmap", ["munmap_middle", "mprotect_", "exec_prot", "mremap_",
                                "madvise_dontneed", "brk_", "fixed_and_hints", "errors"])
    m = re.search(r"# a child reads a PROT_NONE page at 0x([0-9a-f]+)", "\n".join(run.lines))
    check(m, "the `# a child reads a PROT_NONE page at …` line", "none")
    addr = int(m.group(1), 16)
    hits = [k for k in kill_lines(run) if k[2] == addr]
    check(hits, f"a kill line `mmap[pid]: segfault at {addr:x} …`", "none")
    check("forbids it" in hits[0][3] and hits[0][4] == "SIGSEGV",
          "its cause: a read from a mapping that forbids it, SIGSEGV", f"`{hits[0][3]}`")


# --- threads ----------------------------------------------------------------

@test(5, "pthreads: 100 threads created and joined, mutex and condition variable under contention, TLS, tids")
def pthreads(t):
    run_cases(t, "threads", ["create_join", "mutex", "condvar", "tls", "ids",
                             "main_exits_first", "clone_flags"])


@test(4, "futexes: wait/wake ping-pong races, EAGAIN, timeouts, bitsets, requeue")
def futex(t):
    run_cases(t, "threads", ["futex_pingpong", "futex_errors", "futex_bitset",
                             "futex_requeue"])


@test(2, "exit_group from a non-main thread ends the whole process with its status")
def exit_group(t):
    run_cases(t, "threads", ["exit_group"])


# --- exec, pointers, limits -------------------------------------------------

@test(5, "execve from a process: static and static-PIE programs, #! scripts, errors, vfork+exec, exec from a thread")
def exec_(t):
    run = run_program(t, "exec", secs=90)
    check_all_ok(t, run, "exec")
    echo = [l.strip() for l in run.lines if l.startswith("ARGECHO")]
    check("ARGECHO 2 a" in echo and "ARGECHO 3 b" in echo,
          "exechelper's `ARGECHO` lines for its arguments", f"{echo}")


@test(2, "lab 7's pointer-taking calls (wait4, waitid, futex, execve vectors, robust list) give EFAULT")
def efault7(t):
    run = run_program(t, "efault7")
    check_all_ok(t, run, "efault7")


@test(5, "a fork bomb meets EAGAIN, RLIMIT_NPROC holds, a memory hog is OOM-killed with a report; the kernel survives")
def robustness(t):
    run = run_cases(t, "robust", ["fork_bomb", "nproc_limit", "memory_hog", "as_limit"],
                    mem="256M", secs=120)
    m = re.search(r"Out of memory: Killed process (\d+) \((\S+)\) total-vm:(\d+)kB, "
                  r"anon-rss:(\d+)kB", "\n".join(run.lines))
    check(m, "`Out of memory: Killed process N (robust) total-vm:…kB, anon-rss:…kB`", "no OOM report")
    check_equal(m.group(2), "robust", "the process the OOM killer chose")
    check(int(m.group(1)) != 1, "a victim other than init", "pid 1")


@test(3, "Debian's static busybox (glibc): its shell forks, execs and waits, statuses as on Linux")
def busybox(t):
    check(shutil.which("busybox"), "busybox on the host (Debian's busybox-static)",
          "not installed: scripts/setup user installs it")
    word = f"w{t.nonce[:8]}"
    code = t.choice([3, 7, 42, 99])
    script = (f"echo start {word}; /bin/busybox true; echo status $?; "
              f"/bin/busybox sh -c 'exit {code}'; echo child $?; "
              f"/bin/busybox false || echo false-failed")
    run = run_program(t, "bin/busybox", args=["sh", "-c", f'"{script}"'])
    lines = [l.strip() for l in run.lines]
    for want in [f"start {word}", "status 0", f"child {code}", "false-failed"]:
        check(want in lines, f"`{want}` from busybox sh", "not printed")
    check(run.status == 0, "busybox sh to exit with 0",
          f"killed by {run.signal}" if run.signal else f"status {run.status}")


@test(2, "reboot(2): EPERM for an unprivileged caller, EINVAL for bad magic or command; POWER_OFF ends the machine")
def reboot(t):
    run_cases(t, "reboot", ["errors", "unprivileged", "cad"])
    con = t.boot_pvh(append=f"rdinit=/reboot KTEST_NONCE={t.nonce} -- power_off",
                     initrd=user_initrd())
    con.expect(r"reboot-test: powering off", 60, what="the test to reach reboot(POWER_OFF)",
               too_late=CANNOT_RUN)
    con.expect(r"reboot: Power down", 10, what="the kernel's `reboot: Power down`",
               too_late=[r"not ok \d+ power_off", INIT_END_RE])
    con.expect_exit_status(0, 10)
