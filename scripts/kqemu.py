"""kqemu — the one place Kestrel's QEMU command line is built.

scripts/qemu (for people) and grade/gradelib.py (for graders) both call
qemu_argv(), so a student who reruns a failed test boots exactly the machine
the grader booted.  The machine is DESIGN §6's:

    qemu-system-x86_64 -machine q35 -cpu max -m 512M -nographic
                       -serial mon:stdio -no-reboot -accel tcg -nic none
                       -device isa-debug-exit,iobase=0xf4,iosize=0x04

`-nic none` removes the NIC QEMU adds by default: it would reach the outside
through unrestricted user networking (DESIGN §6 wants restrict=on always), and
its iPXE ROM slows the GRUB boot.  Labs that need a network add their own
virtio-net with -netdev user,restrict=on through @extra.

isa-debug-exit lets the kernel end QEMU: writing V to port 0xf4 makes QEMU
exit with status 2*V+1.  Kestrel uses 33 (ktests passed), 35 (a ktest failed)
and 37 (panic or oops).  Under gdb the device is left out, so a panic stays
on screen to be inspected.

Acceleration is TCG.  /dev/kvm may exist and still be unusable (on our
machines it is a slow software implementation that aborts with -cpu max), so
KVM is used only when KVM=1 is set *and* kvm_probe() runs a guest under it
successfully.

Run as a script, `kqemu.py --probe-kvm` prints the probe's result (used by
`scripts/setup doctor`).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = "qemu-system-x86_64"

EXIT_KTEST_PASS = 33
EXIT_KTEST_FAIL = 35
EXIT_PANIC = 37
DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def gdb_port():
    """The per-user gdb port, so two students on one machine do not collide."""
    return 26000 + os.getuid() % 5000


def qemu_argv(*, iso=None, kernel=None, append="console=ttyS0", initrd=None,
              mem="512M", gdb_port=None, accel="tcg", extra=(), debug_exit=True):
    """The QEMU argv booting @iso through GRUB, or @kernel by PVH with
    @append and @initrd.  @gdb_port adds a stopped gdb stub (and drops
    isa-debug-exit); debug_exit=False leaves the device out too (a test
    of ACPI poweroff, which must end QEMU by itself)."""
    if (iso is None) == (kernel is None):
        raise ValueError("give exactly one of iso= and kernel=")
    argv = [QEMU, "-machine", "q35", "-cpu", "max", "-m", str(mem),
            "-nographic", "-serial", "mon:stdio", "-no-reboot",
            "-accel", accel, "-nic", "none"]
    if iso is not None:
        argv += ["-cdrom", iso, "-boot", "d"]
    else:
        argv += ["-kernel", kernel, "-append", append]
        if initrd is not None:
            argv += ["-initrd", initrd]
    if gdb_port is None:
        argv += DEBUG_EXIT if debug_exit else []
    else:
        argv += ["-S", "-gdb", f"tcp:127.0.0.1:{gdb_port}"]
    return argv + list(extra)


def write_gdbinit(builddir, port):
    """Write BUILDDIR/gdbinit for `make gdb`; returns its path."""
    builddir = os.path.abspath(builddir)
    path = os.path.join(builddir, "gdbinit")
    os.makedirs(builddir, exist_ok=True)
    with open(path, "w") as f:
        f.write("set architecture i386:x86-64\n"
                f"file {os.path.join(builddir, 'kernel.elf')}\n"
                f"target remote 127.0.0.1:{port}\n"
                "break start_kernel\n")
    return path


def port_in_use(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def listening(port):
    """Whether a socket listens on TCP @port (read from /proc/net/tcp, so
    that asking never races with QEMU binding the port)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    local, state = line.split()[1], line.split()[3]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        return True
        except (OSError, StopIteration, ValueError, IndexError):
            continue
    return False


def free_port():
    """A TCP port free on 127.0.0.1 right now (for graders running many gdbs)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- KVM ---------------------------------------------------------------------

def _probe_bios():
    """A 64 KiB "BIOS" whose reset vector counts ECX down from 2^26 and then
    writes 1 to port 0xf4: QEMU exits with status 3.  Real KVM runs it in
    well under a second; a software /dev/kvm takes far longer, or aborts."""
    code = bytes([
        0x66, 0xB9, 0x00, 0x00, 0x00, 0x04,	# mov ecx, 0x04000000
        0x66, 0x49,				# 1: dec ecx
        0x75, 0xFC,				# jnz 1b
        0xB0, 0x01,				# mov al, 1
        0xE6, 0xF4,				# out 0xf4, al
        0xF4,					# hlt
    ])
    image = bytearray(b"\xF4" * 0x10000)
    image[0xFFF0:0xFFF0 + len(code)] = code	# the reset vector, F000:FFF0
    return bytes(image)


def kvm_probe(timeout=5.0):
    """Run a tiny guest under -accel kvm -cpu max.  Returns (works, why)."""
    if not os.path.exists("/dev/kvm"):
        return False, "/dev/kvm does not exist"
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False, "/dev/kvm is not accessible to this user (group kvm?)"
    with tempfile.NamedTemporaryFile(prefix="kestrel-kvm-probe-", suffix=".bin") as f:
        f.write(_probe_bios())
        f.flush()
        argv = [QEMU, "-machine", "q35", "-cpu", "max", "-accel", "kvm",
                "-m", "64M", "-display", "none", "-nodefaults", "-no-reboot",
                "-bios", f.name] + DEBUG_EXIT
        start = time.monotonic()
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, f"a 2^26-iteration loop did not finish within {timeout:g}s"
        except OSError as e:
            return False, str(e)
        took = time.monotonic() - start
    if p.returncode != 3:
        err = (p.stderr.strip().splitlines() or ["no message"])[-1]
        return False, f"QEMU exited with status {p.returncode}: {err}"
    return True, f"probe guest ran in {took:.2f}s"


_accel = None


def accel(warn=sys.stderr):
    """'kvm' if KVM=1 and the probe works, else 'tcg' (warning if KVM=1)."""
    global _accel
    if _accel is None:
        _accel = "tcg"
        if os.environ.get("KVM", "") not in ("", "0"):
            works, why = kvm_probe()
            if works:
                _accel = "kvm"
            elif warn is not None:
                print(f"KVM=1: KVM does not work here ({why}); using TCG", file=warn)
    return _accel


if __name__ == "__main__":
    if sys.argv[1:] == ["--probe-kvm"]:
        works, why = kvm_probe()
        print(("works: " if works else "fails: ") + why)
        sys.exit(0 if works else 1)
    print("usage: kqemu.py --probe-kvm   (kqemu is a module; see scripts/qemu)",
          file=sys.stderr)
    sys.exit(2)
