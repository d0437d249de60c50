#!/bin/sh
# /init of the benchmark initramfs (user/build.mk packs it; busybox sh runs
# it as process 1).  The same image boots Linux and Kestrel; scripts/bench
# reads the console.  What it prints, one line each:
#
#	BENCH-INIT                      the first line: boot-to-init time ends here
#	BENCH-KERNEL Linux 6.1.0-...    uname -sr
#	BENCH-LIST fork_exec fork_exit ...   the programs it will run
#	BENCH name=... unit=... value=...    a program's figure (user/lib/bench.h)
#	BENCH-ERROR name=... why             a program's failure, from the program
#	BENCH-FAIL name=... run=R status=S   a program's non-zero exit (137: killed
#	                                     by the per-program timeout)
#	BENCH-DONE                      everything ran; the machine powers off
#
# Kernel command line (read from /proc/cmdline):
#	bench.runs=N      run every program N times (default 3), in N rounds
#	bench.timeout=S   kill a program after S seconds (default 60)
#	bench.time=S      seconds each measurement lasts (BENCH_TIME, default 1.5)
#	bench.only=a,b    run only these programs
export PATH=/sbin:/bin:/usr/sbin:/usr/bin

# Linux opens /dev/console for process 1 from its built-in initramfs; if
# there is none, mount devtmpfs and take the console from there.
if [ ! -c /dev/console ]; then
	mount -t devtmpfs devtmpfs /dev && exec </dev/console >/dev/console 2>&1
fi
echo BENCH-INIT

mount -t proc proc /proc
mount -t sysfs sysfs /sys
[ -c /dev/null ] || mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o size=256m tmpfs /tmp

# commas LIST — the items of a comma-separated LIST, separated by spaces.
# shellcheck disable=SC2086  # splitting at the commas is the point
commas() { (IFS=,; set -f; set -- $1; echo "$@"); }

runs=3
timeout=60
only=
# shellcheck disable=SC2013  # the command line is one line of words
for word in $(cat /proc/cmdline); do
	case $word in
	bench.runs=*)		runs=${word#*=} ;;
	bench.timeout=*)	timeout=${word#*=} ;;
	bench.time=*)		export BENCH_TIME="${word#*=}" ;;
	bench.only=*)		only=" $(commas "${word#*=}") " ;;
	esac
done

programs=
for p in /bench/*; do
	name=${p##*/}
	[ "$name" = init.sh ] && continue	# this script, in the rootfs image
	case $only in
	""|*" $name "*)	programs="$programs $name" ;;
	esac
done
echo "BENCH-KERNEL $(uname -sr)"
echo "BENCH-LIST$programs"

# The programs work in a tmpfs, as the current directory.
cd /tmp || echo "BENCH-NOTE no /tmp: the programs run in /"
round=1
while [ "$round" -le "$runs" ]; do
	for name in $programs; do
		timeout -s KILL "$timeout" "/bench/$name"
		status=$?
		[ "$status" -eq 0 ] || echo "BENCH-FAIL name=$name run=$round status=$status"
	done
	round=$((round + 1))
done
echo BENCH-DONE
poweroff -f
# A kernel without reboot(2): scripts/bench stops QEMU after BENCH-DONE.
while :; do sleep 3600; done
