"""Lab 4 (interrupts and time): ACPI tables, the local and I/O APICs,
request_irq, a calibrated tick and clock, kernel timers, tickless idle,
the RTC's date, serial input by interrupt, ACPI poweroff and reset.

In-kernel tests (acpi_*, irq_*, time_*) check the mechanisms from inside;
the grader checks what can be seen from outside: the number of CPUs the
MADT lists against QEMU's -smp, the tick's second against the host's
clock, the RTC's date against the host's, characters typed on the serial
console coming back, QEMU ending through ACPI with no isa-debug-exit
device to help.  Inputs are random per run (the nonce: timer spacing, the
word typed; -smp), so the answers cannot be hard-coded.
"""

import datetime
import re
import time

from gradelib import (EXIT_KTEST_PASS, check, check_equal, check_ktap_result, Ktap, run_ktests,
                      test)

BOOT_SECS = 30
KTEST_SECS = 60
HZ = 100

BOOT_COMPLETE = r"Kestrel: boot complete"
ECHO_BANNER = r"Kestrel: type here, characters echo \(Ctrl-A x quits QEMU\)"
INPUT_OFF = r"console input is off"
TIME_LINE = re.compile(r"^time: TSC (\d+)\.(\d{3}) MHz[^,]*, LAPIC timer (\d+) Hz, HZ=(\d+)")
MADT_LINE = re.compile(r"^# acpi: MADT: (\d+) CPUs, (\d+) I/O APICs, (\d+) overrides$")
RATE_LINE = re.compile(r"^# time: (\d+) ticks and (\d+) jiffies in (\d+) ns: (\d+)\.(\d+) Hz")


# --- helpers ----------------------------------------------------------------

def find_line(lines, regex, what):
    """The first console line matching @regex (compiled), or fail."""
    for line in lines:
        m = regex.match(line.strip())
        if m:
            return m
    check(False, what, "no such line on the console")


# --- ACPI -------------------------------------------------------------------

@test(3, "ACPI: tables with valid checksums; the MADT lists every CPU of -smp and an I/O APIC; \\_S5 found")
def acpi_tables(t):
    cpus = t.choice([1, 2, 3, 4])
    con = run_ktests(t, ["acpi_tables", "acpi_madt", "acpi_s5"], extra=["-smp", str(cpus)], secs=KTEST_SECS)
    m = find_line(con.lines(), MADT_LINE, "`# acpi: MADT: N CPUs, N I/O APICs, N overrides`")
    check_equal(int(m.group(1)), cpus, "CPUs in the MADT (QEMU -smp)")
    check(int(m.group(2)) >= 1, "at least one I/O APIC", m.group(0))


# --- interrupts ---------------------------------------------------------------

@test(4, "request_irq routes a line through the I/O APIC and free_irq undoes it; spurious and unexpected vectors are counted; ioremap is uncached")
def interrupt_routing(t):
    run_ktests(t, ["irq_request_free", "irq_accounting", "irq_ioremap"], secs=KTEST_SECS)


# --- time ---------------------------------------------------------------------

