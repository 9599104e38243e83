/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * reasm-pcap PCAP [MAX_OBJECT]: the UDP payloads of an Ethernet/IPv4 pcap (gen-objects'
 * output) through insp_chunk_parse() and one reassembly table (channel 0, the pcap's
 * timestamps as the clock, 30 s timeout), printing one line per outcome:
 *
 *   complete ID LEN CRC   (CRC: CRC-32 of the object's bytes, as `crc32`/zlib compute it)
 *   refused ID REASON DETAIL
 *   dropped ID REASON
 *   malformed DETAIL
 *
 * and at the end the objects still in flight, expired: `refused ID obj_incomplete DETAIL`.
 * Test code for tests/reasm/gen-objects.sh; the slow path proper reads chunks from a ring.
 */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_chunk.h"
#include "sp_reasm.h"

static uint32_t
crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void
print(const struct sp_reasm_result *res)
{
	switch (res->status) {
	case SP_REASM_PROGRESS:
		break;
	case SP_REASM_COMPLETE:
		printf("complete 0x%016" PRIx64 " %zu %08x\n", res->obj.id, res->obj.len,
		       crc32(res->obj.data, res->obj.len));
		break;
	case SP_REASM_REFUSED:
		printf("refused 0x%016" PRIx64 " %s %s\n", res->obj.id,
		       insp_reason_name(res->reason), res->detail);
		break;
	case SP_REASM_DROPPED:
		printf("dropped 0x%016" PRIx64 " %s\n", res->obj.id, insp_reason_name(res->reason));
		break;
	}
}

static void
on_expire(void *ctx, const struct sp_reasm_result *res)
{
	(void)ctx;
	print(res);
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct sp_reasm_limits lim = {64, 256u << 20, 30000, 1024, 0};
	struct sp_reasm *r;
	struct sp_reasm_result res;
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	uint32_t max_object = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 64u << 20;

	if (argc < 2) {
		fprintf(stderr, "usage: reasm-pcap PCAP [MAX_OBJECT]\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], err);
	r = sp_reasm_create(&lim);
	if (p == NULL || r == NULL) {
		fprintf(stderr, "reasm-pcap: %s\n", p == NULL ? err : "no table");
		return 1;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		int64_t now = (int64_t)h->ts.tv_sec * 1000 + h->ts.tv_usec / 1000;
		struct insp_chunk c;
		char detail[160];
		size_t ihl;

		/* Ethernet II, IPv4, UDP: what gen-objects writes */
		if (h->caplen < 42 || d[12] != 0x08 || d[13] != 0x00 || d[23] != 17)
			continue;
		ihl = (size_t)(d[14] & 15) * 4;
		if (h->caplen < 14 + ihl + 8)
			continue;
		size_t ulen = (size_t)d[14 + ihl + 4] << 8 | d[14 + ihl + 5];
		if (ulen < 8 || 14 + ihl + ulen > h->caplen)
			continue;
		sp_reasm_expire(r, now, on_expire, NULL);
		if (insp_chunk_parse(d + 14 + ihl + 8, ulen - 8, &c, detail, sizeof(detail)) !=
		    INSP_R_RELEASE) {
			printf("malformed %s\n", detail);
			continue;
		}
		sp_reasm_feed(r, &c, 0, max_object, now, &res);
		print(&res);
		sp_reasm_object_free(&res.obj);
	}
	sp_reasm_expire(r, INT64_MAX, on_expire, NULL);
	sp_reasm_destroy(r);
	pcap_close(p);
	return 0;
}
