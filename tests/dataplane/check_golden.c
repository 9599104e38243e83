/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Golden-run checker for guardd: compares what guardd did with a pcap (out.pcap and its
 * --stats-file) against what gen-traffic says must happen (the .expect sidecar).
 *
 *   check_golden IN.pcap IN.expect OUT.pcap STATS.txt POLICY.yaml
 *
 * Asserts, and prints every difference as "where: field: got X, want Y":
 *  1. out.pcap carries exactly the payloads of the frames the sidecar marks `release`
 *     (as a multiset: guardd may reorder across queues);
 *  2. every output frame is the protocol break of its channel: Ethernet, IP and UDP
 *     headers only from the channel's egress settings (MACs, addresses, ports, TTL/hop
 *     limit), the DSCP of the message's traffic class (or the channel's own 'dscp'), IPv4
 *     without options and not fragmentable, valid IPv4 header and UDP checksums, and
 *     nothing after the payload;
 *  3. every (channel, reason) counter in the stats file equals the sidecar's count, and
 *     the totals agree.
 * Frames are parsed here by hand, not with the library under test, so a classifier bug
 * cannot hide itself. The policy is loaded with the library for the egress settings, and
 * each released payload is decided with it at its input frame's capture time for its
 * traffic class: which DSCP guardd must write (the class decision itself is tested in
 * tests/unit/test_priority.c; here, that guardd writes the DSCP of the class it decided).
 * Exit 0: all equal; 1: any difference or unreadable input.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "insp_inspect.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "insp_reason.h"

struct frame {
	uint8_t *data;
	uint32_t len;
	int64_t ts_ms; /* capture time */
};

struct frames {
	struct frame *f;
	uint32_t n, cap;
};

struct expect {
	uint32_t index;
	char channel[INSP_NAME_MAX];
	char reason[48];
	uint32_t payload_len;
	const uint8_t *payload; /* release only: into the input frame */
	bool used;		/* matched by an output frame */
	uint8_t dscp;		/* release only: what its headers must carry */
};

struct counter {
	char key[INSP_NAME_MAX + 48]; /* "channel reason" */
	uint64_t want, got;
};

static unsigned int n_diff;

#define DIFF(...)                    \
	do {                         \
		n_diff++;            \
		printf(__VA_ARGS__); \
		printf("\n");        \
	} while (0)

static int
read_pcap(const char *path, struct frames *out)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc;
	int r;

	pc = pcap_open_offline(path, errbuf);
	if (pc == NULL) {
		fprintf(stderr, "check_golden: %s: %s\n", path, errbuf);
		return -1;
	}
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		if (h->caplen != h->len) {
			fprintf(stderr, "check_golden: %s: frame %u truncated in capture\n", path,
				out->n);
			pcap_close(pc);
			return -1;
		}
		if (out->n == out->cap) {
			uint32_t cap = out->cap ? out->cap * 2 : 256;
			struct frame *nf = realloc(out->f, cap * sizeof(*nf));

			if (nf == NULL)
				goto nomem;
			out->f = nf;
			out->cap = cap;
		}
		out->f[out->n].data = malloc(h->caplen ? h->caplen : 1);
		if (out->f[out->n].data == NULL)
			goto nomem;
		memcpy(out->f[out->n].data, d, h->caplen);
		out->f[out->n].len = h->caplen;
		out->f[out->n].ts_ms = (int64_t)h->ts.tv_sec * 1000 + h->ts.tv_usec / 1000;
		out->n++;
	}
	if (r == -1) {
		fprintf(stderr, "check_golden: %s: %s\n", path, pcap_geterr(pc));
		pcap_close(pc);
		return -1;
	}
	pcap_close(pc);
	return 0;
nomem:
	fprintf(stderr, "check_golden: out of memory\n");
	pcap_close(pc);
	return -1;
}

