"""busybox_cmds — the commands of the busybox acceptance suite, its fixture
tree, and every exception to "the same output as Linux" with its reason.

A command (C) is shell text typed at the busybox prompt, run in a fresh
copy of the fixture tree, in a subshell with stdin from /dev/null and
stderr joined to stdout (grade/bbshell.py).  It passes when Kestrel's
output and exit status equal those of the same busybox on the host's
Linux, after its normalisations (N: each says why it is needed).
Commands that need the terminal itself (^C, job control) are typed at the
prompt as steps and marked tty=True: their failures point at the terminal
layer (N_TTY, job control; docs/tty.md).  Commands that need a later
subsystem, or an applet Debian's busybox does not have, are listed with
skip= and reported as skipped, never as passed.
"""

import io
import lzma
import os
import re
import zipfile

# --- the sessions -------------------------------------------------------------

# The scratch root: a tmpfs on both sides (/dev/shm on Debian; the guest
# mounts one there if its rcS did not), so directory sizes and block counts
# are tmpfs's on both.
SCRATCH = "/dev/shm"

# The environment of the suite's shell on both sides (the guest execs
# `env -i … sh -i`, the host spawns busybox with it), plus KBB=<nonce>, by
# which the suite knows its own shell; PATH differs: the host's points at
# links to its busybox.
ENV = {"HOME": "/root", "TERM": "vt102", "TZ": "UTC", "PS1": "$ ", "PS2": "> "}
GUEST_PATH = "/bin:/sbin:/usr/bin:/usr/sbin"
GUEST_PREPARE = ("grep -q ' /dev/shm ' /proc/mounts || "
                 "{ mkdir -p /dev/shm; mount -t tmpfs tmpfs /dev/shm; }")

# Facts of each side, gathered once per session, for the FACTS
# normalisation: the host's name and its kernel's release and version.
FACTS_SCRIPT = "uname -n; uname -r; uname -v"


def parse_facts(out):
    lines = out.split("\n") + ["", "", ""]
    return {"hostname": lines[0], "release": lines[1], "version": lines[2]}


# --- the fixture tree ---------------------------------------------------------

FIXTURE_DATE = "2024-03-04 05:06:07"


def _xz_file():
    return lzma.compress(b"hello from xz\n", format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32)


def _zip_file():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("zipped.txt", (2023, 5, 6, 7, 8, 10)), "zipped text\n" * 3)
    return b.getvalue()


# (path, contents or None for a directory, mode); symlinks separately.
FIXTURE = [
    ("d", None, 0o755),
    ("d/sub", None, 0o755),
    ("d/sub/deep", None, 0o755),
    ("emptydir", None, 0o755),
    ("a.txt", b"alpha\nbeta\ngamma\ndelta\nepsilon\n", 0o644),
    ("nums.txt", b"10 apple 3\n2 banana 1\n33 cherry 2\n2 banana 1\n7 date 9\n100 elder 5\n", 0o644),
    ("words.txt", b"the quick brown fox\njumps over the lazy dog\nThe end\n", 0o644),
    ("csv.txt", b"id,name,score\n1,ann,90\n2,bob,85\n3,cid,77\n", 0o644),
    ("empty", b"", 0o644),
    ("exe.sh", b"#!/bin/sh\necho script ran with $# args: $*\nexit 7\n", 0o755),
    ("bin.dat", bytes(range(256)), 0o644),
    ("hello.xz", _xz_file(), 0o644),
    ("hello.zip", _zip_file(), 0o644),
    (".hidden", b"hidden\n", 0o600),
    ("d/one.txt", b"one\n", 0o644),
    ("d/two.log", b"two\n2\n", 0o644),
    ("d/sub/three.txt", b"three\nthree again\n", 0o644),
    ("d/sub/deep/four.c", b"int four = 4;\n", 0o644),
]
SYMLINKS = [("link", "a.txt"), ("d/uplink", "../a.txt"), ("dangling", "nowhere"), ("dlink", "d")]


def _printf_arg(data):
    """@data as a printf format in single quotes: safe characters as they
    are, newline as \\n, everything else as an octal escape."""
    out = []
    for b in data:
        c = chr(b)
        if c == "\n":
            out.append("\\n")
        elif c.isascii() and (c.isalnum() or c in " ,.:;_-#$*!=/"):
            out.append(c)
        else:
            out.append(f"\\{b:03o}")
    return "'" + "".join(out) + "'"


