"""Lab 2 (physical memory): the buddy page allocator, slab caches and
kmalloc, and the slab debugging that catches heap bugs.

Properties are checked from inside (the ktests pmm_*, slab_*, kmalloc_*
in kernel/mm/, each naming this run's nonce) and from outside: the totals
the kernel prints against QEMU's -m, the pages pmm_exhaust could allocate
against the free memory the boot reported, and the slab-debug reports
against what the planted bugs must produce — the cache, the caller, the
byte that was hit, the kmalloc size class — all derived from the nonce or
a random -m, so no answer can be hard-coded.

Every ktest boot first needs the boot line `Memory: <avail>K/<total>K
available …`, which mm_init prints only once the page allocator works; a
ktest reported as `ok N name # SKIP …` (the stubs are still in place) fails.
"""

import re

from gradelib import TRACE_RE, check, check_ktests, fail, test

BOOT_SECS = 30
KTEST_SECS = 90

MEMORY_RE = r"Memory: (\d+)K/(\d+)K available \((\d+)K kernel, (\d+)K reserved\)"
NOT_YET_RE = r"mm: page allocator not implemented yet[^\r\n]*\r*\n"
USABLE_RE = r"Memory: (\d+)K usable RAM"
REPORT_RE = re.compile(r"^BUG: slab-debug: (double free|use after free|out-of-bounds write|"
                       r"invalid free|corrupted slab) in cache (\S+): object (\S+)$")
EXHAUST_RE = re.compile(r"^# pmm_exhaust: allocated (\d+) pages \((\d+)K\)")
KMALLOC_CLASSES = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]


# --- helpers ----------------------------------------------------------------

def expect_totals(con):
    """Wait for mm_init's `Memory: <avail>K/<total>K available (...)` line;
    returns (avail, total, kernel, reserved) in KiB."""
    m = con.expect(f"{MEMORY_RE}|{NOT_YET_RE}", BOOT_SECS,
                   what="`Memory: <avail>K/<total>K available (<kernel>K kernel, <reserved>K reserved)`")
    if m.group(1) is None:
        fail("the page allocator to work (mm_init prints `Memory: <avail>K/<total>K available …`)",
             f"`{m.group(0).strip()}`: buddy_alloc/buddy_free are still stubs")
    return tuple(int(m.group(k)) for k in range(1, 5))


def run_ktests(t, names, append="", mem="512M"):
    """Boot with ktest=<names> (and @append); every test must print
    `ok N name # nonce=…` without having skipped (check_ktap_result), and
    QEMU must exit with status 33.  Returns (console lines, boot totals)."""
    con = t.boot_pvh(append=append, ktest=",".join(names), mem=mem)
    totals = expect_totals(con)
    lines = check_ktests(t, con, names, KTEST_SECS)
    return lines, totals


def nonce_tag(nonce):
    """The suffix of the ktests' cache names: the nonce's low 24 bits."""
    return f"{int(nonce, 16) & 0xFFFFFF:06x}"


def slab_reports(lines):
    """Every `BUG: slab-debug: …` report: kind, cache, detail, caller,
    allocated/freed by, and the function names in its Call Trace."""
    reports = []
    for i, line in enumerate(lines):
        m = REPORT_RE.match(line.strip())
        if not m:
            continue
        r = {"kind": m.group(1), "cache": m.group(2), "line": line.strip(), "detail": "",
             "caller": None, "allocated": None, "freed": None, "trace": []}
        body = [l.strip() for l in lines[i + 1:i + 6]]
        r["detail"] = body[0] if body else ""
        for l in body:
            for key, label in (("caller", "caller: "), ("allocated", "last allocated by: "),
                               ("freed", "last freed by: ")):
                if l.startswith(label) and r[key] is None:
                    r[key] = l[len(label):].split("+")[0]
        in_trace = False
        for l in lines[i + 1:i + 40]:
            if REPORT_RE.match(l.strip()) or l.startswith(("ok ", "not ok ")):
                break
            if l.strip() == "Call Trace:":
                in_trace = True
            elif in_trace and TRACE_RE.match(l):
                r["trace"].append(TRACE_RE.match(l).group(2))
        reports.append(r)
    return reports


def find_report(reports, kind, cache, caller, detail=None):
    """The report of @kind in @cache whose caller is @caller (and whose
    detail contains @detail); fails with what was seen instead."""
    want = f"`BUG: slab-debug: {kind} in cache {cache}: …` with `caller: {caller}+0x…`"
    if detail:
        want += f" and `{detail}` in its detail line"
    for r in reports:
        if r["kind"] == kind and r["cache"] == cache and r["caller"] == caller and \
                (detail is None or detail in r["detail"]):
            check(caller in r["trace"], f"a Call Trace through {caller} after `{r['line']}`",
                  "frames: " + (" → ".join(r["trace"][:8]) or "none"))
            return r
    seen = "\n".join(f"{r['line']} / {r['detail']} / caller: {r['caller']}" for r in reports)
    fail(want, seen or "no `BUG: slab-debug:` report at all")


# --- the numbers ------------------------------------------------------------