static int
read_expect(const char *path, struct expect **out, uint32_t *n_out)
{
	FILE *f = fopen(path, "r");
	struct expect *e = NULL, *ne;
	uint32_t n = 0, cap = 0, line_no = 0;
	char line[512];

	if (f == NULL) {
		fprintf(stderr, "check_golden: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line_no++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			ne = realloc(e, cap * sizeof(*ne));
			if (ne == NULL) {
				fprintf(stderr, "check_golden: out of memory\n");
				goto fail;
			}
			e = ne;
		}
		memset(&e[n], 0, sizeof(e[n]));
		if (sscanf(line, "%" SCNu32 " %63s %47s %" SCNu32, &e[n].index, e[n].channel,
			   e[n].reason, &e[n].payload_len) != 4) {
			fprintf(stderr,
				"check_golden: %s:%u: want '<index> <channel> <reason> "
				"<payload_len>'\n",
				path, line_no);
			goto fail;
		}
		if (insp_reason_from_name(e[n].reason) < 0) {
			fprintf(stderr, "check_golden: %s:%u: unknown reason '%s'\n", path, line_no,
				e[n].reason);
			goto fail;
		}
		n++;
	}
	fclose(f);
	*out = e;
	*n_out = n;
	return 0;
fail:
	fclose(f);
	free(e);
	return -1;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* One's-complement sum, not folded to 16 bits yet. */
static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += rd16(p + i);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	return acc;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* UDP payload of a well-formed input frame (the generator's release frames are). */
static const uint8_t *
in_payload(const struct frame *fr, uint32_t *plen)
{
	const uint8_t *p = fr->data;
	uint32_t off = 14, l4;
	uint16_t type;

	if (fr->len < 14)
		return NULL;
	type = rd16(p + 12);
	if (type == 0x8100) {
		if (fr->len < 18)
			return NULL;
		type = rd16(p + 16);
		off = 18;
	}
	if (type == 0x0800) {
		if (fr->len < off + 20 || (p[off] >> 4) != 4 || p[off + 9] != 17)
			return NULL;
		l4 = off + (uint32_t)(p[off] & 0xf) * 4;
	} else if (type == 0x86dd) {
		if (fr->len < off + 40 || p[off + 6] != 17)
			return NULL;
		l4 = off + 40;
	} else {
		return NULL;
	}
	if (fr->len < l4 + 8 || rd16(p + l4 + 4) < 8 || l4 + rd16(p + l4 + 4) > fr->len)
		return NULL;
	*plen = rd16(p + l4 + 4) - 8u;
	return p + l4 + 8;
}

static void
fmt_mac(char *s, size_t n, const uint8_t *m)
{
	snprintf(s, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void
fmt_ip(char *s, size_t n, uint8_t version, const uint8_t *a)
{
	if (version == 4) {
		snprintf(s, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return;
	}
	snprintf(s, n, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x",
		 a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
		 a[13], a[14], a[15]);
}

#define WANT_U(where, field, got, want)                                              \
	do {                                                                         \
		if ((uint64_t)(got) != (uint64_t)(want))                             \
			DIFF("%s: %s: got %" PRIu64 ", want %" PRIu64, where, field, \
			     (uint64_t)(got), (uint64_t)(want));                     \
	} while (0)

static void
want_bytes(const char *where, const char *field, const uint8_t *got, const uint8_t *want, size_t n,
	   int kind, uint8_t version)
{
	char g[64], w[64];

	if (memcmp(got, want, n) == 0)
		return;
	if (kind == 0) {
		fmt_mac(g, sizeof(g), got);
		fmt_mac(w, sizeof(w), want);
	} else {
		fmt_ip(g, sizeof(g), version, got);
		fmt_ip(w, sizeof(w), version, want);
	}
	DIFF("%s: %s: got %s, want %s", where, field, g, w);
}

/* Does the frame's destination (address, UDP port) belong to @p e? Used to pick a match. */
static bool
dest_matches(const struct frame *fr, const struct insp_egress *e)
{
	const uint8_t *p = fr->data;

	if (e->dst.version == 4)
		return fr->len >= 42 && rd16(p + 12) == 0x0800 &&
		       memcmp(p + 30, e->dst.a, 4) == 0 && rd16(p + 36) == e->dst_udp_port;
	return fr->len >= 62 && rd16(p + 12) == 0x86dd && memcmp(p + 38, e->dst.a, 16) == 0 &&
	       rd16(p + 56) == e->dst_udp_port;
}

/* Check one output frame against its channel's egress and the payload it should carry. */
static void
check_headers(const char *where, const struct frame *fr, const struct insp_egress *e, uint32_t plen,
	      uint8_t dscp)
{
	const uint8_t *p = fr->data;
	uint32_t hl = e->dst.version == 4 ? 42 : 62, l3 = 14, l4 = hl - 8;
	uint32_t s;

	WANT_U(where, "frame length (headers + payload, no trailer)", fr->len, hl + plen);
	if (fr->len < hl)
		return;
	want_bytes(where, "dst mac", p, e->dst_mac, 6, 0, 0);
	if (e->has_src_mac)
		want_bytes(where, "src mac", p + 6, e->src_mac, 6, 0, 0);
	if (e->dst.version == 4) {
		WANT_U(where, "ethertype", rd16(p + 12), 0x0800);
		WANT_U(where, "ip version", p[l3] >> 4, 4);
		WANT_U(where, "ipv4 ihl", p[l3] & 0xf, 5);
		WANT_U(where, "dscp", p[l3 + 1] >> 2, dscp);
		WANT_U(where, "ecn", p[l3 + 1] & 3, 0);
		WANT_U(where, "ipv4 total length", rd16(p + l3 + 2), 28 + plen);
		WANT_U(where, "ipv4 DF", (rd16(p + l3 + 6) >> 14) & 1, 1);
		WANT_U(where, "ipv4 MF/fragment offset", rd16(p + l3 + 6) & 0x3fff, 0);
		WANT_U(where, "ipv4 reserved flag", rd16(p + l3 + 6) >> 15, 0);
		WANT_U(where, "ttl", p[l3 + 8], e->ttl);
		WANT_U(where, "ip protocol", p[l3 + 9], 17);
		WANT_U(where, "ipv4 header checksum (folded sum)", fold(sum16(p + l3, 20, 0)),
		       0xffff);
		want_bytes(where, "src ip", p + l3 + 12, e->src.a, 4, 1, 4);
		want_bytes(where, "dst ip", p + l3 + 16, e->dst.a, 4, 1, 4);
		s = sum16(p + l3 + 12, 8, 0) + 17 + 8 + plen;
	} else {
		WANT_U(where, "ethertype", rd16(p + 12), 0x86dd);
		WANT_U(where, "ip version", p[l3] >> 4, 6);
		WANT_U(where, "dscp", ((p[l3] & 0xf) << 2) | (p[l3 + 1] >> 6), dscp);
		WANT_U(where, "ecn", (p[l3 + 1] >> 4) & 3, 0);
		WANT_U(where, "ipv6 flow label",
		       ((uint32_t)(p[l3 + 1] & 0xf) << 16) | rd16(p + l3 + 2), 0);
		WANT_U(where, "ipv6 payload length", rd16(p + l3 + 4), 8 + plen);
		WANT_U(where, "ipv6 next header", p[l3 + 6], 17);
		WANT_U(where, "hop limit", p[l3 + 7], e->ttl);
		want_bytes(where, "src ip", p + l3 + 8, e->src.a, 16, 1, 6);
		want_bytes(where, "dst ip", p + l3 + 24, e->dst.a, 16, 1, 6);
		s = sum16(p + l3 + 8, 32, 0) + 17 + 8 + plen;
	}
	WANT_U(where, "udp src port", rd16(p + l4), e->src_udp_port);
	WANT_U(where, "udp dst port", rd16(p + l4 + 2), e->dst_udp_port);
	WANT_U(where, "udp length", rd16(p + l4 + 4), 8 + plen);
	if (rd16(p + l4 + 6) == 0)
		DIFF("%s: udp checksum: got 0 (none), want a computed checksum", where);
	else if (fr->len >= hl + plen)
		WANT_U(where, "udp checksum (folded sum)", fold(sum16(p + l4, 8 + plen, s)),
		       0xffff);
}

static int
find_channel(const struct insp_policy *p, const char *name)
{
	uint32_t i;

	for (i = 0; i < p->n_channels; i++)
		if (strcmp(p->channels[i].name, name) == 0)
			return (int)i;
	return -1;
}

static struct counter *
counter_get(struct counter **c, uint32_t *n, uint32_t *cap, const char *key)
{
	struct counter *nc;
	uint32_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*c)[i].key, key) == 0)
			return &(*c)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		nc = realloc(*c, *cap * sizeof(*nc));
		if (nc == NULL) {
			fprintf(stderr, "check_golden: out of memory\n");
			exit(1);
		}
		*c = nc;
	}
	memset(&(*c)[*n], 0, sizeof(**c));
	snprintf((*c)[*n].key, sizeof((*c)[*n].key), "%s", key);
	return &(*c)[(*n)++];
}

static int
check_stats(const char *path, const struct expect *ex, uint32_t n_ex, uint32_t n_in, uint32_t n_out)
{
	struct counter *c = NULL;
	uint32_t n = 0, cap = 0, i, line_no = 0, n_release = 0;
	char line[512], a[INSP_NAME_MAX], b[48], key[INSP_NAME_MAX + 48];
	uint64_t v, total_rx = UINT64_MAX, total_tx = UINT64_MAX;
	bool header = false, have_secs = false;
	double secs;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "check_golden: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n_ex; i++) {
		snprintf(key, sizeof(key), "%s %s", ex[i].channel, ex[i].reason);
		counter_get(&c, &n, &cap, key)->want++;
		n_release += strcmp(ex[i].reason, "release") == 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line_no++;
		line[strcspn(line, "\n")] = '\0';
		if (line_no == 1) {
			header = strcmp(line, "# guardd counters") == 0;
			continue;
		}
		if (sscanf(line, "total seconds %lf", &secs) == 1) {
			have_secs = true;
			continue;
		}
		if (sscanf(line, "%63s %47s %" SCNu64, a, b, &v) != 3) {
			DIFF("%s:%u: unparsable line '%s'", path, line_no, line);
			continue;
		}
		if (strcmp(a, "total") == 0 && strcmp(b, "rx") == 0) {
			total_rx = v;
			continue;
		}
		if (strcmp(a, "total") == 0 && strcmp(b, "tx") == 0) {
			total_tx = v;
			continue;
		}
		if (strcmp(a, "total") == 0) /* audit_records, audit_lost: not decisions */
			continue;
		snprintf(key, sizeof(key), "%s %s", a, b);
		counter_get(&c, &n, &cap, key)->got += v;
	}
	fclose(f);
	if (!header)
		DIFF("%s: first line: want '# guardd counters'", path);
	if (!have_secs)
		DIFF("%s: 'total seconds' line missing", path);
	for (i = 0; i < n; i++)
		if (c[i].got != c[i].want)
			DIFF("counter '%s': got %" PRIu64 ", want %" PRIu64, c[i].key, c[i].got,
			     c[i].want);
	WANT_U(path, "total rx", total_rx, n_in);
	WANT_U(path, "total tx", total_tx, n_release);
	WANT_U("out.pcap", "frames", n_out, n_release);
	free(c);
	return 0;
}