def mkfix_function():
    """The shell function `mkfix DIR`: makes DIR/w, builds the fixture tree
    in it and sets every time stamp to FIXTURE_DATE (DIR included)."""
    lines = ["mkfix() {", 'mkdir -p "$1/w" && cd "$1/w" || return']
    for path, data, mode in FIXTURE:
        if data is None:
            lines.append(f"mkdir {path}")
            continue
        chunks = [data[i:i + 24] for i in range(0, len(data), 24)] or [b""]
        lines.append(f"printf {_printf_arg(chunks[0])} > {path}")
        lines += [f"printf {_printf_arg(ch)} >> {path}" for ch in chunks[1:]]
    for path, target in SYMLINKS:
        lines.append(f"ln -s {target} {path}")
    lines.append("chmod " + "; chmod ".join(f"{mode:o} {p}" for p, d, mode in FIXTURE
                                            if mode not in (0o644, 0o755) or p == "exe.sh"))
    paths = [p for p, _, _ in reversed(FIXTURE)] + [p for p, _ in SYMLINKS]
    lines.append(f"touch -h -d '{FIXTURE_DATE}' {' '.join(paths)} . ..")
    lines.append("cd ../.. ; }")
    return "\n".join(lines)


# --- normalisations -----------------------------------------------------------

class N:
    """A normalisation: @fn(text, facts) -> text, and why it is needed."""

    def __init__(self, name, reason, fn):
        self.name = name
        self.reason = reason
        self.fn = fn


def _sub(pattern, repl, flags=re.M):
    rx = re.compile(pattern, flags)
    return lambda text, facts: rx.sub(repl, text)


def _facts(text, facts):
    for key in ("version", "release", "hostname"):
        if facts.get(key):
            text = text.replace(facts[key], f"<{key}>")
    return text


FACTS = N("facts", "host name, kernel release and version differ between the two "
          "machines and kernels by nature: replaced by <hostname>, <release>, <version>", _facts)
NOW = N("now", "files made by the command carry the current time, and the host and "
        "the guest run minutes apart: `ls -l` dates other than the fixture's become <now>",
        _sub(r"\b(?!Mar  4  2024)[A-Z][a-z]{2} [ 0-9]\d (?:\d\d:\d\d| \d{4})\b", "<now>"))
NOWSTAMP = N("now-stamp", "a time stamp of the current time (date, stat -c %y of a new "
             "file): digits become 9",
             _sub(r"\d", "9"))
DIGITS = N("digits", "sizes, counts and times of the machine itself (memory, uptime, "
           "load, free space, CPU time) differ: every number becomes <n> and runs of "
           "blanks one blank, so only the shape is compared",
           lambda t, f: re.sub(r"[ \t]+", " ", re.sub(r"\d+(?:\.\d+)?", "<n>", t)))
SORTED = N("sorted", "the order is unspecified (readdir order, POSIX readdir(3); or "
           "concurrent jobs): lines are compared sorted",
           lambda t, f: "\n".join(sorted(t.split("\n"))))
INODE = N("inode", "inode and device numbers are the file system's choice (and so is "
          "the padding that depends on their width; stat shows a device as hex, then "
          "decimal: 2dh/45d)",
          _sub(r"(Inode: |Device: )[ ]*[0-9a-f]+h/\d+d[ ]*|(Inode: |^)[ ]*\d+[a-z0-9/]*[ ]*",
               lambda m: (m.group(1) or m.group(2) or "") + "<n> "))
CTIME = N("ctime", "a file's change time cannot be set (utimensat sets only atime and "
          "mtime): it is when the fixture was made",
          _sub(r"^Change: .*$", "Change: <ctime>"))
PIDS = N("pids", "process ids differ: [job] pid lines and numbers after `pid ` become <pid>",
         _sub(r"(\[\d+\] |pid |PID )\d+", r"\1<pid>"))
PATHVAR = N("path", "PATH differs: the host's points at links to its busybox",
            _sub(r"^PATH=.*$", "PATH=<path>"))
TTYNAME = N("tty", "the terminal is a pty on the host and the serial console on Kestrel",
            _sub(r"/dev/(pts/\d+|ttyS\d+|console)", "<tty>"))
UPTIME = N("uptime", "how long each machine has been up: `up 2 days, 3:04,` and "
           "`up 5 min,` become `up <time>,`",
           _sub(r" up .*?,(?= +\d+ users?,)", " up <time>,"))
NONEMPTY = N("nonempty", "the kernel log is each kernel's own: compared is only that "
             "there is one (output replaced by `<log>` when not empty)",
             lambda t, f: "<log>" if t.strip() else "")


# --- commands -----------------------------------------------------------------

