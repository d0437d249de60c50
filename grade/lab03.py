"""Lab 3 (virtual memory): the kernel's own page tables with W^X, page-fault
triage with exception-table fixups, and vmalloc with guard pages.

Most properties are checked twice, from inside and from outside: in-kernel
tests (vmm_*, vmalloc_*) probe memory and walk the tables, and the grader
reads the kernel's page-table dump (`vmm.ptdump`) against the section
addresses in kernel.elf and the memory map the kernel printed.  Inputs are
random per run (the nonce, -m), so the answers cannot be hard-coded.
"""

import re
import subprocess

from gradelib import (EXIT_PANIC, HEX16, check, check_equal, fail, kernel_path, Oops, run_ktests,
                      test)

BOOT_SECS = 30
KTEST_SECS = 60

PAGE_OFFSET = 0xffff888000000000
VMALLOC_START = 0xffffc90000000000
VMALLOC_END = VMALLOC_START + (512 << 30)
USER_END = 0x0000800000000000
MIB2 = 2 << 20

# Anchored on the line's end: pexpect would otherwise match half a line.
TABLES_RE = r"vmm: (kernel page tables active[^\r\n]*|[^\r\n]*keeping the boot page tables)\r*\n"
PTDUMP_RE = re.compile(r"^ptdump: ([0-9a-f]{16})-([0-9a-f]{16})\s+\d+[KMG] r([w-])([x-]) (\w+) (4K|2M|1G)$")
MEM_RE = re.compile(r"^\s+\[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (.*)$")


# --- helpers ----------------------------------------------------------------

def expect_kernel_tables(con):
    """Wait for paging_init's verdict; fail unless the kernel's tables are on."""
    m = con.expect(TABLES_RE, BOOT_SECS, what="`vmm: kernel page tables active …`")
    check(m.group(1).startswith("kernel page tables active"),
          "`vmm: kernel page tables active (CR3 …): NX WP SMEP SMAP`", f"`{m.group(0).strip()}`")
    return m.group(1)


def image_symbols():
    """The section boundaries of kernel.elf: {name: address}."""
    out = subprocess.run(["nm", kernel_path()], capture_output=True, text=True).stdout
    want = {"_text", "_etext", "_rodata", "_erodata", "_data", "_end"}
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in want:
            syms[parts[2]] = int(parts[0], 16)
    check(len(syms) == len(want), f"symbols {', '.join(sorted(want))} in kernel.elf",
          f"only {', '.join(sorted(syms)) or 'none'}")
    return syms


def direct_map_top(lines):
    """The end of the highest RAM or ACPI range the kernel printed, rounded
    up to 2 MiB: where the direct map must end."""
    top = 0
    for line in lines:
        m = MEM_RE.match(line)
        if m and m.group(3).strip() in ("usable", "ACPI data", "ACPI NVS"):
            top = max(top, int(m.group(2), 16) + 1)
    check(top > 0, "the memory map (`  [mem 0x…-0x…] usable`) before paging_init",
          "no usable range printed")
    return (top + MIB2 - 1) // MIB2 * MIB2


def ptdump(lines):
    """The `ptdump:` runs: (start, end, writable, executable, owner, page)."""
    runs = []
    for line in lines:
        m = PTDUMP_RE.match(line.strip())
        if m:
            runs.append((int(m.group(1), 16), int(m.group(2), 16) or 1 << 64,
                         m.group(3) == "w", m.group(4) == "x", m.group(5), m.group(6)))
    check(runs, "`ptdump: <start>-<end> <size> r<w><x> kernel <page>` lines (vmm.ptdump)",
          "none")
    return runs


def perms(w, x):
    return "r" + ("w" if w else "-") + ("x" if x else "-")


