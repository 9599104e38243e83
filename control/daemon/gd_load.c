/* SPDX-License-Identifier: BSD-3-Clause */
/* Policy load (gd_load.h): compile in a child as the operator, keep the image, ask guardd. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "au_chain.h"
#include "dp_shared.h"
#include "gd_load.h"
#include "pc_policy.h"
#include "rs_image.h"
#include "rs_ruleset.h"

/* What the child sends before the image bytes. */
struct child_head {
	int32_t status; /* 0 ok, 1 refused (msg), -1 failed (msg) */
	uint32_t pad;
	double compile_s;
	uint64_t len;
	uint8_t sha256[32];
	char msg[1024];
};

static int
write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len != 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int
is_image(const char *path)
{
	char magic[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == (ssize_t)sizeof(magic) && memcmp(magic, RS_IMAGE_MAGIC, sizeof(magic)) == 0;
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: become the operator, compile or read, send. Never returns. */
static void __attribute__((noreturn))
child_main(int wfd, const char *path, const struct gd_peer *peer, unsigned int seconds)
{
	struct child_head h;
	struct pc_options opt = {.created = -1, .compile_seconds = seconds};
	struct pc_image img;
	struct insp_err err;
	uint8_t *bytes = NULL;
	size_t len = 0;
	double t0 = mono_s();

	memset(&h, 0, sizeof(h));
	memset(&err, 0, sizeof(err));
	if (peer->uid != 0 && (setgroups(peer->n_groups, peer->groups) != 0 ||
			       setgid(peer->gid) != 0 || setuid(peer->uid) != 0)) {
		h.status = -1;
		snprintf(h.msg, sizeof(h.msg), "cannot take uid %u to read %s: %s", peer->uid, path,
			 strerror(errno));
		(void)write_full(wfd, &h, sizeof(h));
		_exit(1);
	}
	if (is_image(path)) {
		if (rs_image_read(path, &rs_alloc_libc, &bytes, &len, &err) != RS_OK) {
			h.status = 1;
			snprintf(h.msg, sizeof(h.msg), "%s", err.msg);
		}
	} else if (pc_compile_file(path, &opt, &img, &err) != 0) {
		h.status = 1;
		snprintf(h.msg, sizeof(h.msg), "%s", err.msg);
	} else {
		bytes = img.bytes;
		len = img.len;
	}
	h.compile_s = mono_s() - t0;
	h.len = h.status == 0 ? len : 0;
	if (write_full(wfd, &h, sizeof(h)) != 0 || (h.len != 0 && write_full(wfd, bytes, len) != 0))
		_exit(1);
	_exit(0);
}

static int
read_full(int fd, void *buf, size_t len, int timeout_ms)
{
	uint8_t *p = buf;

	while (len != 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int rc = poll(&pfd, 1, timeout_ms);
		ssize_t r;

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -ETIMEDOUT;
		r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

/* Keep the image as STATE/gen-TIME-SHA.rules (atomically) and point current.rules at it. */
static int
keep_image(const char *state_dir, const uint8_t *bytes, size_t len, const char *hex,
	   struct gd_load_result *res)
{
	char tmp[4200], name[96], when[32];
	time_t t = time(NULL);
	struct tm tm;
	int fd;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(name, sizeof(name), "gen-%s-%.12s.rules", when, hex);
	snprintf(res->image, sizeof(res->image), "%s/%s", state_dir, name);
	if (strlen(res->image) >= DP_RULESET_PATH_MAX) {
		snprintf(res->msg, sizeof(res->msg),
			 "%s: guardd takes ruleset paths of at most %d bytes: use a shorter "
			 "--state-dir",
			 res->image, DP_RULESET_PATH_MAX - 1);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", res->image);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || write_full(fd, bytes, len) != 0 || fsync(fd) != 0) {
		snprintf(res->msg, sizeof(res->msg), "cannot write %.900s: %s", tmp,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, res->image) != 0) {
		snprintf(res->msg, sizeof(res->msg), "cannot rename %.900s: %s", tmp,
			 strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* After guardd took it: current.rules -> the image (what guardd's unit starts with). */
static void
point_current(const char *state_dir, const struct gd_load_result *res)
{
	char tmp[4200], cur[4200];
	const char *base = strrchr(res->image, '/');

	snprintf(cur, sizeof(cur), "%s/current.rules", state_dir);
	snprintf(tmp, sizeof(tmp), "%s/.current.rules.tmp", state_dir);
	unlink(tmp);
	if (symlink(base != NULL ? base + 1 : res->image, tmp) != 0 || rename(tmp, cur) != 0)
		unlink(tmp);
}

static int
is_kept_image(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return strncmp(d->d_name, "gen-", 4) == 0 && n > 6 &&
	       strcmp(d->d_name + n - 6, ".rules") == 0;
}

/*
 * Keep the GD_KEEP_IMAGES newest images (their names sort by time) for going back; older
 * ones go. The one running is the newest, so it is never among them.
 */
static void
prune_images(const char *state_dir)
{
	struct dirent **names = NULL;
	char path[4400];
	int n = scandir(state_dir, &names, is_kept_image, alphasort), i;

	for (i = 0; i < n; i++) {
		if (i < n - GD_KEEP_IMAGES) {
			snprintf(path, sizeof(path), "%s/%s", state_dir, names[i]->d_name);
			(void)unlink(path);
		}
		free(names[i]);
	}
	free(names);
}

static int
ask_guardd(const char *image, uint32_t uid, struct gd_load_result *res)
{
	struct rte_mp_msg req;
	struct rte_mp_reply reply;
	struct dp_reload_req r;
	struct dp_reload_reply rep;
	struct timespec ts = {.tv_sec = 60};

	memset(&req, 0, sizeof(req));
	memset(&r, 0, sizeof(r));
	snprintf(req.name, sizeof(req.name), "%s", DP_MP_RELOAD);
	snprintf(r.path, sizeof(r.path), "%s", image);
	r.uid = uid;
	memcpy(req.param, &r, sizeof(r));
	req.len_param = sizeof(r);
	memset(&reply, 0, sizeof(reply));
	if (rte_mp_request_sync(&req, &reply, &ts) != 0 || reply.nb_received != 1) {
		snprintf(res->msg, sizeof(res->msg),
			 "guardd did not answer the reload request (%s): is it running with "
			 "this --file-prefix?",
			 rte_strerror(rte_errno));
		free(reply.msgs);
		return -1;
	}
	if (reply.msgs[0].len_param != sizeof(rep)) {
		snprintf(res->msg, sizeof(res->msg),
			 "guardd answered with %d bytes, expected %zu: guardd and guard-control "
			 "are from different builds",
			 reply.msgs[0].len_param, sizeof(rep));
		free(reply.msgs);
		return -1;
	}
	memcpy(&rep, reply.msgs[0].param, sizeof(rep));
	free(reply.msgs);
	rep.msg[sizeof(rep.msg) - 1] = '\0';
	snprintf(res->msg, sizeof(res->msg), "%s", rep.msg);
	res->generation = rep.generation;
	res->load_us = rep.load_us;
	res->swap_us = rep.swap_us;
	res->grace_us = rep.grace_us;
	/* published but the grace period timed out: it runs, so it is kept (msg says why) */
	return rep.status == 0 || rep.generation != 0 ? 0 : 1;
}

int
gd_load(const char *state_dir, const char *path, const struct gd_peer *peer,
	unsigned int compile_seconds, struct gd_load_result *res)
{
	struct child_head h;
	uint8_t *bytes = NULL, sha[AU_HASH_LEN];
	int pfd[2], status = 0, rc;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (path[0] != '/') {
		snprintf(res->msg, sizeof(res->msg), "'%s': give an absolute path", path);
		return 1;
	}
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		snprintf(res->msg, sizeof(res->msg), "pipe: %s", strerror(errno));
		return -1;
	}
	/*
	 * Nothing buffered may be written twice: the child's compiler flushes every stream it
	 * inherited (pc_hs_bounded.c), and a stream sharing its file offset with ours, such as
	 * the capture a net_pcap device opened in this process, would then be written once by
	 * the child and again by us, at a moved offset, over guardd's frames.
	 */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(res->msg, sizeof(res->msg), "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		child_main(pfd[1], path, peer, compile_seconds);
	}
	close(pfd[1]);
	/* the child bounds its own Hyperscan compile; this bounds everything else */
	rc = read_full(pfd[0], &h, sizeof(h), (int)(compile_seconds + 60) * 1000);
	if (rc == 0 && h.status == 0) {
		if (h.len == 0 || h.len > (uint64_t)1 << 32 || (bytes = malloc(h.len)) == NULL)
			rc = -ENOMEM;
		else
			rc = read_full(pfd[0], bytes, h.len, 60 * 1000);
	}
	close(pfd[0]);
	if (rc != 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc != 0) {
		snprintf(res->msg, sizeof(res->msg), "the compiling process failed (%s)",
			 rc == -ETIMEDOUT ? "timed out" : "died or sent too little");
		free(bytes);
		return -1;
	}
	h.msg[sizeof(h.msg) - 1] = '\0';
	res->compile_s = h.compile_s;
	if (h.status != 0) {
		snprintf(res->msg, sizeof(res->msg), "%s", h.msg);
		return h.status > 0 ? 1 : -1;
	}
	au_sha256(bytes, h.len, sha);
	rs_hex(sha, res->sha256);
	if (keep_image(state_dir, bytes, h.len, res->sha256, res) != 0) {
		free(bytes);
		return -1;
	}
	free(bytes);
	rc = ask_guardd(res->image, peer->uid, res);
	if (rc == 0) {
		point_current(state_dir, res);
		prune_images(state_dir);
	} else
		unlink(res->image); /* refused: keep only what ran */
	return rc;
}
