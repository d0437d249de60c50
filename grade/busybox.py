#!/usr/bin/env python3
"""grade/busybox.py — the busybox acceptance suite (issue 9; `make grade-busybox`).

Differential testing: every command of grade/busybox_cmds.py runs twice,
typed at an interactive busybox shell —

  - on Kestrel: the kernel boots the root file system of `make rootfs`
    under QEMU (TCG) and the suite types on the serial console;
  - on the host: the same Debian busybox binary (`command -v busybox`)
    runs `busybox sh -i` on a pty, with the same environment,

both in a scratch directory of the same absolute path, filled with the
same fixture files, and the two outputs and exit statuses must be equal
(after the normalisations a command lists, each with its reason).  No
expected output is written down anywhere: Linux is the reference.

    busybox.py                 every group
    busybox.py --only files    one group; or commands: --only files.cp-a,text.awk-sum
    busybox.py --list          the commands, with their groups and normalisations
    busybox.py -v              print passing commands too

Each group boots one guest and runs its commands in order; groups run in
parallel (GRADE_JOBS, default one per CPU).  A command that hangs fails
alone: ^C, resynchronise, or reboot the guest and go on.  Output: one
line per group, a report under each failing or skipped command, then
`Score: X/Y` (commands passed / commands run) and the skip count.  Logs:
build/grade/busybox-<group>.log (the guest console) and
busybox-<group>.report (both outputs of every command).  The exit status
is 0 when every command that ran passed.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time

GRADE_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, GRADE_DIR)
try:
    import pexpect
except ImportError:
    sys.exit("grade-busybox: python3 cannot import pexpect; run scripts/setup grade")
import gradelib  # noqa: E402
from gradelib import REPO, Fail, rel  # noqa: E402

import bbshell  # noqa: E402
import busybox_cmds as cmds  # noqa: E402

BOOT_SECS = 90		# boot to the first answer of the shell
UNIT_SECS = 20		# one command, unless it says otherwise
STEP_SECS = 10		# one wait of a command typed as steps (tty group)
MAX_BOOTS = 12		# per group: the first boot and reboots after hangs


def host_busybox():
    bb = shutil.which("busybox")
    if not bb:
        sys.exit("grade-busybox: busybox is missing on the host "
                 "(sudo apt-get install busybox-static)")
    return os.path.realpath(bb)


# --- the two sides -----------------------------------------------------------

def session_setup(root):
    """What both sides type before the first command: umask, the scratch
    root, and mkfix, the function that builds the fixture tree."""
    return "\n".join([f"umask 022; mkdir -p {root} && cd {root}",
                      cmds.mkfix_function()])


def default_process():
    """In the host's shell, before exec: what init's children get on a
    fresh system, since ignored signals, the signal mask and the nice value
    are inherited.  Python ignores SIGPIPE and SIGXFSZ (`yes | head` would
    print EPIPE errors on the host only); a run under `nice` would show in
    `ps` and /proc/PID/stat.  Lowering the nice value needs root."""
    for sig in (signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    try:
        os.setpriority(os.PRIO_PROCESS, 0, 0)
    except OSError:
        pass


def start_host(root, nonce, bb):
    """The host side: `busybox sh -i` on a pty, environment as the guest's."""
    bindir = root + "-bin"
    if not os.path.isdir(bindir):
        os.makedirs(bindir)
        for applet in subprocess.run([bb, "--list"], capture_output=True,
                                     text=True).stdout.split():
            os.symlink(bb, os.path.join(bindir, applet))
    os.makedirs(root, exist_ok=True)
    env = dict(cmds.ENV, PATH=bindir, KBB=nonce)
    # The pty gets the window size of Kestrel's serial tty (24 rows, 80
    # columns: kernel/drivers/tty), so that ls, stty and the shell's line
    # editing see the same terminal on both sides.
    child = pexpect.spawn(bb, ["sh", "-i"], env=env, cwd=root, encoding="utf-8",
                          codec_errors="replace", echo=True, dimensions=(24, 80),
                          preexec_fn=default_process)
    sh = bbshell.Shell(child, nonce, guest=False)
    if not sh.sync(10):
        raise bbshell.ShellGone("the host's busybox sh did not start")
    return sh


