"""Lab 5 (kernel threads and scheduling): switch_to, the fair scheduler's
runqueue, schedule(), wait queues and mutexes — and everything built on
them: kernel threads, preemption, completions, semaphores, msleep.

Most properties are checked by ktests (kernel/sched/*_ktest.c), each naming
this run's nonce; a test reported `ok N name # SKIP …` (kernel threads are
still a stub) fails.  Their inputs come from the nonce (how many threads,
how many rounds, who moves first).  The timing properties — fairness, nice
weights, msleep accuracy — are manual ktests run alone, and the grader
reads their measurements from the console as well as their verdicts.  The
stack-overflow oops and the console thread are checked from outside.
"""

import re

from gradelib import (EXIT_PANIC, check, check_equal, fail, Oops, run_ktests, test)

BOOT_SECS = 30
KTEST_SECS = 90
BOOT_COMPLETE = r"Kestrel: boot complete"
CONSOLE_RE = (r"sched: console echo in kernel thread \"console\" \(pid (\d+)\); "
              r"start_kernel is now (\S+), the idle task of CPU 0")
SHARE_RE = re.compile(r"^# busy(\d+): nice (-?\d+) ran (\d+) ms")
MSLEEP_RE = re.compile(r"^# wait_msleep: msleep\(100\) took (\d+)\.(\d+) ms")
OVERFLOW_RE = re.compile(r"^kernel stack overflow: task '(\S+)' \(pid (\d+)\) hit the guard page "
                         r"below its (\d+)-byte stack ([0-9a-f]{16})-([0-9a-f]{16}) \(RSP ([0-9a-f]{16})\)$")
THREAD_SIZE = 16384


# --- helpers ----------------------------------------------------------------

def shares(lines):
    """The `# busyN: nice X ran Y ms` lines: {N: (nice, ms)}."""
    out = {}
    for line in lines:
        m = SHARE_RE.match(line.strip())
        if m:
            out[int(m.group(1))] = (int(m.group(2)), int(m.group(3)))
    return out


# --- the mechanism, piece by piece -----------------------------------------

@test(3, "switch_to alone: a new thread's first frame runs it on its own stack; callee-saved registers survive")
def switch_to(t):
    run_ktests(t, ["sched_switch_to"], secs=KTEST_SECS)


@test(3, "the runqueue: picks in vruntime order, ties first come first served, vruntime weighted by nice")
def runqueue_order(t):
    run_ktests(t, ["sched_rq_order"], secs=KTEST_SECS)


@test(4, "kernel threads: run, sleep, stop with a result; stop before start; 64 threads come and go without leaks")
def kthreads(t):
    run_ktests(t, ["kthread_run_stop", "kthread_stop_unstarted", "kthread_many"], secs=KTEST_SECS)


@test(4, "yield switches between threads; a thread spinning without yielding is preempted by the tick")
def yield_preempt(t):
    run_ktests(t, ["sched_yield", "sched_preempt"], secs=KTEST_SECS)


@test(4, "wait queues: 10 000 ping-pong round trips lose no wake-up; wait_event_timeout times out and wakes early")
def wait_queues(t):
    run_ktests(t, ["wait_pingpong", "wait_event_timeout"], secs=KTEST_SECS)


@test(3, "completions count events and complete_all releases every waiter; a semaphore admits exactly K")
def completions_semaphores(t):
    run_ktests(t, ["wait_completion", "wait_semaphore"], secs=KTEST_SECS)


@test(4, "mutexes: N threads × M increments give exactly N×M; trylock, owner, FIFO hand-over")
def mutex(t):
    run_ktests(t, ["mutex_count", "mutex_owner"], secs=KTEST_SECS)


# --- the policy, measured ---------------------------------------------------

@test(4, "fairness: 2–4 equal busy threads get CPU shares within 10% of each other over 1 s")
def fairness(t):
    lines = run_ktests(t, ["sched_fair"], secs=KTEST_SECS).lines()
    got = shares(lines)
    n = 2 + int(t.nonce, 16) % 3
    check(sorted(got) == list(range(n)), f"{n} lines `# busyN: nice 0 ran X ms` (N = 0…{n - 1})",
          f"{len(got)} such lines")
    total = sum(ms for _, ms in got.values())
    check(total >= 900, "the busy threads to account for ≥ 900 ms of the 1 s run between them",
          f"{total} ms")
    lo, hi = min(ms for _, ms in got.values()), max(ms for _, ms in got.values())
    check(hi - lo <= hi / 10, "shares within 10% of each other", f"from {lo} to {hi} ms")


