/* SPDX-License-Identifier: BSD-3-Clause */
/* The control socket: accept, identify the peer, read the request, answer (gd_server.h). */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "gd_log.h"
#include "gd_server.h"

#define GD_IO_TIMEOUT_S 5 /* a client that neither sends nor reads is dropped */

int
gd_server_open(struct gd_server *s, const char *path, const char *group, char *err, size_t errlen)
{
	struct sockaddr_un addr;
	struct stat st;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		snprintf(err, errlen, "socket path '%s' is longer than %zu bytes", path,
			 sizeof(addr.sun_path) - 1);
		return -1;
	}
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (group != NULL) {
		struct group *g = getgrnam(group);

		if (g == NULL) {
			snprintf(err, errlen,
				 "operator group '%s' does not exist (groupadd it, or "
				 "leave --group out for root only)",
				 group);
			return -1;
		}
		s->have_group = true;
		s->group = g->gr_gid;
		snprintf(s->group_name, sizeof(s->group_name), "%s", group);
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a socket: not replacing it",
				 path);
			return -1;
		}
		if (unlink(path) != 0) {
			snprintf(err, errlen, "cannot remove the stale socket %s: %s", path,
				 strerror(errno));
			return -1;
		}
	}
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	/* no window in which the socket exists with looser permissions */
	mode_t old = umask(0117);
	int rc = bind(s->fd, (struct sockaddr *)&addr, sizeof(addr));

	umask(old);
	if (rc != 0) {
		snprintf(err, errlen, "cannot bind %s: %s", path, strerror(errno));
		goto fail;
	}
	if (chown(path, 0, s->have_group ? s->group : 0) != 0 || chmod(path, 0660) != 0) {
		snprintf(err, errlen, "cannot set the owner and mode of %s: %s", path,
			 strerror(errno));
		goto fail;
	}
	if (listen(s->fd, 16) != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close(s->fd);
	s->fd = -1;
	return -1;
}

bool
gd_server_authorised(const struct gd_server *s, const struct gd_peer *peer)
{
	uint32_t i;

	if (peer->uid == 0)
		return true;
	if (!s->have_group)
		return false;
	if (peer->gid == s->group)
		return true;
	for (i = 0; i < peer->n_groups; i++)
		if (peer->groups[i] == s->group)
			return true;
	return false;
}

static int
peer_identify(int fd, struct gd_peer *peer)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	socklen_t glen = sizeof(peer->groups);

	memset(peer, 0, sizeof(*peer));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		return -1;
	peer->uid = cred.uid;
	peer->gid = cred.gid;
	peer->pid = cred.pid;
	/* more groups than fit: authorisation falls back to the primary group */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, peer->groups, &glen) == 0)
		peer->n_groups = glen / sizeof(gid_t);
	return 0;
}

static void
write_all(int fd, const char *buf, size_t len)
{
	while (len != 0) {
		ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the client went away: nothing to tell it */
		buf += w;
		len -= (size_t)w;
	}
}

static void
answer(int fd, int status, const char *body, size_t len)
{
	char head[32];
	int n = snprintf(head, sizeof(head), "EXIT %d\n", status);

	write_all(fd, head, (size_t)n);
	write_all(fd, body, len);
}

/* Read the whole request; split it into @p argv. Returns argc, or -1 with @p why. */
static int
read_request(int fd, char *buf, size_t cap, char **argv, const char **why)
{
	size_t len = 0, i;
	int argc = 0;

	for (;;) {
		ssize_t r = recv(fd, buf + len, cap - len, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*why = errno == EAGAIN ? "the request did not arrive in time"
					       : "cannot read the request";
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == cap) {
			*why = "request too long";
			return -1;
		}
	}
	if (len == 0 || buf[len - 1] != '\0') {
		*why = "malformed request (arguments must be NUL-terminated)";
		return -1;
	}
	for (i = 0; i < len; i += strlen(buf + i) + 1) {
		if (argc == GD_ARGS_MAX) {
			*why = "too many arguments";
			return -1;
		}
		argv[argc++] = buf + i;
	}
	argv[argc] = NULL;
	return argc;
}

int
gd_server_serve(struct gd_server *s, int timeout_ms, gd_handler fn, gd_refused refused, void *ctx)
{
	struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
	struct timeval tv = {.tv_sec = GD_IO_TIMEOUT_S};
	char *argv[GD_ARGS_MAX + 1];
	static char buf[GD_REQ_MAX];
	struct gd_peer peer;
	const char *why = NULL;
	char *body = NULL;
	size_t body_len = 0;
	FILE *out;
	int fd, argc, status;

	int rc = poll(&pfd, 1, timeout_ms);

	if (rc <= 0)
		return rc < 0 && errno != EINTR ? -1 : 0;
	fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (peer_identify(fd, &peer) != 0) {
		GD_LOG("a connection without peer credentials: closed");
		close(fd);
		return 1;
	}
	if (!gd_server_authorised(s, &peer)) {
		char msg[256];
		int n = snprintf(msg, sizeof(msg),
				 "guard-control: uid %u is not allowed to use %s (root or members "
				 "of group %s only); this attempt is in the audit log\n",
				 peer.uid, s->path,
				 s->have_group ? s->group_name : "(none: root only)");

		answer(fd, 3, msg, (size_t)n);
		refused(ctx, &peer, "not root and not in the operator group");
		close(fd);
		return 1;
	}
	argc = read_request(fd, buf, sizeof(buf), argv, &why);
	if (argc < 0) {
		char msg[160];
		int n = snprintf(msg, sizeof(msg), "guard-control: %s\n", why);

		answer(fd, 2, msg, (size_t)n);
		refused(ctx, &peer, why);
		close(fd);
		return 1;
	}
	out = open_memstream(&body, &body_len);
	if (out == NULL) {
		answer(fd, 1, "guard-control: out of memory\n", 29);
		close(fd);
		return 1;
	}
	status = fn(ctx, &peer, argc, argv, out);
	fclose(out);
	answer(fd, status, body, body_len);
	free(body);
	close(fd);
	return 1;
}

void
gd_server_close(struct gd_server *s)
{
	if (s->fd >= 0) {
		close(s->fd);
		unlink(s->path);
	}
	s->fd = -1;
}
