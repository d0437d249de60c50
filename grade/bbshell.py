"""bbshell — the protocol of the busybox acceptance suite (grade/busybox.py).

One interactive busybox shell, on Kestrel's serial console or on a pty of
the host, is driven by typing *units*: one command of the suite wrapped so
that its output can be cut out of the console exactly and its exit status
read.  A unit typed at the prompt is

    { printf '=K=%s:%s:B\\n' NONCE 17; ( mkfix t17 && cd t17 && {
    CMD
    } ) </dev/null 2>&1; printf '\\n=K=%s:%s:E:%s\\n' NONCE 17 $?; }

The braces make the shell read the whole unit before it runs any of it, so
the echo of the typed lines always comes before the output.  The markers
printed (`=K=NONCE:17:B`) never appear in the echo, which shows the
format string instead, and they are matched only as whole lines.  The
output of CMD is what lies between the two marker lines (the newline that
starts the end marker is the protocol's own: a last line without a newline
still ends before the marker).  Both sides run the very same text, so any
difference is the kernel's.

Lines are typed one at a time, each after the echo of the one before (or
after a short wait, if there is no echo): a long burst could overrun a
serial line's buffers at TCG speed.  A unit that does not finish in time
is interrupted with ^C and the shell resynchronised with a `sync` marker;
if that fails, the caller reboots the guest.
"""

import re
import time

import pexpect

from gradelib import SCALE

PANIC_RE = re.compile(r"Kernel panic[^\n]*|Oops:[^\n]*")
# Kestrel's one-time note for a syscall it lacks; taken out of the output
# and reported next to the command (issue 9: "logged once, naming it").
ENOSYS_RE = re.compile(r"^syscall: [^\n]* not implemented[^\n]*\n", re.M)
ECHO_WAIT = 2.0		# seconds to wait for the echo of a typed line


class ShellGone(Exception):
    """The shell (or the whole guest) stopped answering or crashed."""


class Shell:
    """An interactive busybox sh under pexpect.  @child is a pexpect spawn
    (QEMU or the host's busybox on a pty); @nonce marks this run's lines;
    @guest enables the panic check."""

    def __init__(self, child, nonce, guest):
        self.child = child
        self.nonce = nonce
        self.guest = guest
        self.buf = ""		# everything read so far, "\r" removed
        self.pos = 0		# where the next unit's search starts
        self.syncs = 0

    # - reading -
    def _read(self, secs):
        try:
            data = self.child.read_nonblocking(65536, max(secs, 0.01))
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            raise ShellGone("the console closed (QEMU or the shell exited)")
        start = max(0, len(self.buf) - 200)
        self.buf += data.replace("\r", "")
        if self.guest:
            m = PANIC_RE.search(self.buf, start)
            if m:
                raise ShellGone(f"the kernel crashed: `{m.group(0).strip()}`")

    def wait(self, regex, secs, start=None):
        """The first match of @regex in the output from @start (default:
        self.pos) within @secs × GRADE_TIMEOUT_SCALE, or None."""
        start = self.pos if start is None else start
        deadline = time.monotonic() + secs * SCALE
        while True:
            m = regex.search(self.buf, start)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._read(min(left, 0.5))

    # - typing -
    def type_lines(self, text):
        """Type @text line by line, each after the echo of the last one."""
        at = len(self.buf)
        for line in text.split("\n"):
            self.child.send(line + "\n")
            tail = line.strip()[-10:]
            if tail:
                m = self.wait(re.compile(re.escape(tail)), ECHO_WAIT, at)
                if m:
                    at = m.end()

    def ctrl(self, letter):
        """Type Ctrl-@letter (e.g. "c" for ^C)."""
        self.child.send(chr(ord(letter.upper()) - 64))

    def marker(self, k, what):
        return re.compile(rf"^=K={self.nonce}:{k}:{what}$", re.M)

    def sync(self, secs=10, ours=True):
        """Type a line that prints a fresh marker; True when it comes back.
        Everything before it is skipped by the next unit.  With @ours, the
        marker must come from the suite's own shell, whose environment has
        KBB=<nonce> (not from a shell init respawned after ours exited)."""
        self.syncs += 1
        k = f"S{self.syncs}"
        self.child.send(f"printf '=K=%s:%s:%s\\n' {self.nonce} {k} \"${{KBB-}}\"\n")
        session = re.escape(self.nonce) if ours else ".*"
        m = self.wait(re.compile(rf"^=K={self.nonce}:{k}:{session}$", re.M), secs)
        if m:
            self.pos = m.end()
        return m is not None

    def recover(self):
        """After a unit hung: ^C, then resynchronise (twice at most).
        Raises ShellGone if the shell does not answer."""
        for _ in range(2):
            self.ctrl("c")
            time.sleep(0.2)
            if self.sync(5):
                return
        raise ShellGone("the shell did not answer after ^C")

    # - units -
    def run_unit(self, k, body, secs, subshell=True):
        """Run @body as unit @k; returns (output, status) or None if it did
        not finish within @secs (the shell is then recovered or ShellGone)."""
        n = self.nonce
        if subshell:
            inner = f"( mkfix t{k} && cd t{k}/w && {{\n{body}\n}} ) </dev/null 2>&1"
        else:
            inner = f"{body}\n"
        text = (f"{{ printf '=K=%s:%s:B\\n' {n} {k}; {inner}\n"
                f"printf '\\n=K=%s:%s:E:%s\\n' {n} {k} $?; }}")
        self.type_lines(text)
        b = self.wait(self.marker(k, "B"), secs)
        e = b and self.wait(re.compile(rf"^=K={n}:{k}:E:(\d+)$", re.M), secs, b.end())
        if not e:
            self.recover()
            return None
        self.pos = e.end()
        return self.buf[b.end() + 1:e.start() - 1], int(e.group(1))

    def run_steps(self, k, steps, secs):
        """An interactive unit typed at the prompt itself: @steps are
        ("type", text), ("wait", regex) and ("ctrl", letter).  The output
        is everything from the begin marker to the sync that follows the
        steps (prompts and echo included: both sides type the same).
        Returns (output, None) or None if a wait failed."""
        self.child.send(f"mkfix t{k} && cd t{k}/w; printf '=K=%s:%s:B\\n' {self.nonce} {k}\n")
        b = self.wait(self.marker(k, "B"), secs)
        if not b:
            self.recover()
            return None
        at = b.end()
        for kind, arg in steps:
            if kind == "type":
                self.child.send(arg)
            elif kind == "ctrl":
                self.ctrl(arg)
            else:
                m = self.wait(re.compile(arg, re.M), secs, at)
                if not m:
                    self.recover()
                    return None
                at = m.end()
        time.sleep(0.3)
        end = len(self.buf)
        if not self.sync(8):
            self.recover()
            return None
        # cut at the line where the sync command was typed
        out = self.buf[b.end() + 1:]
        cut = out.find("printf '=K=%s:", max(0, end - b.end() - 1))
        if cut < 0:
            cut = out.find("printf '=K=%s:")
        out = out[:out.rfind("\n", 0, cut) + 1] if cut >= 0 else out
        self.child.send("cd ../..\n")
        if not self.sync(secs):
            self.recover()
        return out, None