class C:
    def __init__(self, name, script=None, norms=(), skip=None, root=False, tty=False,
                 toplevel=False, steps=None, secs=None):
        self.name = name
        self.script = script
        self.norms = list(norms)
        self.skip = skip
        self.root = root		# the host must be root to produce the reference
        self.tty = tty
        self.toplevel = toplevel
        self.steps = steps
        self.secs = secs
        self.id = None

    def text(self):
        if self.script is not None:
            return self.script
        return " ".join(a if k == "type" else f"<^{a.upper()}>" if k == "ctrl" else f"<wait /{a}/>"
                        for k, a in self.steps).replace("\n", "⏎")


class Group:
    def __init__(self, name, title, cmds):
        self.name = name
        self.title = title
        self.cmds = cmds
        for c in cmds:
            c.id = f"{name}.{c.name}"


def skip_reason(c):
    if c.skip:
        return c.skip
    if c.root and os.geteuid() != 0:
        return "the host is not root, so Linux cannot give the reference (chown, mount)"
    return None


def normalise(c, out, facts):
    for n in c.norms:
        out = n.fn(out, facts)
    return out


NOT_BUILT_IN = "not built into Debian's busybox-static 1.35 (absent from `busybox --list`)"
NEEDS_DISK = "needs a disk driver and a disk file system (a later lab)"
NEEDS_NET = "needs a network device and stack (a later lab)"

FILES = Group("files", "files and directories", [
    C("ls", "ls -C"),
    C("ls-la", "ls -la"),
    C("ls-lR", "ls -lR d"),
    C("ls-ln-dir", "ls -lnd d emptydir dlink"),
    C("ls-1sort", "ls -1S; ls -1r"),
    C("ls-F", "ls -CAF"),
    C("ls-i", "ls -i a.txt", [INODE]),
    C("cp", "cp a.txt b.txt && cat b.txt && ls -l b.txt", [NOW]),
    C("cp-a", "cp -a d e && ls -laR e", [NOW]),
    C("cp-r", "cp -r d e2 && find e2 | sort"),
    C("cp-err", "cp nothere x; echo $?; cp d x"),
    C("mv", "mv a.txt moved.txt && ls -C && cat moved.txt"),
    C("mv-dir", "mv d dd && ls -CR dd"),
    C("mv-onto", "mv words.txt csv.txt && cat csv.txt && ls -C"),
    C("rm-r", "rm -r d && ls -C"),
    C("rm-f", "rm -rf d nothere; echo $?; rm nothere; echo $?"),
    C("rm-dir", "rm emptydir; rmdir emptydir && ls -d emptydir"),
    C("mkdir-p", "mkdir -p x/y/z && find x | sort && mkdir x; echo $?"),
    C("mkdir-m", "mkdir -m 700 m && ls -ld m", [NOW]),
    C("ln-s", "ln -s a.txt s && readlink s && cat s && ls -l s", [NOW]),
    C("ln-hard", "ln a.txt h && ls -l a.txt h && echo more >> h && cat a.txt"),
    C("ln-sf", "ln -sf d/one.txt link && readlink link && cat link"),
    C("find", "find . | sort"),
    C("find-name", "find . -name '*.txt' | sort"),
    C("find-type", "find . -type d | sort; find . -type l | sort"),
    C("find-maxdepth", "find d -maxdepth 1 | sort"),
    C("find-exec", "find . -name '*.c' -exec cat {} \\;"),
    C("find-perm", "find . -type f -perm 755"),
    C("find-empty", "find . -empty | sort"),
    C("find-or", "find d \\( -name '*.log' -o -name '*.c' \\) | sort"),
    C("find-newer", "touch -d '2025-01-01' a.txt && find . -newer nums.txt"),
    C("find-size", "find . -type f -size +1k"),
    C("find-mtime", "find . -type f -mtime +30 | sort"),
    C("du", "du -s d; du -a d | sort -k2"),
    C("df", "df -P . | awk 'NR>1 {print $1, $6}'"),
    C("df-shape", "df -k .", [DIGITS]),
    C("stat-c", "stat -c '%n %s %F %a %A %U %G %h' a.txt d link empty exe.sh"),
    C("stat-times", "stat -c '%y %Y %n' a.txt d"),
    C("stat", "stat a.txt", [INODE, CTIME]),
    C("stat-L", "stat -L -c '%n %F %s' link dlink"),
    C("stat-f", "stat -f -c '%T %b' . | cut -d' ' -f1"),
    C("touch-d", "touch -d '2020-01-02 03:04:05' a.txt && stat -c '%y' a.txt"),
    C("touch-t", "touch -t 202001020304.05 f && stat -c '%Y %s' f"),
    C("touch-r", "touch -r a.txt new && stat -c %Y new; touch -c nothere; ls nothere"),
    C("chmod", "chmod 600 a.txt && ls -l a.txt"),
    C("chmod-R", "chmod -R go-rwx d && ls -lR d"),
    C("chmod-sym", "chmod u+x,g=r,o= a.txt && stat -c %A a.txt; chmod 4755 exe.sh; stat -c %A exe.sh"),
    C("chmod-err", "chmod 999 a.txt; echo $?; chmod 644 nothere"),
    C("chown", "chown 1234:5678 a.txt && ls -ln a.txt", root=True),
    C("chown-R", "chown -R 42:43 d && ls -lnR d", root=True),
    C("chown-h", "chown -h 7 link && ls -ln link && chgrp 99 a.txt && stat -c '%u %g' a.txt a.txt",
      root=True),
    C("readlink-f", "readlink -f link; readlink -f d/uplink; readlink -f d/sub/../one.txt"),
    C("readlink-dangling", "readlink dangling; readlink -f dangling; echo $?; readlink a.txt; echo $?"),
    C("realpath", "realpath link d/sub/.. dlink/sub; realpath nothere/x; echo $?"),
    C("pwd", "cd dlink/sub && pwd && pwd -P"),
    C("basename", "basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname c"),
    C("truncate", "truncate -s 100 f && wc -c f && truncate -s 10 a.txt && cat a.txt"),
    C("dd", "dd if=bin.dat of=x bs=16 count=2 skip=1 2>/dev/null; od -An -tx1 x"),
    C("mkfifo", "mkfifo p && stat -c '%F %a' p"),
    C("test-files", "[ -f a.txt ] && [ -d d ] && [ -L link ] && [ -x exe.sh ] && [ -s a.txt ] "
      "&& [ ! -s empty ] && [ a.txt -ef link ] && echo all true"),
])