@test(3, "nice: a nice-0 thread gets 1024/336 ≈ 3.05 times the CPU of a nice-5 thread (±15%)")
def nice(t):
    lines = run_ktests(t, ["sched_nice"], secs=KTEST_SECS).lines()
    got = shares(lines)
    check(got.get(0, (None,))[0] == 0 and got.get(1, (None,))[0] == 5,
          "lines `# busy0: nice 0 ran X ms` and `# busy1: nice 5 ran Y ms`", f"{got}")
    ratio = got[0][1] / max(got[1][1], 1)
    check(2.59 <= ratio <= 3.51, "a CPU time ratio of 3.05 ± 15%", f"{ratio:.2f}")


@test(2, "msleep(100) never returns early, and lasts at most 120 ms (the shortest of five)")
def msleep(t):
    # A host too busy to run QEMU on time stretches sleeps (the guest's
    # clock is the host's) but never shortens them: the shortest of five
    # sleeps shows what msleep itself does.
    lines = run_ktests(t, ["wait_msleep"], secs=KTEST_SECS).lines()
    took = [int(m.group(1)) + int(m.group(2)) / 1000
            for m in (MSLEEP_RE.match(l.strip()) for l in lines) if m]
    check(len(took) == 5, "five lines `# wait_msleep: msleep(100) took X ms`", f"{len(took)}")
    check(min(took) >= 100, "every sleep ≥ 100 ms", f"{min(took):.3f} ms")
    check(min(took) <= 120, "the shortest sleep ≤ 120 ms", f"{min(took):.3f} ms")


# --- from outside -----------------------------------------------------------

@test(3, "a stack overflow hits the guard page: a double-fault oops names the task and its stack")
def stack_overflow(t):
    con = t.boot_pvh(ktest="kthread_stack_overflow", expect_oops=True)
    con.expect(r"Oops:", BOOT_SECS, what="an `Oops:` report for the overflow")
    status = con.expect_exit(30, what="the panic to end QEMU")
    lines = con.lines()
    oops = Oops(lines)
    check_equal(oops.header, "Oops: double fault (#DF), error 0x0", "the Oops line")
    m = next((OVERFLOW_RE.match(l.strip()) for l in lines if OVERFLOW_RE.match(l.strip())), None)
    check(m, "`kernel stack overflow: task 'deep' (pid N) hit the guard page below its "
          "16384-byte stack <bottom>-<top> (RSP <rsp>)`", "no such line after the Oops line")
    check_equal(m.group(1), "deep", "the task named")
    bottom, top, rsp = (int(m.group(k), 16) for k in (4, 5, 6))
    check(int(m.group(3)) == THREAD_SIZE and top - bottom == THREAD_SIZE,
          f"a {THREAD_SIZE}-byte stack", f"{m.group(3)} bytes, {bottom:#x}-{top:#x}")
    check(bottom - 4096 <= rsp < bottom + 64, "RSP at the bottom of the stack or in the guard page below",
          f"RSP {rsp:#x}, stack {bottom:#x}-{top:#x}")
    check(oops.regs.get("RSP") == f"{rsp:016x}", "the register dump's RSP to match",
          f"RSP: {oops.regs.get('RSP')}")
    check(oops.trace and oops.trace[0][1] == "recurse", "a Call Trace starting in recurse",
          lambda: f"Call Trace starting at {oops.trace[0][1] if oops.trace else '(none)'}")
    check(status == EXIT_PANIC, f"QEMU exit status {EXIT_PANIC} (panic)", f"status {status}")


@test(2, "after start-up the console echo runs in kernel thread `console` and start_kernel is the idle task")
def console_thread(t):
    con = t.boot_pvh()
    con.expect(BOOT_COMPLETE, BOOT_SECS, what="`Kestrel: boot complete`")
    m = con.expect(CONSOLE_RE + r"|Kestrel: type here", BOOT_SECS,
                   what='`sched: console echo in kernel thread "console" (pid N); start_kernel is '
                        'now idle/0, the idle task of CPU 0`')
    if m.group(1) is None:
        fail('`sched: console echo in kernel thread "console" …` before the echo starts',
             "the echo loop started on the boot stack (kthread_create failed)")
    check_equal(m.group(2), "idle/0", "the idle task's name")
    con.expect(r"Kestrel: type here", BOOT_SECS, what="the console loop to start in its thread")
    word = f"k{t.nonce}"
    con.child.send(word + "\r")
    con.expect(re.escape(word) + r"\r*\n", 10, what=f"`{word}` echoed by the console thread")