def check_range_perms(runs, start, end, want, what):
    """Every byte of [start, end) is mapped, by runs with permissions @want."""
    at = start
    for s, e, w, x, _, _ in sorted(runs):
        if e <= at or s >= end:
            continue
        check(s <= at, f"{what} mapped from {at:#x}", f"a hole at {at:#x}–{s:#x}")
        check(perms(w, x) == want, f"{what} {want}",
              f"{perms(w, x)} at {s:016x}-{e:016x}")
        at = e
        if at >= end:
            return
    fail(f"{what} mapped up to {end:#x}", f"mapped only up to {at:#x}")


# --- the kernel's page tables, from outside ---------------------------------

@test(4, "the kernel's page tables: image W^X, direct map of all RAM with large pages, no identity map")
def page_tables(t):
    mib = t.choice([256, 512, 1024, 2560])
    con = t.boot_pvh(append="vmm.ptdump", mem=f"{mib}M")
    active = expect_kernel_tables(con)
    for feature in ("NX", "WP", "SMEP", "SMAP"):
        check(re.search(rf"\b{feature}\b", active), f"{feature} in `{active}`",
              f"`{active}` (QEMU -cpu max has it)")
    con.expect(r"Kestrel: boot complete", BOOT_SECS, what="`Kestrel: boot complete`")
    lines = con.lines()
    runs, syms, top = ptdump(lines), image_symbols(), direct_map_top(lines)

    for s, e, w, x, owner, _ in runs:
        check(not (w and x), "no mapping both writable and executable (W^X)",
              f"rwx at {s:016x}-{e:016x}")
        check(s >= USER_END and owner == "kernel",
              "nothing mapped in the user half (the identity map is gone)",
              f"{owner} mapping at {s:016x}-{e:016x}")
    page = lambda a: (a + 4095) & ~4095
    check_range_perms(runs, syms["_text"], page(syms["_etext"]), "r-x", "kernel text")
    check_range_perms(runs, syms["_rodata"], page(syms["_erodata"]), "r--", "kernel rodata")
    check_range_perms(runs, syms["_data"], syms["_end"], "rw-", "kernel data and bss")
    for s, e, w, x, _, _ in runs:
        if s >= 0xffffffff80000000:
            check(s >= syms["_text"] and e <= syms["_end"],
                  "nothing at KERNEL_VMA beyond [_text, _end)", f"{s:016x}-{e:016x}")

    direct = [r for r in runs if PAGE_OFFSET <= r[0] < VMALLOC_START]
    check(all(not x for _, _, _, x, _, _ in direct), "the direct map never executable",
          "an executable direct-map run")
    check(direct and direct[0][0] == PAGE_OFFSET and max(r[1] for r in direct) == PAGE_OFFSET + top,
          f"the direct map to cover [0, {top:#x}) at {PAGE_OFFSET:#x} (-m {mib}M)",
          lambda: f"{direct[0][0]:#x}–{max(r[1] for r in direct):#x}" if direct else "no direct map")
    big = sum(e - s for s, e, _, _, _, p in direct if p != "4K")
    check(big >= (top - (8 << 20)), "the direct map built with 2M/1G pages (all but the edges)",
          f"only {big >> 20} MiB of {top >> 20} MiB in large pages")


# --- in-kernel tests --------------------------------------------------------

@test(4, "writes to text and rodata fault; data, stack and the direct map are not executable")
def protections(t):
    run_ktests(t, ["vmm_tables", "vmm_rodata_ro", "vmm_text_ro", "vmm_data_nx",
                   "vmm_direct_map_nx"])


@test(3, "a walk of every page-table leaf: W^X holds, each image section has its permissions")
def wx_walk(t):
    run_ktests(t, ["vmm_wx", "vmm_direct_map_ram"], mem=f"{t.choice([384, 1024, 2560])}M", secs=KTEST_SECS)


@test(4, "pgtable_map/unmap/walk round trips; the exception table's inline-asm form")
def map_unmap_walk(t):
    run_ktests(t, ["vmm_map_walk", "vmm_extable"], secs=KTEST_SECS)


@test(2, "after unmap and a TLB flush the old translation faults; a remap is seen")
def tlb_flush(t):
    run_ktests(t, ["vmm_tlb_flush"], secs=KTEST_SECS)