TEXT = Group("text", "text utilities", [
    C("cat", "cat a.txt words.txt"),
    C("cat-n", "cat -n a.txt"),
    C("cat-err", "cat nothere; echo $?"),
    C("cat-stdin", "cat - a.txt < words.txt"),
    C("head", "head -n 2 a.txt; head -c 10 words.txt; echo"),
    C("head-multi", "head -n 1 a.txt words.txt"),
    C("tail", "tail -n 2 a.txt; tail -n +4 a.txt; tail -c 5 a.txt"),
    C("sort", "sort nums.txt"),
    C("sort-n", "sort -n nums.txt"),
    C("sort-nk", "sort -n -k3 nums.txt"),
    C("sort-kr", "sort -k2,2 -r nums.txt"),
    C("sort-u", "sort -u nums.txt"),
    C("sort-t", "sort -t, -k3 -n csv.txt"),
    C("uniq-c", "sort nums.txt | uniq -c"),
    C("uniq-du", "sort nums.txt | uniq -d; sort nums.txt | uniq -u"),
    C("wc", "wc a.txt; wc -l a.txt nums.txt words.txt; wc -c bin.dat; wc -w words.txt"),
    C("grep-E", "grep -E 'a(l|p)' a.txt nums.txt"),
    C("grep-r", "grep -r one d | sort"),
    C("grep-Ern", "grep -E -r -n 'e+' d | sort"),
    C("grep-i-v-c", "grep -i the words.txt; grep -v a a.txt; grep -c a a.txt"),
    C("grep-l-w-o", "grep -l an *.txt; grep -w the words.txt; grep -o '[0-9]*' nums.txt"),
    C("grep-status", "grep nomatch a.txt; echo $?; grep -q alpha a.txt; echo $?; grep x nothere; echo $?"),
    C("grep-F", "grep -F '.' csv.txt; grep -F -x beta a.txt"),
    C("sed-p", "sed -n 2,3p a.txt"),
    C("sed-s", "sed 's/a/A/g' a.txt"),
    C("sed-i", "sed -i 's/beta/BETA/' a.txt && cat a.txt"),
    C("sed-i-bak", "sed -i.bak -e 1d a.txt && ls -C a.txt* && cat a.txt a.txt.bak"),
    C("sed-E", "sed -E 's/([a-z]+) ([a-z]+)/\\2 \\1/' words.txt"),
    C("sed-misc", "sed = a.txt | sed 'N;s/\\n/ /'; sed y/abc/xyz/ a.txt; sed '/gamma/,$d' a.txt"),
    C("awk-print", "awk '{print $2}' nums.txt"),
    C("awk-sum", "awk '{s+=$1} END {print s, NR}' nums.txt"),
    C("awk-F", "awk -F, 'NR>1 && $3>80 {print $2}' csv.txt"),
    C("awk-arrays", "awk '{a[$2]++} END {for (k in a) print k, a[k]}' nums.txt | sort"),
    C("awk-printf", "awk 'BEGIN {printf \"%05.2f %x %s %c\\n\", 3.14159, 255, "
      "substr(\"kestrel\", 2, 3), 65}'"),
    C("awk-funcs", "awk '{n=split($0,p,\" \"); gsub(/o/,\"0\"); print n, toupper($1), length($0), $0}' words.txt"),
    C("awk-math", "awk 'BEGIN {for (i=1; i<=5; i++) s=s i; print s, 2^10, int(7/2), 7%3, "
      "sqrt(16), index(\"abc\",\"c\")}'"),
    C("awk-range", "awk -v x=5 '/^b/,/^d/ {print x*NR, $0}' a.txt"),
    C("cut", "cut -d, -f2 csv.txt; cut -c1-3 a.txt; cut -d' ' -f1,3 nums.txt"),
    C("tr", "tr a-z A-Z < a.txt; tr -d aeiou < words.txt; echo 'a   b  c' | tr -s ' '; "
      "echo hello | tr -c 'l\\n' x"),
    C("diff-u", "sed 's/gamma/GAMMA/' a.txt > b.txt && touch -d '2024-03-04 05:06:07' b.txt && "
      "diff -u a.txt b.txt; echo $?"),
    C("diff-same", "diff a.txt link; echo $?; diff -r d d; echo $?"),
    C("cmp", "cmp a.txt link; echo $?; cmp a.txt words.txt; echo $?; cmp -l a.txt nums.txt > o 2>&1; "
      "echo $?; head -n 3 o; tail -n 1 o"),
    C("md5sum", "md5sum a.txt bin.dat empty"),
    C("sha256sum", "sha256sum *.txt bin.dat"),
    C("sha1-sha512", "sha1sum a.txt; sha512sum a.txt"),
    C("md5sum-c", "md5sum a.txt words.txt > sums && md5sum -c sums; echo x >> a.txt; md5sum -c sums; echo $?"),
    C("xargs", "find d -type f | sort | xargs cat"),
    C("xargs-n", "echo a b c d e | xargs -n 2 echo"),
    C("xargs-I", "printf '1\\n2\\n3\\n' | xargs -I{} echo item {}"),
    C("xargs-0", "printf 'x y\\0z\\0' | xargs -0 -n 1 echo"),
    C("printf", "printf '%5s|%-5s|%05d|%x|%o|%e|%c\\n' ab cd 42 255 8 1234.5 hello"),
    C("printf-b", "printf '%s\\n' a b c; printf '%b' 'tab\\there\\n'; printf '%d%%\\n' 50"),
    C("od-c", "od -c a.txt"),
    C("od-x", "od -An -tx1 bin.dat | head -3; od -x bin.dat | tail -2; od -b -N 16 bin.dat"),
    C("hexdump", "hexdump -C bin.dat | head -5; hexdump -C a.txt"),
    C("xxd", "xxd bin.dat | tail -2"),
    C("nl-rev-tac", "nl a.txt; rev a.txt; tac a.txt"),
    C("paste-fold", "paste a.txt nums.txt; fold -w 7 words.txt"),
    C("seq", "seq 5; seq 2 3 11; seq -s, 1 5"),
    C("base64", "base64 a.txt; base64 a.txt | base64 -d"),
    C("strings", "strings -n 3 bin.dat; strings exe.sh"),
    C("tee", "echo teed | tee t1 t2 && cat t1 t2"),
    C("expr", "expr 6 \\* 7; expr length kestrel; expr abc : 'a\\(.\\)'"),
])

