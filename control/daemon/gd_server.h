/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * guard-control's Unix socket (GUARD-SPEC 8): the one way operators act on a running guard.
 *
 * Authorisation: the socket file is mode 0660, owner root, group the operator group; and
 * every connection's peer is checked with SO_PEERCRED (uid, gid, pid) and SO_PEERGROUPS
 * (supplementary groups): root, or a member of the operator group. Anyone else gets a clear
 * refusal and an audit record; every accepted command is audited with the peer's uid.
 *
 * Protocol (guardctl speaks it; docs/operations.md): the client sends its arguments, each
 * NUL-terminated, at most GD_REQ_MAX bytes in all, then shuts down its write side. The server
 * answers `EXIT <status>\n` followed by the command's output, then closes. One connection
 * at a time: commands are short, and a load holds the others off anyway.
 */
#ifndef GD_SERVER_H
#define GD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define GD_REQ_MAX    8192
#define GD_ARGS_MAX   32
#define GD_GROUPS_MAX 64

/** Who is asking. */
struct gd_peer {
	uint32_t uid;
	uint32_t gid;
	int32_t pid;
	uint32_t n_groups;
	gid_t groups[GD_GROUPS_MAX];
};

struct gd_server {
	int fd;
	char path[108];
	bool have_group;
	gid_t group;
	char group_name[64];
};

/**
 * Handle one request: write the output to @p out and return the exit status (0 ok, 1 the
 * command failed, 2 usage). @p cmdline is the request as one line, for the audit record.
 */
typedef int (*gd_handler)(void *ctx, const struct gd_peer *peer, int argc, char **argv, FILE *out);

/** Refusal hook: audit a peer that was turned away. */
typedef void (*gd_refused)(void *ctx, const struct gd_peer *peer, const char *why);

/**
 * Create the socket at @p path (a stale socket file is replaced; anything else there is an
 * error), owned by root and @p group (NULL: root only), mode 0660.
 * @return 0 or -1 with a message in @p err.
 */
int gd_server_open(struct gd_server *s, const char *path, const char *group, char *err,
		   size_t errlen);

/**
 * Wait up to @p timeout_ms for a connection and serve it completely.
 * @return 1 served one, 0 timed out, -1 error (logged).
 */
int gd_server_serve(struct gd_server *s, int timeout_ms, gd_handler fn, gd_refused refused,
		    void *ctx);

/** May @p peer use the socket? */
bool gd_server_authorised(const struct gd_server *s, const struct gd_peer *peer);

void gd_server_close(struct gd_server *s);

#endif
