/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policy and term files from disk (pc_policy.h). Regular files only: a FIFO named as a
 * policy or term file would otherwise block the compiler (and the operator's shell) until
 * someone writes to it, and a device could be endless. The size is bounded before reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pc_policy.h"

static void
set_why(char *why, size_t why_len, const char *text)
{
	if (why != NULL && why_len > 0)
		snprintf(why, why_len, "%s", text);
}

int
pc_file_read(const char *path, char **text, size_t *len, int64_t *mtime, char *why, size_t why_len,
	     void *ctx)
{
	size_t max = ctx != NULL ? *(const size_t *)ctx : PC_TERM_FILE_MAX_BYTES, got = 0;
	struct stat st;
	char *buf;
	int fd;

	*text = NULL;
	*len = 0;
	if (mtime != NULL)
		*mtime = 0;
	/* O_NONBLOCK so that opening a FIFO returns at once; fstat then refuses it */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		set_why(why, why_len, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		set_why(why, why_len, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		set_why(why, why_len,
			S_ISDIR(st.st_mode) ? "a directory, not a file"
					    : "not a regular file (a FIFO, socket or device)");
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		char msg[96];

		snprintf(msg, sizeof(msg), "%lld bytes, larger than the limit of %zu bytes",
			 (long long)st.st_size, max);
		set_why(why, why_len, msg);
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		set_why(why, why_len, strerror(ENOMEM));
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			set_why(why, why_len,
				n < 0 ? strerror(errno) : "the file shrank while being read");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*text = buf;
	*len = got;
	if (mtime != NULL)
		*mtime = (int64_t)st.st_mtime;
	return 0;
}