@test(3, "boot prints Memory: avail/total; the total matches -m within 2%")
def memory_totals(t):
    mib = t.choice([128, 256, 512])
    con = t.boot_pvh(mem=f"{mib}M")
    m = con.expect(USABLE_RE, BOOT_SECS, what="lab 1's `Memory: <N>K usable RAM`")
    usable = int(m.group(1))
    avail, total, kernel, reserved = expect_totals(con)
    con.expect(r"Kestrel: boot complete", BOOT_SECS, what="`Kestrel: boot complete`")
    want = mib * 1024
    check(abs(total - want) <= 0.02 * want, f"<total> about {want}K (-m {mib}M, ±2%)",
          f"{total}K")
    check(abs(total - usable) <= 0.01 * usable,
          f"<total> within 1% of the usable RAM of the memory map ({usable}K)", f"{total}K")
    check(avail + reserved == total, "<avail> + <reserved> = <total>",
          f"{avail}K + {reserved}K ≠ {total}K")
    check(0 < kernel <= reserved, "0 < <kernel> ≤ <reserved>",
          f"{kernel}K kernel, {reserved}K reserved")
    check(total * 0.85 < avail < total, "<avail> below <total> but above 85% of it",
          f"{avail}K of {total}K")


@test(3, "pmm_exhaust: every free page allocated once, all freed, free lists restored")
def pmm_exhaust(t):
    mib = t.choice([128, 256, 512])
    lines, (avail, total, _, _) = run_ktests(t, ["pmm_exhaust"], mem=f"{mib}M")
    m = next((EXHAUST_RE.match(l.strip()) for l in lines if EXHAUST_RE.match(l.strip())), None)
    check(m is not None, "`# pmm_exhaust: allocated <N> pages (<K>K) …`", "no such line")
    pages, kib = int(m.group(1)), int(m.group(2))
    check(kib == pages * 4, f"{pages} pages = {pages * 4}K", f"{kib}K")
    # Between the boot line and the test, later boot steps allocate a little.
    check(avail - 0.02 * total <= kib <= avail,
          f"about the {avail}K the boot reported free (at most 2% of {total}K less)", f"{kib}K")


@test(2, "pmm_orders, pmm_bad_free: every order aligned; bad requests refused, nothing changes")
def pmm_orders(t):
    run_ktests(t, ["pmm_orders", "pmm_bad_free"])


@test(3, "pmm_split, pmm_coalesce: the smallest block is split; freed buddies merge back")
def pmm_split_coalesce(t):
    run_ktests(t, ["pmm_split", "pmm_coalesce"])


# --- slab and kmalloc -------------------------------------------------------

@test(2, "slab_reuse: freed objects are reused; a destroyed cache gives back its pages")
def slab_reuse(t):
    run_ktests(t, ["slab_reuse"])


@test(3, "kmalloc_sizes: every size class and large sizes; kzalloc, krealloc; no leaks")
def kmalloc_sizes(t):
    run_ktests(t, ["kmalloc_sizes"])


@test(4, "slab_debug reports double free, use after free, overflow, invalid free: cache and caller")
def slab_debug_reports(t):
    names = ["slab_double_free", "slab_use_after_free", "slab_overflow", "slab_invalid_free"]
    lines, _ = run_ktests(t, names, append="slab_debug=1")
    reports = slab_reports(lines)
    n, tag = int(t.nonce, 16), nonce_tag(t.nonce)

    find_report(reports, "double free", f"kt-dfree-{tag}", "slab_plant_double_free")
    size = 24 + (n % 40) * 8
    kclass = next(c for c in KMALLOC_CLASSES if c >= size)
    find_report(reports, "double free", f"kmalloc-{kclass}", "slab_plant_kfree_twice")

    size = 32 + n % 200
    r = find_report(reports, "use after free", f"kt-uaf-{tag}", "slab_plant_use_after_free",
                    detail=f"byte {(n >> 8) % size} ")
    check(r["freed"] == "slab_plant_use_after_free",
          "`last freed by: slab_plant_use_after_free+0x…` in the use-after-free report",
          f"last freed by: {r['freed']}")

    size = 8 + n % 300
    find_report(reports, "out-of-bounds write", f"kt-oob-{tag}", "slab_plant_overflow",
                detail=f"offset {size} ")
    find_report(reports, "out-of-bounds write", f"kt-oob-{tag}", "slab_plant_underflow",
                detail="offset -1 ")

    find_report(reports, "invalid free", f"kt-inval-{tag}", "slab_plant_invalid_frees")
    invalid = [r for r in reports if r["kind"] == "invalid free" and
               r["caller"] == "slab_plant_invalid_frees"]
    check(len(invalid) == 5, "5 invalid-free reports from slab_plant_invalid_frees",
          f"{len(invalid)}")


@test(1, "slab_debug=0 turns debugging off; caches and kmalloc still pass")
def slab_debug_off(t):
    lines, _ = run_ktests(t, ["slab_reuse", "kmalloc_sizes", "slab_double_free"],
                          append="slab_debug=0")
    said = [l.strip() for l in lines if re.match(r"slab: .*debug checks (on|off)", l)]
    check(said and said[0].endswith("debug checks off"),
          "`slab: … debug checks off` at boot with slab_debug=0",
          f"`{said[0]}`" if said else "no `slab: … debug checks …` line")