ARCHIVES = Group("archives", "archives and compression", [
    C("tar-ct", "tar cf a.tar d && tar tf a.tar", [SORTED]),
    C("tar-tv", "tar cf a.tar d && tar tvf a.tar", [SORTED]),
    C("tar-x", "tar cf a.tar d && mkdir out && tar xf a.tar -C out && ls -laR out", [NOW]),
    C("tar-pipe", "tar cf - d | (cd emptydir && tar xf -) && find emptydir | sort && cat emptydir/d/sub/three.txt"),
    C("tar-z", "tar czf a.tgz d a.txt && tar tzf a.tgz", [SORTED]),
    C("tar-zx", "tar czf a.tgz d a.txt && mkdir x && tar xzf a.tgz -C x && diff -r d x/d && echo same"),
    C("tar-j", "tar cjf a.tbz d && tar tjvf a.tbz", [SORTED]),
    C("tar-err", "tar xf nothere.tar; echo $?; tar tf a.txt; echo $?"),
    C("gzip-c", "gzip -c a.txt > a.gz && gunzip -c a.gz && gzip -c a.txt | md5sum"),
    C("gzip-file", "gzip a.txt && ls -C && gunzip a.txt.gz && cat a.txt"),
    C("gzip-9", "gzip -9 -c bin.dat | md5sum; gzip -1 -c words.txt | wc -c"),
    C("gzip-t", "gzip -c a.txt > a.gz && gzip -t a.gz && echo ok; zcat a.gz | head -2"),
    C("gunzip-bad", "gunzip -c a.txt; echo $?"),
    C("bzip2", "bzip2 -c a.txt | bunzip2 -c && bzip2 -c bin.dat | md5sum"),
    C("bzip2-k", "bzip2 -k a.txt && ls -C a.txt* && bzcat a.txt.bz2 | tail -1"),
    C("xz-d", "xz -dc hello.xz; xzcat hello.xz; unxz hello.xz && cat hello && ls -C hello*"),
    C("xz-c", "xz -c a.txt", skip="busybox's xz only decompresses (`xz -d` is all it has)"),
    C("unzip", "unzip -l hello.zip; unzip -p hello.zip zipped.txt | head -1; unzip -q hello.zip && cat zipped.txt"),
    C("cpio", "find d | sort | cpio -o -H newc 2>/dev/null | cpio -it 2>&1"),
    C("cpio-x", "find d | cpio -o -H newc > a.cpio && mkdir x && cd x && cpio -id < ../a.cpio && "
      "find . | sort && cat d/one.txt"),
    C("uuencode", "uuencode a.txt a.txt | uudecode -o out && cmp a.txt out && echo same"),
])

