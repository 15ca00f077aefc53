/* SPDX-License-Identifier: ISC */
/*
 * A workload for the limits integration tests, so that they need nothing
 * beyond the build:
 *   threads N    start N threads that wait; print "ready"; live until killed
 *   alloc MB     touch MB MiB of memory, 1 MiB at a time; exit 0 when done
 *   spin         burn one core until killed
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void *
wait_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int
threads(long n)
{
	pthread_t t;
	long i;

	for (i = 0; i < n; i++) {
		if (pthread_create(&t, NULL, wait_forever, NULL) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

static int
alloc(long mb)
{
	const size_t step = 1024 * 1024;
	char *p;
	long i;

	p = mmap(NULL, (size_t)mb * step, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* Touch every page, 1 MiB at a time, so that it is charged. */
	for (i = 0; i < mb; i++)
		memset(p + (size_t)i * step, 0x5a, step);
	printf("allocated %ld MiB\n", mb);
	return munmap(p, (size_t)mb * step) == 0 ? 0 : 1;
}

static int
spin(void)
{
	volatile unsigned long x = 0;

	for (;;)
		x++;
	return 0;
}

int
main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;

	if (argc >= 2 && strcmp(argv[1], "threads") == 0 && n > 0)
		return threads(n);
	if (argc >= 2 && strcmp(argv[1], "alloc") == 0 && n > 0)
		return alloc(n);
	if (argc >= 2 && strcmp(argv[1], "spin") == 0)
		return spin();
	fprintf(stderr, "usage: %s threads N | alloc MB | spin\n", argv[0]);
	return 2;
}
