/*
 * exechelper — a program other tests execve() into, one job per first
 * argument; it prints no KTAP (the test that ran it reports):
 *
 *	argecho ARGS…        print "ARGECHO i arg" for each argument and
 *	                     exit with argc
 *	expect-pid PID       exit 0 if getpid() is PID (exec keeps the pid,
 *	                     also from a non-leader thread), 1 if not
 *	mainexit             the main thread ends first (pthread_exit); a
 *	                     second thread runs on and ends the process with
 *	                     exit(77)
 *
 * A freshly exec'd program, unlike a forked child, has its thread-list
 * lock released by the kernel when the main thread exits (musl points
 * set_tid_address at it at start-up), so mainexit works only here.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void *finish_later(void *arg)
{
	struct timespec ts = { 0, 50 * 1000000 };

	(void)arg;
	nanosleep(&ts, NULL);
	exit(77);	/* the process lived on without its main thread */
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "argecho")) {
		for (int i = 0; i < argc; i++)
			printf("ARGECHO %d %s\n", i, argv[i]);
		return argc;
	}
	if (argc > 2 && !strcmp(argv[1], "expect-pid"))
		return getpid() == atoi(argv[2]) ? 0 : 1;
	if (argc > 1 && !strcmp(argv[1], "mainexit")) {
		pthread_t th;

		pthread_create(&th, NULL, finish_later, NULL);
		pthread_exit(NULL);
	}
	fprintf(stderr, "exechelper: unknown job\n");
	return 100;
}