SHELL = Group("shell", "the shell", [
    C("pipeline", "cat a.txt | grep a | wc -l"),
    C("pipe-read", "echo hi there | (read x y; echo got $y $x)"),
    C("pipe-status", "false | true; echo $?; true | false; echo $?"),
    C("pipefail", "set -o pipefail; false | true; echo $?"),
    C("redir-out", "echo one > f; echo two >> f; cat f; : > f; wc -c < f"),
    C("redir-err", "ls nothere 2> err; echo $?; cat err"),
    C("redir-fd", "exec 3> g; echo three >&3; exec 3>&-; cat g; { echo out; echo err >&2; } 2>&1 >/dev/null"),
    C("redir-in", "cat < a.txt > c && cat c; while read l; do echo \"[$l]\"; done < words.txt"),
    C("heredoc", "cat <<EOF\nhome $HOME sum $((1+2))\n  indented\nEOF"),
    C("heredoc-quoted", "cat <<'EOF'\n$HOME $(echo no) `x`\nEOF"),
    C("heredoc-pipe", "sort <<EOF | head -2\nzeta\nalpha\nmid\nEOF"),
    C("subshell", "(cd d; pwd; x=2); pwd; x=1; (x=3); echo $x; (exit 3); echo $?"),
    C("cmdsubst", "echo \"$(echo a $(echo b))\"; n=$(wc -l < a.txt); echo $((n*2)); echo `echo back`"),
    C("arith", "echo $((7*6)) $((2**10)) $((17/5)) $((17%5)) $((1<<4)) $((0x1f)) $((-3+1)) "
      "$(( (3>2) && (1||0) ))"),
    C("arith-vars", "i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i; : $((j=i*3)); echo $j"),
    C("functions", "f() { echo \"f:$1:$#\"; return 4; }; f a b; echo $?"),
    C("recursion", "fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; "
      "fact 6"),
    C("local", "g() { local v=in; echo $v; }; v=out; g; echo $v"),
    C("trap-exit", "trap 'echo bye' EXIT; echo main"),
    C("trap-signal", "sh -c 'trap \"echo caught USR1\" USR1; kill -USR1 $$; echo after'"),
    C("trap-list", "trap 'echo x' HUP; trap"),
    C("trap-int", "sh -c 'trap \"echo int; exit 5\" INT; kill -INT $$; echo not here'; echo $?"),
    C("wait", "sleep 0.2 & wait $!; echo $?; (exit 5) & wait $!; echo $?"),
    C("wait-killed", "sh -c 'kill -9 $$' & wait $!; echo $?"),
    C("bg-jobs", "for i in 1 2 3; do (echo job$i) & done; wait", [SORTED]),
    C("bg-kill", "sleep 5 & p=$!; kill $p; wait $p; echo $?"),
    C("set-e", "set -e; false; echo not reached"),
    C("set-e-or", "set -e; false || true; if false; then :; fi; echo reached"),
    C("set-u", "set -u; echo ${undefined_var}; echo not reached"),
    C("set-x", "set -x; echo traced; set +x"),
    C("status", "true; echo $?; false; echo $?; ! true; echo $?; sh -c 'exit 42'; echo $?"),
    C("not-found", "nothere_cmd; echo $?"),
    C("not-exec", "./a.txt; echo $?"),
    C("script", "./exe.sh one two; echo $?; sh exe.sh x; echo $?"),
    C("test", "[ 3 -gt 2 -a a = a ]; echo $?; test -z ''; echo $?; [ abc \\< abd ]; echo $?; "
      "[ -n '' ]; echo $?"),
    C("for-glob", "for f in *.txt; do echo $f; done; echo d/*; echo *.nomatch"),
    C("case", "for w in foo bar baz; do case $w in f*) echo F;; ba[r]) echo R;; *) echo other;; esac; done"),
    C("while-read", "while read n name k; do echo \"$name=$n\"; done < nums.txt"),
    C("ifs", "IFS=,; set -- x,y,z; echo $2 $#"),
    C("params", "v=hello.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${#v} ${v:-d} ${u:-def} ${v/l/L} ${v:1:3}"),
    C("eval-shift", "set -- a b c; shift; echo $@; eval 'echo $1'; x='y=5'; eval $x; echo $y"),
    C("getopts", "set -- -a -b val rest; while getopts ab: o; do echo $o $OPTARG; done; shift $((OPTIND-1)); echo $@"),
    C("export", "export FOO=bar; sh -c 'echo $FOO'; unset FOO; sh -c 'echo ${FOO:-unset}'"),
    C("type", "type cd; type echo; type mkfix | head -1"),
    C("alias", "alias ll='ls -l'; alias ll"),
    C("sh-c", "sh -c 'echo $0 $1 $2' zero one two"),
    C("dollar-dollar", "sh -c 'echo $$ > pid; cat /proc/$$/stat | cut -d\" \" -f1 > pid2'; cmp pid pid2 && echo same"),
])