def start_guest(t, nonce):
    """Boot Kestrel with the root file system; returns its Shell once the
    shell answers, switched to the suite's environment."""
    con = t.boot_pvh(initrd=guest_image())
    sh = bbshell.Shell(con.child, nonce, guest=True)
    # Type nothing before the login shell's prompt: input that comes while
    # init and cttyhack set up the console may be flushed, and a line that
    # lost its head may leave the shell inside an open quote.  On a
    # terminal, ash follows its prompt with ESC [6n (where is the cursor?).
    if not sh.wait(re.compile(r"[#$] (\x1b\[6n)?$"), BOOT_SECS):
        raise bbshell.ShellGone(f"no shell prompt within {BOOT_SECS * gradelib.SCALE:g}s of boot")
    if not sh.sync(10, ours=False):
        raise bbshell.ShellGone("the shell did not answer at its prompt")
    env = " ".join(f"{k}='{v}'" for k, v in
                   dict(cmds.ENV, PATH=cmds.GUEST_PATH, KBB=nonce).items())
    sh.type_lines(cmds.GUEST_PREPARE)
    sh.type_lines(f"exec env -i {env} sh -i")
    if not sh.sync(20):
        raise bbshell.ShellGone("the suite's shell (exec env -i ... sh -i) did not answer")
    return sh


_image_lock = threading.Lock()
_image = None


