/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pace: a paced pcap replayer for latency runs (perf/latency.sh). A DPDK primary process,
 * one lcore: it sends the frames of a pcap, in a loop, over one ethdev port at a fixed rate
 * (TSC pacing: a burst of --burst frames every burst/pps seconds, on an absolute schedule,
 * so the average rate does not drift) and counts what comes back on a second port.
 * dpdk-testpmd cannot pace; this can.
 *
 *   pace [EAL options] -- --pcap FILE --pps N [--burst B] (--seconds S | --count N)
 *        [--tx-port P] [--rx-port P] [--drain-ms MS] [--link-wait SEC] [--warmup-ms MS]
 *        [--max-late-us US] [--linger SEC] [--e2e-file FILE]
 *
 * --pps 0 sends as fast as the tx port takes frames (a frame the device refuses is offered
 * again; nothing is dropped by the pacer). With --pps N > 0 a frame the device refuses
 * (its ring is full: the receiver is not keeping up) is freed and counted as refused, as a
 * wire would lose it, and the schedule goes on. A burst whose slot has passed (the pacer was
 * not running: the machine is shared) is sent as soon as possible, so the average rate
 * holds, unless it is more than --max-late-us behind its slot: then it is skipped (not sent,
 * counted), so that a pause of the pacer does not come out as a clump of frames that the
 * receiver would then take in one burst. How late the latest send was is reported.
 *
 * Sending starts --warmup-ms (default 500) after both links are up: a peer may poll a port
 * only some time after its link came up (guardd: its main lcore's next tick, up to 100 ms).
 *
 * Frames are kept in one buffer and copied into a fresh mbuf per send. Everything received on
 * either port is counted and freed. After the sending, frames are received until none came
 * for --drain-ms; then, with --linger, the pacer waits (without touching the ports: a memif
 * peer that leaves tears the rings down) until the links are down, i.e. the peer exited,
 * before it stops its own ports. (When a memif client leaves, DPDK 22.11's memif driver may
 * log "EAL: Error: Invalid memory" from its interrupt thread in this, the server process: a
 * refused free in the driver's teardown, harmless to the counts, which are printed by then.)
 *
 * End to end: a frame that comes back on --rx-port is matched to the frame sent by its UDP
 * payload (guardd re-originates the payload unchanged behind fresh headers): a 64-bit hash
 * (two CRC32-C) of each pcap frame's UDP payload is kept in a table with the TSC of that
 * frame's latest send, and a received frame's payload is looked up there. The difference
 * (TSC right after the rx burst that got it, minus TSC just before the tx burst that sent
 * it) goes into a histogram of the same kind as guardd's (dataplane/dp_latency.h): memif
 * rings both ways and their waiting, guardd, and the pacer's own polling. Frames of the pcap
 * with the same payload share an entry (the latest send counts). --e2e-file FILE gets that
 * histogram as guardd writes its own: "latency bucket LOW_NS HIGH_NS COUNT" lines.
 *
 * Output (stdout), one "pace KEY VALUE" line each, then a one-line summary:
 *   pace target_pps, burst, frames_in_pcap, sent, refused, seconds (first to last send),
 *   achieved_pps (sent / seconds), received (on --rx-port), received_other (on --tx-port),
 *   late_slots (bursts sent more than 20 us after their slot), max_late_us, skipped (frames
 *   not sent: their slot was more than --max-late-us ago), e2e_count (received
 *   frames matched to a send), e2e_unmatched, e2e_p50_ns, e2e_p99_ns, e2e_p999_ns,
 *   e2e_max_ns.
 * Exit: 0 done, 1 an error (the message says which), 2 bad arguments.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_hash_crc.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dp_latency.h"

#define PACE_MAX_BURST	   32
#define PACE_RX_BURST	   32
#define PACE_NB_MBUFS	   8191
#define PACE_MBUF_CACHE	   256
#define PACE_NB_DESC	   1024
#define PACE_MAX_FRAME	   9216 /* memif bsize of perf/latency.sh, jumbo frames */
#define PACE_LATE_US	   20.0
#define PACE_MAX_PPS	   100000000ull
#define PACE_MAX_COUNT	   1000000000000ull
#define PACE_MAX_SECONDS   86400.0
#define PACE_MAX_WAIT_SECS 3600u

struct pace_cfg {
	const char *pcap;
	uint64_t pps; /* 0: as fast as the port takes them */
	unsigned int burst;
	double seconds; /* 0: no time limit */
	uint64_t count; /* 0: no count limit */
	uint16_t tx_port;
	uint16_t rx_port;
	unsigned int drain_ms;
	unsigned int link_wait;
	unsigned int warmup_ms;
	unsigned int max_late_us; /* 0: catch up however late */
	unsigned int linger;
	const char *e2e_file; /* NULL: no bucket file */
};

struct pace_frames {
	uint8_t *data;
	size_t *off;
	uint32_t *len;
	size_t n;
	uint32_t max_len;
};

/* Payload hash -> TSC of the latest send of a frame with that payload (open addressing). */
struct pace_match {
	uint64_t *key;	    /* payload hash, 0: empty */
	uint64_t *sent_tsc; /* 0: not sent yet */
	uint32_t mask;	    /* table size - 1 */
	uint32_t *slot;	    /* per pcap frame: its entry, UINT32_MAX if it has no UDP payload */
};

struct pace_result {
	uint64_t sent, refused, received, received_other, late_slots, skipped;
	uint64_t first_tsc, last_tsc; /* TSC of the first and the last send */
	uint64_t first_n;	      /* frames of the first send */
	uint64_t unmatched;	      /* received frames whose payload was never sent */
	struct dp_latency e2e;	      /* send to receive of matched frames, cycles */
	double max_late_us;
};

static atomic_bool pace_quit;

static void
pace_signal(int sig)
{
	(void)sig;
	atomic_store(&pace_quit, true);
}

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [EAL options] -- --pcap FILE --pps N (--seconds S | --count N)\n"
		"          [--burst B] [--tx-port P] [--rx-port P] [--drain-ms MS]\n"
		"          [--link-wait SEC] [--warmup-ms MS] [--max-late-us US] [--linger SEC]\n"
		"          [--e2e-file FILE]\n"
		"  --pcap FILE       frames to send (Ethernet pcap), replayed in a loop\n"
		"  --pps N           frames per second, 0..%llu (0: as fast as the port takes "
		"them)\n"
		"  --burst B         frames per send, 1..%d (default 1)\n"
		"  --seconds S       send for S seconds (decimal, up to %.0f)\n"
		"  --count N         send N frames (with --seconds: whichever comes first)\n"
		"  --tx-port P       port to send on (default 0)\n"
		"  --rx-port P       port whose frames are counted as received (default 1)\n"
		"  --drain-ms MS     after sending, receive until none came for MS ms (default "
		"200)\n"
		"  --link-wait SEC   wait up to SEC s for both links before sending (default 30)\n"
		"  --warmup-ms MS    then wait MS ms more before sending (default 500)\n"
		"  --max-late-us US  skip a send more than US us behind its slot (default 0:\n"
		"                    send it, however late, to keep the average rate)\n"
		"  --linger SEC      at the end, wait up to SEC s for the links to go down (the\n"
		"                    peer exited) before stopping the ports (default 0)\n"
		"  --e2e-file FILE   write the end-to-end histogram's buckets to FILE\n",
		prog, PACE_MAX_PPS, PACE_MAX_BURST, PACE_MAX_SECONDS);
}