PROCESSES = Group("processes", "processes and signals", [
    C("ps-header", "ps | head -n 1"),
    C("ps-own", "sleep 3 & p=$!; until grep -q sleep /proc/$p/cmdline; do usleep 10000; done; "
      "ps -o stat,args | grep '[s]leep 3'; kill $p"),
    C("ps-comm", "sh -c 'ps -o pid,ppid,comm | awk -v p=$$ \"\\$1 == p {print \\\"self\\\", \\$3}\"'"),
    C("kill", "sleep 10 & kill $!; wait $!; echo $?"),
    C("kill-sig", "sleep 10 & kill -s HUP $!; wait $!; echo $?; sleep 10 & kill -9 $!; wait $!; echo $?"),
    C("kill-l", "kill -l 9; kill -l 15; kill -l | head -n 3"),
    C("kill-0", "kill -0 $$; echo $?; kill -9 999999; echo $?"),
    C("sleep", "sleep 0.2; echo $?; sleep abc; echo $?"),
    C("timeout", "timeout 1 sleep 5; echo $?; timeout 5 echo fast; echo $?"),
    C("timeout-s", "timeout -s KILL 1 sleep 5; echo $?"),
    C("nice", "nice -n 5 sh -c 'echo hi'", skip=NOT_BUILT_IN),
    C("nohup", "nohup echo hi", skip=NOT_BUILT_IN),
    C("renice", "sh -c 'renice -n 3 -p $$ >/dev/null; cut -d\" \" -f19 /proc/$$/stat'"),
    C("time", "time sleep 0.1", [DIGITS]),
    C("setsid", "setsid sh -c 'cut -d\" \" -f6 /proc/$$/stat > sid; echo $$ > me'; sleep 0.5; cmp sid me && echo leader"),
    C("yes-head", "yes | head -n 3; yes abc | head -c 10; echo"),
    C("sigpipe", "seq 100000 | head -n 2; echo ${PIPESTATUS:-n/a}"),
    C("proc-self-cmdline", "cat /proc/self/cmdline | tr '\\0' ' '; echo"),
    C("proc-self-fd", "ls -C /proc/self/fd", tty=True),
    C("proc-self-status", "grep -E '^(Name|State|Uid|Gid):' /proc/self/status"),
    C("proc-self-stat", "cut -d' ' -f2,3 /proc/self/stat"),
    C("exit-signal", "sh -c 'kill -TERM $$'; echo $?; sh -c 'kill -SEGV $$'; echo $?"),
    C("usleep", "usleep 1000; echo $?"),
    C("pidof", "pidof init", skip="the host's init is not busybox's and other helpers' "
      "processes show up in the host's list: no common reference"),
])