@test(2, "pgd_alloc shares the kernel half; SMAP and SMEP stop the kernel at a user page")
def user_page_tables(t):
    run_ktests(t, ["vmm_user_pgd"], secs=KTEST_SECS)


@test(4, "vmalloc/vzalloc/vfree: mapped pages, zeroing, many areas, 4 MiB, exhaustion without leaks")
def vmalloc(t):
    run_ktests(t, ["vmalloc_basic", "vmalloc_zero", "vmalloc_many", "vmalloc_large",
                   "vmalloc_exhaust"])


@test(2, "the guard pages around a vmalloc area fault, and areas never share one")
def vmalloc_guard(t):
    run_ktests(t, ["vmalloc_guard"], secs=KTEST_SECS)


# --- oopses -----------------------------------------------------------------

@test(3, "a vmalloc overrun oopses naming the guard page, the distance and the allocator")
def guard_oops(t):
    past = (int(t.nonce, 16) >> 4) % 4096
    con = t.boot_pvh(ktest="vmm_guard_oops", expect_oops=True)
    con.expect(r"Oops:", BOOT_SECS, what="an `Oops:` report for the overrun")
    status = con.expect_exit(30, what="the panic to end QEMU")
    lines = con.lines()
    oops = Oops(lines)
    check_equal(oops.header, "Oops: page fault (#PF), error 0x2: supervisor write to a "
                "not-present page", "the Oops line")
    cr2 = oops.regs.get("CR2", "")
    check(re.fullmatch(HEX16, cr2) and VMALLOC_START <= int(cr2, 16) < VMALLOC_END
          and int(cr2, 16) % 4096 == past,
          f"CR2 in the vmalloc area, {past:#x} bytes into a page", f"CR2: {cr2 or '(none)'}")
    text = "\n".join(lines)
    m = re.search(r"vmalloc guard page: (\d+) bytes past the end of an? (\d+)-byte area "
                  r"allocated by (\S+)", text)
    check(m, "`vmalloc guard page: N bytes past the end of a 8192-byte area allocated by …`",
          "no such line in the oops")
    check_equal(int(m.group(1)), past, "the bytes past the end")
    check_equal(int(m.group(2)), 8192, "the area size")
    check(m.group(3).startswith("ktest_fn_vmm_guard_oops+0x"),
          "the allocator named: ktest_fn_vmm_guard_oops+0x…/0x…", m.group(3))
    check(oops.trace and oops.trace[0][1] == "ktest_fn_vmm_guard_oops",
          "Call Trace starting at ktest_fn_vmm_guard_oops",
          lambda: f"Call Trace starting at {oops.trace[0][1] if oops.trace else '(none)'}")
    check(oops.panic is not None and status == EXIT_PANIC,
          f"`Kernel panic - not syncing: Fatal exception`, exit status {EXIT_PANIC}",
          f"status {status}")


@test(2, "a kernel write to a user address is triaged as such in the oops")
def user_access_oops(t):
    con = t.boot_pvh(ktest="fault_backtrace", expect_oops=True)
    con.expect(r"Oops:", BOOT_SECS, what="an `Oops:` report for the deliberate fault")
    status = con.expect_exit(30, what="the panic to end QEMU")
    lines = con.lines()
    oops = Oops(lines)
    check(oops.header and "supervisor write to a not-present page" in oops.header,
          "`Oops: page fault (#PF), error 0x2: supervisor write to a not-present page`",
          f"`{oops.header}`")
    after = lines[next(k for k, l in enumerate(lines) if "Oops:" in l) + 1:]
    triage = next((l.strip() for l in after if l.startswith("triage: ")), None)
    check(triage and "user address" in triage,
          "`triage: kernel access to a user address outside the uaccess helpers …`",
          f"`{triage}`" if triage else "no `triage:` line after the Oops line")
    check(status == EXIT_PANIC, f"QEMU exit status {EXIT_PANIC} (panic)", f"status {status}")