def guest_image():
    """The guest's initrd: `make rootfs`'s image, booted by PVH with the
    kernel's default rdinit=/init (busybox init, inittab, rcS, a login shell
    on the console), as `make qemu-pvh` boots it."""
    global _image
    with _image_lock:
        if _image is None:
            bdir = os.path.relpath(gradelib.build_dir(), REPO)
            p = subprocess.run(["make", "-s", "rootfs", f"BUILDDIR={bdir}"], cwd=REPO,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            if p.returncode != 0:
                raise Fail("the root file system to build (make rootfs)",
                           "make rootfs failed:\n" + p.stdout[-2000:])
            _image = os.path.join(gradelib.build_dir(), "rootfs.cpio.gz")
        return _image


# --- running a group ---------------------------------------------------------

class Outcome:
    def __init__(self, cmd, verdict, why="", host=None, guest=None, notes=()):
        self.cmd = cmd
        self.verdict = verdict		# "ok", "FAIL", "skip"
        self.why = why
        self.host = host		# (normalised output, status) or None
        self.guest = guest
        self.notes = list(notes)	# kernel lines taken out of the output


def run_on(sh, c, k, facts, side):
    """One command on one side: (normalised output, status), or a string
    saying why there is none (it hung)."""
    if c.steps:
        r = sh.run_steps(k, c.steps, c.secs or STEP_SECS)
    else:
        r = sh.run_unit(k, c.script, c.secs or UNIT_SECS, subshell=not c.toplevel)
    if r is None:
        secs = c.secs or (STEP_SECS if c.steps else UNIT_SECS)
        return f"no end marker within {secs * gradelib.SCALE:g}s (hung; ^C sent)"
    out, status = r
    if side == "guest":
        out = bbshell.ENOSYS_RE.sub("", out)
    return cmds.normalise(c, out, facts), status


def gather_facts(sh, side):
    r = sh.run_unit("F", cmds.FACTS_SCRIPT, UNIT_SECS)
    if r is None:
        raise bbshell.ShellGone(f"the {side} did not answer `{cmds.FACTS_SCRIPT}`")
    return cmds.parse_facts(r[0])


def run_group(group, only, nonce_base):
    """Run @group's commands (those selected by @only) on both sides;
    returns (outcomes, seconds, log paths)."""
    start = time.monotonic()
    test = gradelib.Test("busybox", run_group, 0, group.title, group.name)
    nonce = f"{nonce_base}{group.name[:3]}"
    root = f"{cmds.SCRATCH}/kbb-{nonce}"
    selected = [c for c in group.cmds if only is None or c.id in only or group.name in only]
    outcomes, todo = [], []
    for c in selected:
        why = cmds.skip_reason(c)
        (outcomes.append(Outcome(c, "skip", why)) if why else todo.append(c))
    results = {}
    # the host first: the reference (a new shell if one exits or hangs)
    hsh, hlog = None, []
    try:
        for k, c in enumerate(todo):
            try:
                if hsh is None:
                    hsh = start_host(root, nonce, host_busybox())
                    hsh.type_lines(session_setup(root))
                    hfacts = gather_facts(hsh, "host")
                results[c.id] = [run_on(hsh, c, k, hfacts, "host"), None, []]
            except bbshell.ShellGone as e:
                results[c.id] = [f"the host's shell: {e}", None, []]
                hlog.append(hsh.buf if hsh else "")
                hsh = None
    finally:
        if hsh:
            hsh.child.close(force=True)
            hlog.append(hsh.buf)
        with open(os.path.join(gradelib.LOG_DIR, f"busybox-{group.name}.host.log"), "w") as f:
            f.write("\n[a new host shell]\n".join(hlog))
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(root + "-bin", ignore_errors=True)
    # then Kestrel, rebooting after a hang the shell does not survive
    t = gradelib.T(test)
    k, boots, failed_boots, gsh, gfacts, dead = 0, 0, 0, None, None, None
    try:
        while k < len(todo) and dead is None:
            if gsh is None:
                if boots == MAX_BOOTS:
                    dead = f"not run: the guest was rebooted {MAX_BOOTS - 1} times already"
                    break
                boots += 1
                try:
                    gsh = start_guest(t, nonce)
                    gsh.type_lines(session_setup(root))
                    gfacts = gather_facts(gsh, "guest")
                    failed_boots = 0
                except (bbshell.ShellGone, Fail) as e:
                    gsh, failed_boots = None, failed_boots + 1
                    if failed_boots == 2:
                        dead = f"not run: the guest did not come up twice ({e})"
                        break
                    continue
            c = todo[k]
            before = len(gsh.buf)
            try:
                results[c.id][1] = run_on(gsh, c, k, gfacts, "guest")
            except bbshell.ShellGone as e:
                results[c.id][1] = f"{e}; the guest was rebooted"
                gsh = None
            if gsh is not None:
                results[c.id][2] = [l.strip() for l in bbshell.ENOSYS_RE.findall(gsh.buf, before)]
            k += 1
        for c in todo[k:]:
            results[c.id][1] = dead
    finally:
        t.finish()
    for c in todo:
        hr, gr, notes = results[c.id]
        outcomes.append(judge(c, hr, gr, notes))
    order = {c.id: i for i, c in enumerate(group.cmds)}
    outcomes.sort(key=lambda o: order[o.cmd.id])
    write_report(group, outcomes)
    logs = [rel(con._logf.name) for con in t.consoles]
    return outcomes, time.monotonic() - start, logs


def judge(c, hr, gr, notes):
    if isinstance(hr, str) or hr is None:
        return Outcome(c, "FAIL", f"the host's reference run failed: {hr}", None, gr, notes)
    if isinstance(gr, str) or gr is None:
        return Outcome(c, "FAIL", gr or "not run", hr, None, notes)
    if hr == gr:
        return Outcome(c, "ok", "", hr, gr, notes)
    return Outcome(c, "FAIL", "output differs", hr, gr, notes)


# --- reporting ---------------------------------------------------------------

def diff_lines(o):
    out = []
    (hout, hst), (gout, gst) = o.host, o.guest
    if hst != gst:
        out.append(f"exit status: linux {hst}, kestrel {gst}")
    if hout != gout:
        d = difflib.unified_diff(hout.splitlines(), gout.splitlines(),
                                 "linux (host busybox)", "kestrel", lineterm="", n=2)
        out += [gradelib._printable(l) for l in d]
    return out


def outcome_lines(o, verbose):
    c = o.cmd
    head = f"   {o.verdict:4} {c.id}"
    if o.verdict == "ok":
        return [head] if verbose else []
    if o.verdict == "skip":
        return [f"{head}: {o.why}"]
    lines = [head + (" (terminal: N_TTY, job control, docs/tty.md)" if c.tty else "")]
    lines += ["        $ " + l for l in c.text().split("\n")]
    if o.host is not None and o.guest is not None:
        lines += ["        " + l for l in diff_lines(o)[:60]]
    else:
        lines.append(f"        {o.why}")
        if o.host is not None:
            lines += ["        linux printed: " + gradelib._printable(l)
                      for l in (o.host[0].splitlines() or [""])[:10]]
    lines += [f"        kernel: {n}" for n in o.notes]
    return lines


def write_report(group, outcomes):
    path = os.path.join(gradelib.LOG_DIR, f"busybox-{group.name}.report")
    with open(path, "w") as f:
        for o in outcomes:
            f.write(f"=== {o.verdict} {o.cmd.id}\n$ {o.cmd.text()}\n")
            if o.why:
                f.write(f"({o.why})\n")
            for side, r in (("linux", o.host), ("kestrel", o.guest)):
                if r is not None:
                    f.write(f"--- {side}: status {r[1]}\n{r[0]}\n")
            for n in o.notes:
                f.write(f"kernel: {n}\n")


def main():
    p = argparse.ArgumentParser(prog="grade/busybox.py", description=__doc__.split("\n")[0])
    p.add_argument("--only", help="groups or commands, comma-separated (files, text.awk-sum)")
    p.add_argument("--list", action="store_true", help="list the commands")
    p.add_argument("-v", "--verbose", action="store_true", help="print passing commands too")
    p.add_argument("-j", "--jobs", type=int, help="groups run at once (default: CPUs)")
    a = p.parse_args()
    only = set(a.only.split(",")) if a.only else None
    groups = cmds.GROUPS
    if only:
        known = {g.name for g in groups} | {c.id for g in groups for c in g.cmds}
        unknown = only - known
        if unknown:
            sys.exit(f"grade-busybox: no group or command named {', '.join(sorted(unknown))} "
                     "(busybox.py --list shows them)")
        groups = [g for g in groups if g.name in only or any(c.id in only for c in g.cmds)]
    if a.list:
        for g in groups:
            for c in g.cmds:
                extra = "; ".join(filter(None, [cmds.skip_reason(c) and "skipped: " + cmds.skip_reason(c),
                                               ", ".join(n.name for n in c.norms)]))
                print(f"{c.id:34} {c.text().splitlines()[0][:60]}" + (f"   [{extra}]" if extra else ""))
        return 0
    if not os.path.isfile(gradelib.kernel_path()):
        print(f"grade-busybox: no kernel at {rel(gradelib.kernel_path())}; run make first",
              file=sys.stderr)
        return 2
    os.makedirs(gradelib.LOG_DIR, exist_ok=True)
    host_busybox()
    nonce = secrets.token_hex(4)
    n = sum(1 for g in groups for c in g.cmds if only is None or c.id in only or g.name in only)
    print(f"busybox acceptance suite: {n} commands in {len(groups)} groups, "
          f"Kestrel against {host_busybox()} on the host's Linux", flush=True)
    jobs = min(a.jobs or gradelib.default_jobs(), len(groups))
    start = time.monotonic()
    results = {}
    printed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        # the slowest group (tty: every hang costs a reboot) first
        futs = {pool.submit(run_group, g, only, nonce): g.name
                for g in sorted(groups, key=lambda g: g.name != "tty")}
        for fut in concurrent.futures.as_completed(futs):
            results[futs[fut]] = fut.result()
            while printed < len(groups) and groups[printed].name in results:
                g = groups[printed]
                outcomes, secs, logs = results[g.name]
                print_group(g, outcomes, secs, logs, a.verbose)
                printed += 1
    allout = [o for g in groups for o in results[g.name][0]]
    passed = sum(o.verdict == "ok" for o in allout)
    failed = sum(o.verdict == "FAIL" for o in allout)
    skipped = sum(o.verdict == "skip" for o in allout)
    print(f"Score: {passed}/{passed + failed}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped "
          f"({time.monotonic() - start:.0f}s)")
    return 0 if failed == 0 else 1


def print_group(g, outcomes, secs, logs, verbose):
    ok = sum(o.verdict == "ok" for o in outcomes)
    run_ = sum(o.verdict != "skip" for o in outcomes)
    sk = len(outcomes) - run_
    head = f"== busybox {g.name} "
    print(f"{head:.<44} {ok}/{run_} passed" + (f", {sk} skipped" if sk else "") + f" ({secs:.1f}s)")
    for o in outcomes:
        for line in outcome_lines(o, verbose):
            print(line)
    if any(o.verdict == "FAIL" for o in outcomes):
        for l in logs:
            print(f"   log: {l}")
        print(f"   report: {rel(os.path.join(gradelib.LOG_DIR, f'busybox-{g.name}.report'))}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