SYSTEM = Group("system", "system information", [
    C("uname", "uname -s; uname -m; uname -o"),
    C("uname-a", "uname -a", [FACTS]),
    C("uname-r", "uname -r", [FACTS]),
    C("date-fixed", "date -d @1700000000; date -u -d '2024-02-29 12:00:00' +%s; date -d '2024-01-01' '+%A %j %U %Z'"),
    C("date", "date", [NOWSTAMP]),
    C("date-R", "date -R; date -I", [NOWSTAMP]),
    C("uptime", "uptime", [UPTIME, DIGITS]),
    C("free", "free", [DIGITS]),
    C("free-m", "free -m | head -n 1", [DIGITS]),
    C("dmesg", "dmesg", [NONEMPTY]),
    C("mount-shm", "mount | grep ' /dev/shm ' | cut -d' ' -f1-5 | uniq"),
    C("mount-tmpfs", "mkdir m && mount -t tmpfs tmpfs m && echo hi > m/f && cat m/f && "
      "grep -c \" $PWD/m \" /proc/mounts && umount m && ls m", root=True),
    C("hostname", "[ \"$(hostname)\" = \"$(uname -n)\" ] && echo same; "
      "[ \"$(cat /proc/sys/kernel/hostname)\" = \"$(hostname)\" ] && echo same"),
    C("id", "id; id -u; id -g; id -un; whoami"),
    C("env", "env | sort", [PATHVAR]),
    C("env-i", "env -i A=1 B=2 env; env -u HOME sh -c 'echo ${HOME:-nohome}'"),
    C("proc-version", "cut -d' ' -f1,2,3 /proc/version", [FACTS]),
    C("proc-ostype", "cat /proc/sys/kernel/ostype"),
    C("proc-mounts", "grep ' /dev/shm ' /proc/mounts | cut -d' ' -f1-3 | uniq"),
    C("proc-filesystems", "grep -w tmpfs /proc/filesystems"),
    C("proc-meminfo", "head -n 3 /proc/meminfo", [DIGITS]),
    C("proc-loadavg", "cat /proc/loadavg", [DIGITS]),
    C("proc-uptime", "cat /proc/uptime", [DIGITS]),
    C("proc-stat", "head -n 1 /proc/stat | cut -d' ' -f1"),
    C("tty", "tty; echo $?"),
    C("sysctl", "sysctl kernel.ostype"),
    C("ifconfig", "ifconfig lo", skip=NEEDS_NET),
    C("ping", "ping -c 1 127.0.0.1", skip=NEEDS_NET),
    C("fdisk", "fdisk -l /dev/vda", skip=NEEDS_DISK),
    C("mount-disk", "mount /dev/vda /mnt", skip=NEEDS_DISK),
])

TTY = Group("tty", "the terminal: ^C, ^D, job control", [
    C("ls-columns", "ls", tty=True),
    C("tail-f-intr", steps=[("type", "tail -f a.txt\n"), ("wait", r"^epsilon$"), ("ctrl", "c")], tty=True),
    C("cat-eof", steps=[("type", "cat\n"), ("type", "typed line\n"), ("wait", r"^typed line\n(.|\n)*typed line$"),
                        ("ctrl", "d")], tty=True),
    C("sleep-intr", steps=[("type", "sleep 30; echo after $?\n"), ("wait", r"sleep 30"), ("ctrl", "c")],
      tty=True, secs=15),
    C("pipeline-intr", steps=[("type", "cat /dev/zero | tr -d '\\000' | wc -c\n"), ("wait", r"wc -c"),
                              ("ctrl", "c"), ("type", "echo still here\n"), ("wait", r"^still here$")],
      tty=True),
    C("read", steps=[("type", "read x; echo \"[$x]\"\n"), ("type", "typed text\n"),
                     ("wait", r"^\[typed text\]$")], tty=True),
    C("jobs", steps=[("type", "sleep 30 &\n"), ("type", "jobs\n"), ("wait", r"Running"),
                     ("type", "kill %1; wait\n"), ("wait", r"Terminated")], norms=[PIDS], tty=True),
    C("ctrl-z", steps=[("type", "sleep 30\n"), ("wait", r"sleep 30"), ("ctrl", "z"),
                       ("wait", r"Stopped"), ("type", "kill %1; fg\n"), ("wait", r"Terminated")],
      norms=[PIDS], tty=True),
    C("tty-name", steps=[("type", "tty; echo $?\n"), ("wait", r"^\d+$")], norms=[TTYNAME], tty=True),
    C("stty", "stty -a < /dev/tty | grep -o 'icanon\\|-icanon\\|echo ' | head -n 2", tty=True),
])

GROUPS = [FILES, TEXT, ARCHIVES, SHELL, PROCESSES, SYSTEM, TTY]