/* Decimal unsigned in [lo, hi], nothing else; 0 or -EINVAL. */
static int
parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Decimal seconds in (0, hi]; 0 or -EINVAL. */
static int
parse_seconds(const char *s, double hi, double *out)
{
	char *end;
	double v;

	if (s == NULL || ((*s < '0' || *s > '9') && *s != '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v <= 0.0 || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

enum {
	OPT_PCAP = 256,
	OPT_PPS,
	OPT_BURST,
	OPT_SECONDS,
	OPT_COUNT,
	OPT_TX_PORT,
	OPT_RX_PORT,
	OPT_DRAIN_MS,
	OPT_LINK_WAIT,
	OPT_LINGER,
	OPT_WARMUP_MS,
	OPT_MAX_LATE_US,
	OPT_E2E_FILE,
	OPT_HELP,
};

static const struct option long_opts[] = {
	{"pcap", required_argument, NULL, OPT_PCAP},
	{"pps", required_argument, NULL, OPT_PPS},
	{"burst", required_argument, NULL, OPT_BURST},
	{"seconds", required_argument, NULL, OPT_SECONDS},
	{"count", required_argument, NULL, OPT_COUNT},
	{"tx-port", required_argument, NULL, OPT_TX_PORT},
	{"rx-port", required_argument, NULL, OPT_RX_PORT},
	{"drain-ms", required_argument, NULL, OPT_DRAIN_MS},
	{"link-wait", required_argument, NULL, OPT_LINK_WAIT},
	{"linger", required_argument, NULL, OPT_LINGER},
	{"warmup-ms", required_argument, NULL, OPT_WARMUP_MS},
	{"max-late-us", required_argument, NULL, OPT_MAX_LATE_US},
	{"e2e-file", required_argument, NULL, OPT_E2E_FILE},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

/* 0 parsed, 1 --help printed, -EINVAL with a message in @p why. */
static int
parse_args(int argc, char **argv, struct pace_cfg *c, char *why, size_t why_len)
{
	bool have_pps = false;
	uint64_t v;
	int opt;

	memset(c, 0, sizeof(*c));
	c->burst = 1;
	c->tx_port = 0;
	c->rx_port = 1;
	c->drain_ms = 200;
	c->link_wait = 30;
	c->warmup_ms = 500;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_PCAP:
			if (optarg[0] == '\0') {
				snprintf(why, why_len, "--pcap needs a file name");
				return -EINVAL;
			}
			c->pcap = optarg;
			break;
		case OPT_PPS:
			if (parse_u64(optarg, 0, PACE_MAX_PPS, &c->pps) != 0) {
				snprintf(why, why_len, "--pps '%s': want 0..%llu frames per second",
					 optarg, PACE_MAX_PPS);
				return -EINVAL;
			}
			have_pps = true;
			break;
		case OPT_BURST:
			if (parse_u64(optarg, 1, PACE_MAX_BURST, &v) != 0) {
				snprintf(why, why_len, "--burst '%s': want 1..%d frames", optarg,
					 PACE_MAX_BURST);
				return -EINVAL;
			}
			c->burst = (unsigned int)v;
			break;
		case OPT_SECONDS:
			if (parse_seconds(optarg, PACE_MAX_SECONDS, &c->seconds) != 0) {
				snprintf(why, why_len,
					 "--seconds '%s': want a decimal number of seconds in (0, "
					 "%.0f]",
					 optarg, PACE_MAX_SECONDS);
				return -EINVAL;
			}
			break;
		case OPT_COUNT:
			if (parse_u64(optarg, 1, PACE_MAX_COUNT, &c->count) != 0) {
				snprintf(why, why_len, "--count '%s': want 1..%llu frames", optarg,
					 PACE_MAX_COUNT);
				return -EINVAL;
			}
			break;
		case OPT_TX_PORT:
		case OPT_RX_PORT:
			if (parse_u64(optarg, 0, RTE_MAX_ETHPORTS - 1, &v) != 0) {
				snprintf(why, why_len, "--%s '%s': want a port id 0..%d",
					 opt == OPT_TX_PORT ? "tx-port" : "rx-port", optarg,
					 RTE_MAX_ETHPORTS - 1);
				return -EINVAL;
			}
			if (opt == OPT_TX_PORT)
				c->tx_port = (uint16_t)v;
			else
				c->rx_port = (uint16_t)v;
			break;
		case OPT_DRAIN_MS:
			if (parse_u64(optarg, 0, 600000, &v) != 0) {
				snprintf(why, why_len, "--drain-ms '%s': want 0..600000 ms",
					 optarg);
				return -EINVAL;
			}
			c->drain_ms = (unsigned int)v;
			break;
		case OPT_LINK_WAIT:
		case OPT_LINGER:
			if (parse_u64(optarg, 0, PACE_MAX_WAIT_SECS, &v) != 0) {
				snprintf(why, why_len, "--%s '%s': want 0..%u seconds",
					 opt == OPT_LINK_WAIT ? "link-wait" : "linger", optarg,
					 PACE_MAX_WAIT_SECS);
				return -EINVAL;
			}
			if (opt == OPT_LINK_WAIT)
				c->link_wait = (unsigned int)v;
			else
				c->linger = (unsigned int)v;
			break;
		case OPT_WARMUP_MS:
			if (parse_u64(optarg, 0, 600000, &v) != 0) {
				snprintf(why, why_len, "--warmup-ms '%s': want 0..600000 ms",
					 optarg);
				return -EINVAL;
			}
			c->warmup_ms = (unsigned int)v;
			break;
		case OPT_MAX_LATE_US:
			if (parse_u64(optarg, 0, 60000000, &v) != 0) {
				snprintf(why, why_len, "--max-late-us '%s': want 0..60000000 us",
					 optarg);
				return -EINVAL;
			}
			c->max_late_us = (unsigned int)v;
			break;
		case OPT_E2E_FILE:
			if (optarg[0] == '\0') {
				snprintf(why, why_len, "--e2e-file needs a file name");
				return -EINVAL;
			}
			c->e2e_file = optarg;
			break;
		case OPT_HELP:
			usage(stdout, argv[0]);
			return 1;
		case ':':
			snprintf(why, why_len, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			snprintf(why, why_len, "unknown option '%s'", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		snprintf(why, why_len, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (c->pcap == NULL) {
		snprintf(why, why_len, "--pcap FILE is required");
		return -EINVAL;
	}
	if (!have_pps) {
		snprintf(why, why_len, "--pps N is required (0: as fast as possible)");
		return -EINVAL;
	}
	if (c->seconds == 0.0 && c->count == 0) {
		snprintf(why, why_len, "give --seconds S or --count N (or both)");
		return -EINVAL;
	}
	if (c->tx_port == c->rx_port) {
		snprintf(why, why_len, "--tx-port and --rx-port must differ (both %u)", c->tx_port);
		return -EINVAL;
	}
	return 0;
}

/* Read every frame of @p path into @p fr; 0, or -1 with a message printed. */
static int
load_pcap(const char *path, struct pace_frames *fr)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	size_t cap = 0, data_cap = 0, used = 0;
	pcap_t *p;
	int rc;

	memset(fr, 0, sizeof(*fr));
	p = pcap_open_offline(path, err);
	if (p == NULL) {
		fprintf(stderr, "pace: cannot read the pcap: %s\n", err);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "pace: %s: link type %d, want Ethernet (%d)\n", path,
			pcap_datalink(p), DLT_EN10MB);
		pcap_close(p);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &bytes)) == 1) {
		if (h->caplen != h->len) {
			fprintf(stderr,
				"pace: %s: frame %zu is truncated (%u of %u bytes captured)\n",
				path, fr->n + 1, h->caplen, h->len);
			goto fail;
		}
		if (h->caplen == 0 || h->caplen > PACE_MAX_FRAME) {
			fprintf(stderr, "pace: %s: frame %zu has %u bytes, want 1..%d\n", path,
				fr->n + 1, h->caplen, PACE_MAX_FRAME);
			goto fail;
		}
		if (fr->n == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 4096;
			size_t *off = realloc(fr->off, ncap * sizeof(*off));
			uint32_t *len;

			if (off == NULL)
				goto nomem;
			fr->off = off;
			len = realloc(fr->len, ncap * sizeof(*len));
			if (len == NULL)
				goto nomem;
			fr->len = len;
			cap = ncap;
		}
		if (used + h->caplen > data_cap) {
			size_t ncap = data_cap != 0 ? data_cap * 2 : (size_t)1 << 20;
			uint8_t *d;

			while (ncap < used + h->caplen)
				ncap *= 2;
			d = realloc(fr->data, ncap);
			if (d == NULL)
				goto nomem;
			fr->data = d;
			data_cap = ncap;
		}
		memcpy(fr->data + used, bytes, h->caplen);
		fr->off[fr->n] = used;
		fr->len[fr->n] = h->caplen;
		if (h->caplen > fr->max_len)
			fr->max_len = h->caplen;
		used += h->caplen;
		fr->n++;
	}
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "pace: %s: %s\n", path, pcap_geterr(p));
		goto fail;
	}
	pcap_close(p);
	if (fr->n == 0) {
		fprintf(stderr, "pace: %s: no frame in it\n", path);
		return -1;
	}
	return 0;
nomem:
	fprintf(stderr, "pace: %s: out of memory after %zu frames\n", path, fr->n);
fail:
	pcap_close(p);
	return -1;
}

/* The end-to-end buckets as guardd writes its own; 0 or -1 (message printed). */
static int
write_e2e(const char *path, const struct dp_lat_hist *h, uint64_t hz)
{
	static struct dp_lat_report rep; /* 24 KiB: not on the stack */
	struct dp_lat_hist none;
	unsigned int i;
	int err = 0;
	FILE *f;

	memset(&none, 0, sizeof(none));
	dp_lat_report(h, &none, hz, &rep);
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "pace: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "latency count %" PRIu64 "\n", rep.release.count);
	for (i = 0; i < rep.n_buckets; i++)
		fprintf(f, "latency bucket %.1f %.1f %" PRIu64 "\n", rep.bucket[i].low_ns,
			rep.bucket[i].high_ns, rep.bucket[i].count);
	if (ferror(f))
		err = -1;
	if (fclose(f) != 0)
		err = -1;
	if (err != 0)
		fprintf(stderr, "pace: %s: write failed\n", path);
	return err;
}

static void
free_frames(struct pace_frames *fr)
{
	free(fr->data);
	free(fr->off);
	free(fr->len);
	memset(fr, 0, sizeof(*fr));
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * The UDP payload of an Ethernet frame (802.1Q/802.1ad tags, IPv4 without fragmentation or
 * IPv6 without extension headers), delimited by the UDP length as guardd does; 0 or -1.
 */
static int
udp_payload(const uint8_t *f, uint32_t len, const uint8_t **pl, uint32_t *plen)
{
	uint32_t off = 14, ulen;
	uint16_t et;

	if (len < off)
		return -1;
	et = rd16(f + 12);
	while (et == 0x8100 || et == 0x88a8) {
		if (len < off + 4)
			return -1;
		et = rd16(f + off + 2);
		off += 4;
	}
	if (et == 0x0800) {
		uint32_t ihl;

		if (len < off + 20 || (f[off] >> 4) != 4)
			return -1;
		ihl = (uint32_t)(f[off] & 0x0f) * 4;
		if (ihl < 20 || f[off + 9] != 17 || (rd16(f + off + 6) & 0x3fff) != 0)
			return -1;
		off += ihl;
	} else if (et == 0x86dd) {
		if (len < off + 40 || (f[off] >> 4) != 6 || f[off + 6] != 17)
			return -1;
		off += 40;
	} else {
		return -1;
	}
	if (len < off + 8)
		return -1;
	ulen = rd16(f + off + 4);
	if (ulen < 8 || off + ulen > len)
		return -1;
	*pl = f + off + 8;
	*plen = ulen - 8;
	return 0;
}

static uint64_t
payload_hash(const uint8_t *pl, uint32_t plen)
{
	uint64_t h = (uint64_t)rte_hash_crc(pl, plen, 0x9e3779b9u) << 32 |
		     rte_hash_crc(pl, plen, 0x85ebca6bu);

	return h != 0 ? h : 1;
}

/* Entry of @p h: its slot, or the empty slot where it belongs. */
static uint32_t
match_find(const struct pace_match *mt, uint64_t h)
{
	uint32_t i = (uint32_t)(h ^ h >> 32) & mt->mask;

	while (mt->key[i] != 0 && mt->key[i] != h)
		i = (i + 1) & mt->mask;
	return i;
}

/* Build the payload table of @p fr; 0 or -1 (no memory). */
static int
match_init(struct pace_match *mt, const struct pace_frames *fr)
{
	uint32_t size = 1024;
	size_t i;

	memset(mt, 0, sizeof(*mt));
	while (size < 2 * fr->n)
		size *= 2;
	mt->mask = size - 1;
	mt->key = calloc(size, sizeof(*mt->key));
	mt->sent_tsc = calloc(size, sizeof(*mt->sent_tsc));
	mt->slot = calloc(fr->n, sizeof(*mt->slot));
	if (mt->key == NULL || mt->sent_tsc == NULL || mt->slot == NULL)
		return -1;
	for (i = 0; i < fr->n; i++) {
		const uint8_t *pl;
		uint32_t plen, j;
		uint64_t h;

		mt->slot[i] = UINT32_MAX;
		if (udp_payload(fr->data + fr->off[i], fr->len[i], &pl, &plen) != 0)
			continue;
		h = payload_hash(pl, plen);
		j = match_find(mt, h);
		mt->key[j] = h;
		mt->slot[i] = j;
	}
	return 0;
}

static void
match_free(struct pace_match *mt)
{
	free(mt->key);
	free(mt->sent_tsc);
	free(mt->slot);
	memset(mt, 0, sizeof(*mt));
}

/* Receive on the measured port: match each frame to its send, record, free. */
static uint64_t
rx_measure(uint16_t port, const struct pace_match *mt, struct pace_result *r)
{
	struct rte_mbuf *m[PACE_RX_BURST];
	uint16_t n = rte_eth_rx_burst(port, 0, m, PACE_RX_BURST), i;
	uint64_t now;

	if (n == 0)
		return 0;
	now = rte_rdtsc();
	for (i = 0; i < n; i++) {
		const uint8_t *pl;
		uint32_t plen, j;

		if (m[i]->nb_segs != 1 || udp_payload(rte_pktmbuf_mtod(m[i], const uint8_t *),
						      m[i]->data_len, &pl, &plen) != 0) {
			r->unmatched++;
			continue;
		}
		j = match_find(mt, payload_hash(pl, plen));
		if (mt->key[j] == 0 || mt->sent_tsc[j] == 0 || mt->sent_tsc[j] > now) {
			r->unmatched++;
			continue;
		}
		dp_lat_record(&r->e2e, now - mt->sent_tsc[j], 1);
	}
	rte_pktmbuf_free_bulk(m, n);
	return n;
}

/* Configure and start @p port with one rx and one tx queue; 0 or -1 (message printed). */
static int
port_start(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf;
	uint16_t nb_rxd = PACE_NB_DESC, nb_txd = PACE_NB_DESC;
	int ret, socket = rte_eth_dev_socket_id(port);

	memset(&conf, 0, sizeof(conf));
	if (socket < 0)
		socket = (int)rte_socket_id();
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, nb_rxd, (unsigned int)socket, NULL, pool);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, nb_txd, (unsigned int)socket, NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	if (ret != 0) {
		fprintf(stderr, "pace: port %u: cannot set it up: %s\n", port, rte_strerror(-ret));
		return -1;
	}
	return 0;
}

/* 1 if @p port's link is up (a device that cannot tell counts as up). */
static int
link_up(uint16_t port)
{
	struct rte_eth_link l;

	if (rte_eth_link_get_nowait(port, &l) != 0)
		return 1;
	return l.link_status == RTE_ETH_LINK_UP;
}

/* Receive and free what waits on @p port; returns the number of frames. */
static uint64_t
rx_drain(uint16_t port)
{
	struct rte_mbuf *m[PACE_RX_BURST];
	uint16_t n = rte_eth_rx_burst(port, 0, m, PACE_RX_BURST);

	if (n != 0)
		rte_pktmbuf_free_bulk(m, n);
	return n;
}

/* Fill @p m[0..n) with the next frames of @p fr from *@p cursor; 0 or -1 (no mbuf). */
static int
build_burst(struct rte_mempool *pool, const struct pace_frames *fr, size_t *cursor,
	    struct rte_mbuf **m, size_t *idx, unsigned int n)
{
	unsigned int i;

	if (rte_pktmbuf_alloc_bulk(pool, m, n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		uint32_t len = fr->len[*cursor];
		char *d = rte_pktmbuf_append(m[i], (uint16_t)len);

		if (d == NULL) { /* cannot happen: the data room was sized for the largest */
			rte_pktmbuf_free_bulk(m, n);
			return -1;
		}
		memcpy(d, fr->data + fr->off[*cursor], len);
		idx[i] = *cursor;
		if (++*cursor == fr->n)
			*cursor = 0;
	}
	return 0;
}

/* The sending loop; 0, or -1 (message printed). */
static int
run(const struct pace_cfg *c, const struct pace_frames *fr, struct pace_match *mt,
    struct rte_mempool *pool, struct pace_result *r)
{
	const uint64_t hz = rte_get_tsc_hz();
	const double period = c->pps != 0 ? (double)c->burst * (double)hz / (double)c->pps : 0.0;
	const uint64_t late_tsc = (uint64_t)(PACE_LATE_US * (double)hz / 1e6);
	const uint64_t skip_tsc = (uint64_t)((double)c->max_late_us * (double)hz / 1e6);
	struct rte_mbuf *pend[PACE_MAX_BURST];
	size_t pend_idx[PACE_MAX_BURST];
	uint64_t start, end = UINT64_MAX, next, now, slot = 0, quiet_since;
	unsigned int n_pend = 0, i;
	size_t cursor = 0;

	start = rte_rdtsc();
	if (c->seconds != 0.0)
		end = start + (uint64_t)(c->seconds * (double)hz);
	next = start;
	while (!atomic_load_explicit(&pace_quit, memory_order_relaxed)) {
		now = rte_rdtsc();
		if (now >= end ||
		    (c->count != 0 && r->sent + r->refused >= c->count && n_pend == 0))
			break;
		if (c->pps == 0 || now >= next) {
			unsigned int want = c->burst, sent;

			if (c->count != 0 && c->count - r->sent - r->refused < want)
				want = (unsigned int)(c->count - r->sent - r->refused);
			if (c->pps != 0 && c->max_late_us != 0 && now - next > skip_tsc) {
				/* too late: this slot's frames are not sent at all */
				r->skipped += want;
				slot++;
				next = start + (uint64_t)((double)slot * period);
				continue;
			}
			if (n_pend == 0 && want != 0) {
				if (build_burst(pool, fr, &cursor, pend, pend_idx, want) != 0) {
					/* every mbuf is in flight: receive, then try again */
					r->received += rx_measure(c->rx_port, mt, r);
					r->received_other += rx_drain(c->tx_port);
					continue;
				}
				n_pend = want;
			}
			if (c->pps != 0 && now - next > late_tsc) {
				double late = (double)(now - next) * 1e6 / (double)hz;

				r->late_slots++;
				if (late > r->max_late_us)
					r->max_late_us = late;
			}
			now = rte_rdtsc();
			sent = rte_eth_tx_burst(c->tx_port, 0, pend, (uint16_t)n_pend);
			for (i = 0; i < sent; i++)
				if (mt->slot[pend_idx[i]] != UINT32_MAX)
					mt->sent_tsc[mt->slot[pend_idx[i]]] = now;
			if (sent != 0) {
				if (r->first_tsc == 0) {
					r->first_tsc = now;
					r->first_n = sent;
				}
				r->last_tsc = now;
			}
			r->sent += sent;
			if (sent < n_pend) {
				if (c->pps != 0) {
					/* paced: the wire loses what the receiver has no room for
					 */
					rte_pktmbuf_free_bulk(&pend[sent], n_pend - sent);
					r->refused += n_pend - sent;
					n_pend = 0;
				} else {
					/* as fast as possible: offer the rest again */
					for (i = sent; i < n_pend; i++) {
						pend[i - sent] = pend[i];
						pend_idx[i - sent] = pend_idx[i];
					}
					n_pend -= sent;
				}
			} else {
				n_pend = 0;
			}
			if (c->pps != 0) {
				slot++;
				next = start + (uint64_t)((double)slot * period);
			}
		}
		r->received += rx_measure(c->rx_port, mt, r);
		r->received_other += rx_drain(c->tx_port);
	}
	if (n_pend != 0)
		rte_pktmbuf_free_bulk(pend, n_pend);

	/* drain: receive until nothing came for drain_ms */
	quiet_since = rte_rdtsc();
	while (!atomic_load_explicit(&pace_quit, memory_order_relaxed)) {
		uint64_t got = rx_measure(c->rx_port, mt, r), other = rx_drain(c->tx_port);

		r->received += got;
		r->received_other += other;
		now = rte_rdtsc();
		if (got + other != 0)
			quiet_since = now;
		else if (now - quiet_since >= (uint64_t)c->drain_ms * hz / 1000u)
			break;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct pace_result r; /* 8 KiB of histogram: not on the stack */
	struct pace_frames fr;
	struct pace_match mt;
	struct dp_lat_hist e2e;
	struct dp_lat_summary es;
	struct pace_cfg cfg;
	struct rte_mempool *pool;
	char why[256];
	uint64_t hz, t0;
	double secs, pps;
	int ret, n_eal, status = 0;
	uint16_t nb_ports;

	n_eal = rte_eal_init(argc, argv);
	if (n_eal < 0) {
		fprintf(stderr, "pace: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argv[n_eal] = argv[0];
	ret = parse_args(argc - n_eal, argv + n_eal, &cfg, why, sizeof(why));
	if (ret != 0) {
		if (ret < 0) {
			fprintf(stderr, "pace: %s\n", why);
			usage(stderr, argv[0]);
		}
		rte_eal_cleanup();
		return ret < 0 ? 2 : 0;
	}
	nb_ports = rte_eth_dev_count_avail();
	if (cfg.tx_port >= nb_ports || cfg.rx_port >= nb_ports ||
	    !rte_eth_dev_is_valid_port(cfg.tx_port) || !rte_eth_dev_is_valid_port(cfg.rx_port)) {
		fprintf(stderr, "pace: --tx-port %u / --rx-port %u: there are %u ports (--vdev)\n",
			cfg.tx_port, cfg.rx_port, nb_ports);
		rte_eal_cleanup();
		return 2;
	}
	if (load_pcap(cfg.pcap, &fr) != 0) {
		free_frames(&fr);
		rte_eal_cleanup();
		return 1;
	}
	if (match_init(&mt, &fr) != 0) {
		fprintf(stderr, "pace: out of memory for the payload table of %zu frames\n", fr.n);
		match_free(&mt);
		free_frames(&fr);
		rte_eal_cleanup();
		return 1;
	}
	/* every mbuf holds the largest frame either way (jumbo frames up to the memif bsize) */
	pool = rte_pktmbuf_pool_create("pace_pool", PACE_NB_MBUFS, PACE_MBUF_CACHE, 0,
				       RTE_PKTMBUF_HEADROOM + PACE_MAX_FRAME, (int)rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "pace: cannot create the mbuf pool: %s (hugepages? -m)\n",
			rte_strerror(rte_errno));
		match_free(&mt);
		free_frames(&fr);
		rte_eal_cleanup();
		return 1;
	}
	if (port_start(cfg.tx_port, pool) != 0 || port_start(cfg.rx_port, pool) != 0) {
		status = 1;
		goto out;
	}
	if (signal(SIGINT, pace_signal) == SIG_ERR || signal(SIGTERM, pace_signal) == SIG_ERR) {
		fprintf(stderr, "pace: cannot catch SIGINT/SIGTERM: %s\n", strerror(errno));
		status = 1;
		goto stop;
	}

	hz = rte_get_tsc_hz();
	t0 = rte_rdtsc();
	while (!link_up(cfg.tx_port) || !link_up(cfg.rx_port)) {
		if (atomic_load(&pace_quit) || rte_rdtsc() - t0 > (uint64_t)cfg.link_wait * hz) {
			fprintf(stderr,
				"pace: links not up within %u s (tx port %u %s, rx port %u %s)\n",
				cfg.link_wait, cfg.tx_port, link_up(cfg.tx_port) ? "up" : "down",
				cfg.rx_port, link_up(cfg.rx_port) ? "up" : "down");
			status = 1;
			goto stop;
		}
		rte_delay_us_sleep(10000);
	}
	if (cfg.warmup_ms != 0)
		rte_delay_us_sleep(cfg.warmup_ms * 1000u);

	memset(&r, 0, sizeof(r));
	if (run(&cfg, &fr, &mt, pool, &r) != 0) {
		status = 1;
		goto stop;
	}
	/* the rate over first to last send: the frames of the first send took no time */
	secs = r.last_tsc > r.first_tsc ? (double)(r.last_tsc - r.first_tsc) / (double)hz : 0.0;
	pps = secs > 0.0 ? (double)(r.sent - r.first_n) / secs : 0.0;
	printf("pace target_pps %" PRIu64 "\n", cfg.pps);
	printf("pace burst %u\n", cfg.burst);
	printf("pace frames_in_pcap %zu\n", fr.n);
	printf("pace sent %" PRIu64 "\n", r.sent);
	printf("pace refused %" PRIu64 "\n", r.refused);
	printf("pace seconds %.6f\n", secs);
	printf("pace achieved_pps %.1f\n", pps);
	printf("pace received %" PRIu64 "\n", r.received);
	printf("pace received_other %" PRIu64 "\n", r.received_other);
	printf("pace late_slots %" PRIu64 "\n", r.late_slots);
	printf("pace max_late_us %.1f\n", r.max_late_us);
	printf("pace skipped %" PRIu64 "\n", r.skipped);
	memset(&e2e, 0, sizeof(e2e));
	dp_lat_hist_add(&e2e, &r.e2e);
	dp_lat_summarize(&e2e, hz, &es);
	printf("pace e2e_count %" PRIu64 "\n", es.count);
	printf("pace e2e_unmatched %" PRIu64 "\n", r.unmatched);
	printf("pace e2e_p50_ns %" PRIu64 "\n", es.p50_ns);
	printf("pace e2e_p99_ns %" PRIu64 "\n", es.p99_ns);
	printf("pace e2e_p999_ns %" PRIu64 "\n", es.p999_ns);
	printf("pace e2e_max_ns %" PRIu64 "\n", es.max_ns);
	if (cfg.e2e_file != NULL && write_e2e(cfg.e2e_file, &e2e, hz) != 0)
		status = 1;
	if (cfg.pps != 0)
		printf("pace: sent %" PRIu64 " frames (%" PRIu64 " refused, %" PRIu64
		       " skipped) in %.3f s: %.0f pps (paced at %" PRIu64 " pps), %" PRIu64
		       " received back\n",
		       r.sent, r.refused, r.skipped, secs, pps, cfg.pps, r.received);
	else
		printf("pace: sent %" PRIu64
		       " frames in %.3f s: %.0f pps (as fast as the port took them), %" PRIu64
		       " received back\n",
		       r.sent, secs, pps, r.received);
	fflush(stdout);

	/* let the peer go first: a memif peer that vanishes under it is harder on it */
	t0 = rte_rdtsc();
	while (cfg.linger != 0 && (link_up(cfg.tx_port) || link_up(cfg.rx_port)) &&
	       !atomic_load(&pace_quit) && rte_rdtsc() - t0 < (uint64_t)cfg.linger * hz)
		rte_delay_us_sleep(1000);
stop:
	ret = rte_eth_dev_stop(cfg.tx_port);
	if (ret != 0)
		fprintf(stderr, "pace: port %u: stop: %s\n", cfg.tx_port, rte_strerror(-ret));
	ret = rte_eth_dev_stop(cfg.rx_port);
	if (ret != 0)
		fprintf(stderr, "pace: port %u: stop: %s\n", cfg.rx_port, rte_strerror(-ret));
	if (rte_eth_dev_close(cfg.tx_port) != 0 || rte_eth_dev_close(cfg.rx_port) != 0)
		fprintf(stderr, "pace: closing the ports failed\n");
out:
	rte_mempool_free(pool);
	match_free(&mt);
	free_frames(&fr);
	ret = rte_eal_cleanup();
	if (ret != 0)
		fprintf(stderr, "pace: EAL cleanup: %s\n", rte_strerror(-ret));
	return status;
}
