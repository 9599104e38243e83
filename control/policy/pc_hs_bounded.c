/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pc_hs_build() with a time and memory bound (pc_hs.h). Hyperscan's compile cannot be
 * interrupted, and a few regexes with large bounded repeats keep it busy for minutes
 * ("(x(ab|cd){255}|e){255}f": 46 s, then refused), so the compile runs in a child process:
 * the parent waits at most the time bound and kills it, and the child's address space is
 * capped so that an allocation failure is Hyperscan's error, not the OOM killer's. The
 * databases come back serialized through a pipe and are deserialized here.
 *
 * fork() suits a single-threaded caller (guardctl); a threaded one must call this from a
 * helper process of its own.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pc_hs.h"

/* What the child sends before the two serialized databases. */
struct reply {
	int32_t rc;
	int32_t bad;
	uint64_t len[2];
	char why[256];
};

static int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void __attribute__((noreturn))
child(int fd, const struct insp_pattern *pats, uint32_t n, const char *strings,
      const hs_platform_info_t *plat, size_t max_bytes)
{
	hs_database_t *db[2] = {NULL, NULL};
	char *ser[2] = {NULL, NULL};
	struct reply r;
	int bad = -1;

	memset(&r, 0, sizeof(r));
#ifndef __SANITIZE_ADDRESS__ /* ASan reserves terabytes of address space up front */
	if (max_bytes != 0) {
		struct rlimit rl = {max_bytes, max_bytes};

		setrlimit(RLIMIT_AS, &rl);
	}
#else
	(void)max_bytes;
#endif
	r.rc = pc_hs_build(pats, n, strings, plat, &db[0], &db[1], &bad, r.why, sizeof(r.why));
	r.bad = bad;
	for (int i = 0; r.rc == 0 && i < 2; i++) {
		size_t len = 0;

		if (db[i] != NULL && hs_serialize_database(db[i], &ser[i], &len) != HS_SUCCESS) {
			r.rc = -1;
			snprintf(r.why, sizeof(r.why), "Unable to allocate memory (serializing)");
		}
		r.len[i] = len;
	}
	if (r.rc != 0)
		r.len[0] = r.len[1] = 0;
	if (write_all(fd, &r, sizeof(r)) != 0 ||
	    (r.len[0] != 0 && write_all(fd, ser[0], r.len[0]) != 0) ||
	    (r.len[1] != 0 && write_all(fd, ser[1], r.len[1]) != 0))
		_exit(3);
	_exit(0);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read everything the child writes, until EOF or the deadline. -1 on timeout or error. */
static int
read_reply(int fd, double deadline, char **buf, size_t *len)
{
	size_t cap = 1 << 16;
	char *b = malloc(cap);

	*len = 0;
	if (b == NULL)
		return -1;
	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		double left = deadline - now_s();
		ssize_t got;
		int pr;

		if (left <= 0) {
			free(b);
			return -2;
		}
		pr = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0) {
			free(b);
			return -1;
		}
		if (pr == 0)
			continue; /* the deadline check above ends it */
		if (*len == cap) {
			char *nb = realloc(b, cap * 2);

			if (nb == NULL) {
				free(b);
				return -1;
			}
			b = nb;
			cap *= 2;
		}
		got = read(fd, b + *len, cap - *len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(b);
			return -1;
		}
		if (got == 0)
			break;
		*len += (size_t)got;
	}
	*buf = b;
	return 0;
}

int
pc_hs_build_bounded(const struct insp_pattern *pats, uint32_t n, const char *strings,
		    const hs_platform_info_t *plat, const struct pc_hs_bounds *bounds,
		    hs_database_t **regex_db, hs_database_t **lit_db, int *bad_index, char *why,
		    size_t why_len)
{
	int fds[2], status = 0, rc;
	char *buf = NULL;
	size_t len = 0;
	struct reply r;
	pid_t pid;

	*regex_db = *lit_db = NULL;
	*bad_index = -1;
	if (bounds == NULL || bounds->seconds == 0)
		return pc_hs_build(pats, n, strings, plat, regex_db, lit_db, bad_index, why,
				   why_len);
	if (pipe(fds) != 0) {
		snprintf(why, why_len, "cannot start the Hyperscan compile: %s", strerror(errno));
		return -1;
	}
	fflush(NULL); /* nothing buffered may be written twice */
	pid = fork();
	if (pid < 0) {
		snprintf(why, why_len, "cannot start the Hyperscan compile: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], pats, n, strings, plat, bounds->max_bytes);
	}
	close(fds[1]);
	rc = read_reply(fds[0], now_s() + bounds->seconds, &buf, &len);
	close(fds[0]);
	if (rc == -2)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == -2) {
		snprintf(why, why_len,
			 "Hyperscan did not finish within %u s (the compile time bound); a regex "
			 "with large bounded repeats, such as '(ab|cd){200,300}', is the usual "
			 "cause",
			 bounds->seconds);
		return -1;
	}
	if (rc != 0 || len < sizeof(r) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, why_len, "the Hyperscan compile process failed (%s %d)",
			 WIFSIGNALED(status) ? "signal" : "status",
			 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		free(buf);
		return -1;
	}
	memcpy(&r, buf, sizeof(r));
	r.why[sizeof(r.why) - 1] = '\0';
	if (r.rc != 0 || r.len[0] + r.len[1] != len - sizeof(r)) {
		snprintf(why, why_len, "%s",
			 r.rc != 0 ? r.why : "the Hyperscan compile process sent a short reply");
		*bad_index = r.rc != 0 ? r.bad : -1;
		free(buf);
		return -1;
	}
	hs_database_t **out[2] = {regex_db, lit_db};
	size_t off = sizeof(r);

	for (int i = 0; i < 2; i++) {
		if (r.len[i] != 0 &&
		    hs_deserialize_database(buf + off, r.len[i], out[i]) != HS_SUCCESS) {
			snprintf(why, why_len, "cannot take over the compiled database");
			hs_free_database(*regex_db);
			*regex_db = NULL;
			free(buf);
			return -1;
		}
		off += r.len[i];
	}
	free(buf);
	return 0;
}