@test(4, "the tick arrives HZ=100 times per second, by the kernel's clock and by the host's")
def tick_rate(t):
    con = t.boot_pvh(ktest="time_tick_rate")
    line = con.expect(r"time: TSC [^\r\n]*\r*\n", BOOT_SECS,
                      what="`time: TSC <MHz> MHz, LAPIC timer <Hz> Hz, HZ=100`",
                      too_late=[BOOT_COMPLETE, r"KTAP version 1"]).group(0).strip()
    m = TIME_LINE.match(line)
    check(m is not None, "`time: TSC <n>.<nnn> MHz…, LAPIC timer <n> Hz, HZ=<n>`", f"`{line}`")
    check_equal(int(m.group(4)), HZ, "HZ")
    # The kernel measures up to three windows (a starved QEMU drops ticks);
    # the last one decides, by the kernel's clock and by the host's.
    host_secs = None
    while True:
        m = con.expect(r"# time: tick rate: start|(?:not )?ok 1 time_tick_rate", KTEST_SECS,
                       what="`# time: tick rate: start` or the KTAP result")
        if not m.group(0).startswith("#"):
            break
        start = time.monotonic()
        con.expect(r"# time: tick rate: end", KTEST_SECS, what="`# time: tick rate: end`")
        host_secs = time.monotonic() - start
    check(host_secs is not None, "at least one `# time: tick rate: start … end` window", "none")
    status = con.expect_exit(KTEST_SECS, what="ktest time_tick_rate to finish")
    lines = con.lines()
    check_ktap_result(Ktap(lines), "time_tick_rate", t.nonce, number=1)
    rates = [l for l in lines if RATE_LINE.match(l.strip())]
    r = find_line(rates[-1:] or lines, RATE_LINE, "`# time: N ticks and N jiffies in N ns: N.NNN Hz`")
    ticks, ns = int(r.group(1)), int(r.group(3))
    rate = ticks * 1e9 / ns
    check(abs(rate - HZ) <= 0.1 * HZ, f"{HZ} Hz ± 10%", f"{rate:.2f} Hz ({ticks} ticks in {ns} ns)")
    # The kernel's second must be a second: the host saw the two lines
    # about ns apart (generously: the console and pexpect add delays).
    check(0.5 * ns / 1e9 <= host_secs <= 2.5 * ns / 1e9 + 0.5,
          f"the host to see about {ns / 1e9:.2f} s between start and end",
          f"{host_secs:.2f} s")
    check(status == EXIT_KTEST_PASS, f"QEMU exit status {EXIT_KTEST_PASS}", f"status {status}")


@test(3, "ktime_get never goes backwards and advances; the delays last what they say")
def clock(t):
    run_ktests(t, ["time_monotonic"], secs=KTEST_SECS)


@test(4, "kernel timers run once, in expiry order, in interrupt context; del_timer before expiry cancels; callbacks may re-arm")
def timers(t):
    run_ktests(t, ["time_timers", "time_timer_cancel"], secs=KTEST_SECS)


@test(2, "tickless idle: a sleeping CPU wakes for its next timer on one interrupt, and jiffies catch up")
def tickless(t):
    run_ktests(t, ["time_oneshot"], secs=KTEST_SECS)


@test(2, "the wall clock (from the RTC) has the host's date")
def rtc_date(t):
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    run_ktests(t, ["time_rtc_date"], append=f"ktest.date={today}", secs=KTEST_SECS)


# --- serial input -------------------------------------------------------------

@test(4, "characters typed on the serial console are echoed (Enter gives a new line, DEL erases)")
def serial_echo(t):
    word = "kestrel" + t.nonce
    con = t.boot_pvh()
    con.expect(ECHO_BANNER, BOOT_SECS, what="`Kestrel: type here, characters echo (Ctrl-A x quits QEMU)`",
               too_late=[INPUT_OFF])
    con.send(word + "\r")
    con.expect(re.escape(word) + r"\r+\n", 10, what=f"`{word}` echoed, then a new line")
    con.send("ab\x7f\x7f\x7fz\r")
    con.expect(r"ab\x08 \x08\x08 \x08z\r+\n", 10,
               what="`ab`, two erasures (`\\b \\b`, the third DEL ignored at the start of the line), `z`")


# --- leaving the machine ------------------------------------------------------

@test(3, "ktest.exit=poweroff ends QEMU through ACPI S5, with no isa-debug-exit device")
def poweroff(t):
    con = t.boot_pvh(ktest="acpi_s5", append="ktest.exit=poweroff", debug_exit=False)
    con.expect(r"reboot: Power down", KTEST_SECS, what="`reboot: Power down`")
    status = con.expect_exit(30, what="QEMU to power off")
    check_ktap_result(Ktap(con.lines()), "acpi_s5", t.nonce, number=1)
    check(status == 0 and con.signal is None, "QEMU to exit with status 0 (powered off)",
          con._how_it_ended)


@test(1, "ktest.exit=reboot resets the machine (QEMU runs with -no-reboot, so it exits)")
def reboot(t):
    con = t.boot_pvh(ktest="acpi_s5", append="ktest.exit=reboot", debug_exit=False)
    con.expect(r"reboot: Restarting system", KTEST_SECS, what="`reboot: Restarting system`")
    status = con.expect_exit(30, what="QEMU to reset")
    check(not any("triple fault" in l for l in con.lines()),
          "a reset by the ACPI reset register or the keyboard controller", "a triple fault")
    check(status == 0 and con.signal is None, "QEMU to exit with status 0 (reset under -no-reboot)",
          con._how_it_ended)