int
main(int argc, char **argv)
{
	struct frames in = {0}, out = {0};
	struct expect *ex = NULL;
	struct insp_policy *pol;
	struct insp_scratch *scr;
	struct insp_err err;
	uint32_t n_ex = 0, i, j, base, plen;
	char where[160];

	if (argc != 6) {
		fprintf(stderr, "usage: %s IN.pcap IN.expect OUT.pcap STATS.txt POLICY.yaml\n",
			argv[0]);
		return 1;
	}
	pol = pc_policy_load_file(argv[5], &err);
	if (pol == NULL) {
		fprintf(stderr, "check_golden: %s\n", err.msg);
		return 1;
	}
	if (read_pcap(argv[1], &in) != 0 || read_expect(argv[2], &ex, &n_ex) != 0 ||
	    read_pcap(argv[3], &out) != 0)
		return 1;
	scr = insp_scratch_create(pol, 65536);
	if (scr == NULL) {
		fprintf(stderr, "check_golden: out of memory\n");
		return 1;
	}

	/* The sidecar lists every input frame once, in order (0- or 1-based). */
	WANT_U(argv[2], "entries (one per input frame)", n_ex, in.n);
	base = n_ex != 0 ? ex[0].index : 0;
	if (base > 1)
		DIFF("%s: first index %u, want 0 or 1", argv[2], base);
	for (i = 0; i < n_ex; i++) {
		if (ex[i].index != base + i) {
			DIFF("%s: entry %u: index %u, want %u", argv[2], i, ex[i].index, base + i);
			goto out;
		}
		if (strcmp(ex[i].reason, "release") != 0)
			continue;
		if (i >= in.n)
			break;
		if (find_channel(pol, ex[i].channel) < 0) {
			DIFF("in[%u]: released on channel '%s', which the policy lacks",
			     ex[i].index, ex[i].channel);
			continue;
		}
		ex[i].payload = in_payload(&in.f[i], &plen);
		if (ex[i].payload == NULL) {
			DIFF("in[%u]: marked release but not a parsable UDP frame", ex[i].index);
			continue;
		}
		snprintf(where, sizeof(where), "in[%u] (%s)", ex[i].index, ex[i].channel);
		WANT_U(where, "payload length (in.pcap vs sidecar)", plen, ex[i].payload_len);
		ex[i].payload_len = plen;
		{
			int ch = find_channel(pol, ex[i].channel);
			struct insp_result res;

			/* its class as decided when it arrived: the DSCP guardd must write */
			if (insp_inspect(pol, scr, (uint32_t)ch, ex[i].payload, plen, in.f[i].ts_ms,
					 &res) != INSP_R_RELEASE)
				DIFF("%s: the library decides %s at the capture time: %s", where,
				     insp_reason_name(res.reason), res.detail);
			ex[i].dscp = insp_egress_dscp(pol, &pol->channels[ch], res.tclass);
		}
	}

	/* (1) and (2): match each output frame to an unused released payload. */
	for (j = 0; j < out.n; j++) {
		const struct frame *fr = &out.f[j];
		int best = -1, best_any = -1, ch;

		for (i = 0; i < n_ex; i++) {
			const struct expect *e = &ex[i];
			uint32_t hl;

			if (e->used || e->payload == NULL)
				continue;
			ch = find_channel(pol, e->channel);
			hl = pol->channels[ch].egress.dst.version == 4 ? 42 : 62;
			if (fr->len < hl + e->payload_len ||
			    memcmp(fr->data + hl, e->payload, e->payload_len) != 0)
				continue;
			if (best_any < 0)
				best_any = (int)i;
			if (dest_matches(fr, &pol->channels[ch].egress)) {
				best = (int)i;
				break;
			}
		}
		if (best < 0)
			best = best_any;
		if (best < 0) {
			DIFF("out[%u]: payload (frame %u bytes) is not one of the released inputs",
			     j, fr->len);
			continue;
		}
		ex[best].used = true;
		ch = find_channel(pol, ex[best].channel);
		snprintf(where, sizeof(where), "out[%u] (in[%u], %s)", j, ex[best].index,
			 ex[best].channel);
		check_headers(where, fr, &pol->channels[ch].egress, ex[best].payload_len,
			      ex[best].dscp);
	}
	for (i = 0; i < n_ex; i++)
		if (ex[i].payload != NULL && !ex[i].used)
			DIFF("in[%u] (%s): released payload (%u bytes) missing from out.pcap",
			     ex[i].index, ex[i].channel, ex[i].payload_len);

	/* (3) counters */
	if (check_stats(argv[4], ex, n_ex, in.n, out.n) != 0)
		n_diff++;
out:
	printf("check_golden: %u input frames, %u output frames, %u differences\n", in.n, out.n,
	       n_diff);
	for (i = 0; i < in.n; i++)
		free(in.f[i].data);
	for (i = 0; i < out.n; i++)
		free(out.f[i].data);
	free(in.f);
	free(out.f);
	free(ex);
	insp_scratch_free(scr);
	pc_policy_free(pol);
	return n_diff == 0 ? 0 : 1;
}
