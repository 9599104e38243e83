/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building and freeing ruleset generations. Runs on guardd's main lcore at start-up and on
 * the reload path (dp_reload.c holds its lock around every call), never on a worker.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <hs/hs.h>

#include "dp_egress.h"
#include "dp_gen.h"

/*
 * Hugepage memory for the image, the Hyperscan databases and (hs_set_scratch_allocator) the
 * workers' scratch. Scratch goes on the socket of the lcore it is for: dp_gen_open() sets
 * alloc_socket around each one. Only the thread holding the reload lock allocates.
 */
static int alloc_socket = SOCKET_ID_ANY;

static void *
gen_rte_alloc(size_t size, size_t align, void *ctx)
{
	RTE_SET_USED(ctx);
	return rte_malloc_socket("guard_ruleset", size, (unsigned int)align, alloc_socket);
}

static void
gen_rte_free(void *ptr, void *ctx)
{
	RTE_SET_USED(ctx);
	rte_free(ptr);
}

static void *
gen_hs_alloc(size_t size)
{
	void *p = rte_malloc_socket("guard_hs_scratch", size, RTE_CACHE_LINE_SIZE, alloc_socket);

	/* a socket without hugepage memory of its own can still be served from another */
	return p != NULL ? p : rte_malloc("guard_hs_scratch", size, RTE_CACHE_LINE_SIZE);
}

static const struct rs_alloc gen_alloc = {gen_rte_alloc, gen_rte_free, NULL};

int
dp_gen_init_allocator(void)
{
	return hs_set_scratch_allocator(gen_hs_alloc, rte_free) == HS_SUCCESS ? 0 : -ENOMEM;
}

/* Row of channel @p name, appended to the shared table if new; -1 if the table is full. */
static int
gen_row(struct dp_shared *sh, const char *name)
{
	uint32_t n = atomic_load_explicit(&sh->n_rows, memory_order_relaxed), i;

	for (i = 0; i < n; i++)
		if (strcmp(sh->row_name[i], name) == 0)
			return (int)i;
	if (n >= DP_MAX_ROWS)
		return -1;
	snprintf(sh->row_name[n], sizeof(sh->row_name[n]), "%s", name);
	/* readers load n_rows with acquire: the name is complete before they can see it */
	atomic_store_explicit(&sh->n_rows, n + 1, memory_order_release);
	return (int)n;
}

static int
gen_check_ports(const struct dp_gen *g, const char *path, char *err, size_t errlen)
{
	const struct insp_policy *p = g->policy;
	uint16_t n_ports = rte_eth_dev_count_avail();
	uint32_t i;

	for (i = 0; i < p->n_channels; i++) {
		const struct insp_channel *ch = &p->channels[i];

		if (!rte_eth_dev_is_valid_port(ch->ingress.port)) {
			snprintf(
				err, errlen,
				"%s: channel '%s': ingress port %u does not exist (this guardd has "
				"%u ports, ids in EAL order from 0)",
				path, ch->name, ch->ingress.port, n_ports);
			return -1;
		}
		if (!rte_eth_dev_is_valid_port(ch->egress.port)) {
			snprintf(err, errlen,
				 "%s: channel '%s': egress port %u does not exist (this guardd has "
				 "%u ports, ids in EAL order from 0)",
				 path, ch->name, ch->egress.port, n_ports);
			return -1;
		}
		if (ch->egress.port >= DP_EGRESS_PORTS) {
			snprintf(err, errlen,
				 "%s: channel '%s': egress port %u: guardd schedules egress on "
				 "ports 0..%u only (DP_EGRESS_PORTS)",
				 path, ch->name, ch->egress.port, DP_EGRESS_PORTS - 1);
			return -1;
		}
	}
	return 0;
}

struct dp_gen *
dp_gen_open(const char *path, uint64_t id, struct dp_shared *sh, const unsigned int *workers,
	    uint16_t n_workers, uint32_t max_msg, char *err, size_t errlen)
{
	struct insp_err ie;
	struct dp_gen *g;
	uint32_t i;
	int rc, row;

	if (strlen(path) >= sizeof(g->path)) {
		snprintf(err, errlen, "ruleset path '%.64s...' is longer than %d bytes", path,
			 DP_RULESET_PATH_MAX - 1);
		return NULL;
	}
	g = rte_zmalloc("guard_gen", sizeof(*g), RTE_CACHE_LINE_SIZE);
	if (g == NULL) {
		snprintf(err, errlen, "out of DPDK memory for a ruleset generation");
		return NULL;
	}
	g->id = id;
	snprintf(g->path, sizeof(g->path), "%s", path);
	memset(&ie, 0, sizeof(ie));
	rc = rs_image_read(path, &gen_alloc, &g->image, &g->image_len, &ie);
	if (rc == RS_OK)
		rc = rs_ruleset_open(&g->rs, g->image, g->image_len, &gen_alloc, path, &ie);
	if (rc != RS_OK) {
		snprintf(err, errlen, "%s",
			 ie.msg[0] != '\0' ? ie.msg : "ruleset refused (no reason given)");
		rte_free(g->image);
		rte_free(g);
		return NULL;
	}
	g->policy = &g->rs.policy;
	if (gen_check_ports(g, path, err, errlen) != 0)
		goto fail;
	for (uint16_t port = 0; port < DP_EGRESS_PORTS; port++) {
		struct insp_egress_link link;

		dp_egress_link_of(g->policy, port, &link);
		for (unsigned int c = 0; c < INSP_TCLASS_COUNT; c++)
			g->eg_queue_max[port][c] = link.queue_max[c];
	}
	for (i = 0; i < g->policy->n_channels; i++) {
		row = gen_row(sh, g->policy->channels[i].name);
		if (row < 0) {
			snprintf(err, errlen,
				 "%s: channel '%s' would be the %dth channel name this guardd "
				 "counts; "
				 "restart guardd to load it (counter rows are kept per name for as "
				 "long as it runs)",
				 path, g->policy->channels[i].name, DP_MAX_ROWS + 1);
			goto fail;
		}
		g->row[i] = (uint16_t)row;
	}
	for (i = 0; i < n_workers; i++) {
		alloc_socket = (int)rte_lcore_to_socket_id(workers[i]);
		g->scratch[i] = insp_scratch_create(g->policy, max_msg);
		alloc_socket = SOCKET_ID_ANY;
		if (g->scratch[i] == NULL) {
			snprintf(err, errlen,
				 "cannot create the inspection scratch for lcore %u (max-msg %u): "
				 "out "
				 "of memory",
				 workers[i], max_msg);
			goto fail;
		}
		g->n_workers = (uint16_t)(i + 1);
	}
	return g;
fail:
	dp_gen_free(g);
	return NULL;
}

void
dp_gen_free(struct dp_gen *g)
{
	uint16_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->n_workers; i++)
		insp_scratch_free(g->scratch[i]);
	rs_ruleset_close(&g->rs);
	rte_free(g->image);
	rte_free(g);
}
