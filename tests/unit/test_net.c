/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Layers 2-4 (insp_net.h): every l2l4_* reason from crafted frames, the channel lookup
 * (port, address, UDP port, IP version), VLAN and QinQ, Ethernet trailers, UDP checksum
 * rules per IP version, NIC-verified checksum flags, and the egress headers of the protocol
 * break, verified with an independent byte-wise RFC 1071 checksum and by classifying the
 * rebuilt frame again. No arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "insp_net.h"
#include "insp_policy.h"
#include "pc_policy.h"
#include "test.h"

/* ---- an independent checksum: byte-wise RFC 1071, big-endian 16-bit words ---- */

static uint32_t
ref_sum(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return s;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* UDP checksum over pseudo header + UDP header (checksum field as is) + payload. */
static uint32_t
ref_udp_sum(int v6, const uint8_t *src, const uint8_t *dst, const uint8_t *udp, size_t udp_len)
{
	uint8_t ph[40];
	size_t alen = v6 ? 16 : 4, n = 0;

	memcpy(ph, src, alen);
	memcpy(ph + alen, dst, alen);
	n = 2 * alen;
	if (v6) {
		ph[n++] = (uint8_t)(udp_len >> 24);
		ph[n++] = (uint8_t)(udp_len >> 16);
		ph[n++] = (uint8_t)(udp_len >> 8);
		ph[n++] = (uint8_t)udp_len;
		ph[n++] = 0;
		ph[n++] = 0;
		ph[n++] = 0;
		ph[n++] = 17;
	} else {
		ph[n++] = 0;
		ph[n++] = 17;
		ph[n++] = (uint8_t)(udp_len >> 8);
		ph[n++] = (uint8_t)udp_len;
	}
	return ref_sum(udp, udp_len, ref_sum(ph, n, 0));
}

/* ---- the policy ---- */

static struct insp_policy pol, rt_pol;
static struct insp_channel chans[2], rt_chans[2];

static const uint8_t V4_IN[4] = {239, 2, 3, 1};
static uint8_t V6_IN[16]; /* ff05::2:3:1 */
static const uint8_t V4_SRC[4] = {192, 0, 2, 7};
static uint8_t V6_SRC[16]; /* 2001:db8::7 */

static void
set4(struct insp_ipaddr *a, const uint8_t *b)
{
	memset(a, 0, sizeof(*a));
	a->version = 4;
	memcpy(a->a, b, 4);
}

static void
set6(struct insp_ipaddr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->version = 6;
	if (inet_pton(AF_INET6, s, a->a) != 1)
		abort();
}

static void
setup(void)
{
	struct insp_channel *c;
	static const uint8_t e4_src[4] = {203, 0, 113, 10}, e4_dst[4] = {239, 10, 3, 1};

	if (inet_pton(AF_INET6, "ff05::2:3:1", V6_IN) != 1 ||
	    inet_pton(AF_INET6, "2001:db8::7", V6_SRC) != 1)
		abort();
	memset(&pol, 0, sizeof(pol));
	memset(chans, 0, sizeof(chans));
	pol.n_channels = 2;
	pol.channels = chans;

	c = &chans[0];
	snprintf(c->name, sizeof(c->name), "v4");
	c->max_size = 1500;
	c->ingress.port = 0;
	set4(&c->ingress.dst, V4_IN);
	c->ingress.udp_port = 6969;
	c->egress.port = 1;
	memcpy(c->egress.dst_mac, "\x01\x00\x5e\x0a\x03\x01", 6);
	set4(&c->egress.src, e4_src);
	set4(&c->egress.dst, e4_dst);
	c->egress.src_udp_port = 6969;
	c->egress.dst_udp_port = 6970;
	c->egress.ttl = 32;
	c->egress.dscp = 18;

	c = &chans[1];
	snprintf(c->name, sizeof(c->name), "v6");
	c->max_size = 100;
	c->ingress.port = 0;
	set6(&c->ingress.dst, "ff05::2:3:1");
	c->ingress.udp_port = 6969;
	c->egress.port = 1;
	c->egress.has_src_mac = 1;
	memcpy(c->egress.src_mac, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(c->egress.dst_mac, "\x33\x33\x00\x03\x00\x01", 6);
	set6(&c->egress.src, "2001:db8:20::10");
	set6(&c->egress.dst, "ff05::10:3:1");
	c->egress.src_udp_port = 6969;
	c->egress.dst_udp_port = 6971;
	c->egress.ttl = 7;
	c->egress.dscp = 46;

	/* a second guard whose ingress is the first one's egress */
	memset(&rt_pol, 0, sizeof(rt_pol));
	memcpy(rt_chans, chans, sizeof(chans));
	rt_pol.n_channels = 2;
	rt_pol.channels = rt_chans;
	for (int i = 0; i < 2; i++) {
		rt_chans[i].ingress.port = chans[i].egress.port;
		rt_chans[i].ingress.dst = chans[i].egress.dst;
		rt_chans[i].ingress.udp_port = chans[i].egress.dst_udp_port;
		rt_chans[i].max_size = 1500;
	}
	/* the channel lookup is a table the compiler builds */
	if (pc_build_tables(&pol) != 0 || pc_build_tables(&rt_pol) != 0)
		abort();
}

/* ---- frames ---- */

enum { VLAN_NONE, VLAN_ONE, VLAN_QINQ, VLAN_TWO_8100 };

struct fopt {
	int v6;
	int vlan;
	uint16_t etype;	    /* after the tags; 0: from v6 */
	uint8_t version;    /* IP version nibble; 0: from v6 */
	const uint8_t *dst; /* NULL: the channel's ingress address */
	uint16_t dport;	    /* 0: 6969 */
	uint8_t proto;	    /* IPv4 protocol / IPv6 next header; 0: UDP */
	int proto_zero;	    /* really put 0 (IPv6 hop-by-hop) */
	uint8_t ihl;	    /* 0: 5 */
	uint16_t frag;	    /* IPv4 flags + fragment offset */
	int ip_len_adj;	    /* added to IPv4 total length / IPv6 payload length */
	int udp_len_adj;    /* added to the UDP length */
	int bad_ip_cksum;
	int bad_udp_cksum;
	int zero_udp_cksum;
	size_t payload_len; /* default 11 (odd) */
	size_t trailer;	    /* bytes of 0xEE after the IP datagram */
};

static uint8_t frame[4096];
static uint8_t payload_ref[2048];

static size_t
build(const struct fopt *o)
{
	size_t n = 0, plen = o->payload_len ? o->payload_len : 11;
	uint8_t *ip, *udp;
	int v6 = o->v6;
	size_t ihl = o->ihl ? o->ihl : 5;

	for (size_t i = 0; i < plen; i++)
		payload_ref[i] = (uint8_t)(i * 7 + 3);
	memset(frame, 0xCC, sizeof(frame));
	memcpy(frame, "\x01\x00\x5e\x02\x03\x01\x02\x11\x22\x33\x44\x55", 12);
	n = 12;
	if (o->vlan == VLAN_ONE) {
		memcpy(frame + n, "\x81\x00\x00\x64", 4);
		n += 4;
	} else if (o->vlan == VLAN_QINQ) {
		memcpy(frame + n, "\x88\xa8\x00\x0a\x81\x00\x00\x64", 8);
		n += 8;
	} else if (o->vlan == VLAN_TWO_8100) {
		memcpy(frame + n, "\x81\x00\x00\x0a\x81\x00\x00\x64", 8);
		n += 8;
	}
	wr16(frame + n, o->etype ? o->etype : v6 ? 0x86DD : 0x0800);
	n += 2;
	ip = frame + n;
	uint8_t proto = o->proto_zero ? 0 : o->proto ? o->proto : 17;
	size_t udp_len = 8 + plen;

	if (!v6) {
		size_t tot = ihl * 4 + udp_len;

		ip[0] = (uint8_t)((o->version ? o->version : 4) << 4 | ihl);
		ip[1] = 0;
		wr16(ip + 2, (uint16_t)((int)tot + o->ip_len_adj));
		wr16(ip + 4, 0x1234);
		wr16(ip + 6, o->frag);
		ip[8] = 64;
		ip[9] = proto;
		wr16(ip + 10, 0);
		memcpy(ip + 12, V4_SRC, 4);
		memcpy(ip + 16, o->dst ? o->dst : V4_IN, 4);
		for (size_t i = 20; i < ihl * 4; i++)
			ip[i] = 1; /* NOP options */
		if (ihl >= 5)
			wr16(ip + 10, (uint16_t)~ref_sum(ip, ihl * 4, 0));
		if (o->bad_ip_cksum)
			ip[10] ^= 0x01;
		udp = ip + ihl * 4;
	} else {
		ip[0] = (uint8_t)((o->version ? o->version : 6) << 4);
		ip[1] = ip[2] = ip[3] = 0;
		wr16(ip + 4, (uint16_t)((int)udp_len + o->ip_len_adj));
		ip[6] = proto;
		ip[7] = 64;
		memcpy(ip + 8, V6_SRC, 16);
		memcpy(ip + 24, o->dst ? o->dst : V6_IN, 16);
		udp = ip + 40;
	}
	wr16(udp, 40000);
	wr16(udp + 2, o->dport ? o->dport : 6969);
	size_t wire_udp_len = (size_t)((int)udp_len + o->udp_len_adj);

	wr16(udp + 4, (uint16_t)wire_udp_len);
	wr16(udp + 6, 0);
	memcpy(udp + 8, payload_ref, plen);
	if (!o->zero_udp_cksum) {
		size_t covered = wire_udp_len < udp_len ? wire_udp_len : udp_len;
		uint16_t c = (uint16_t)~ref_udp_sum(v6, v6 ? ip + 8 : ip + 12,
						    v6 ? ip + 24 : ip + 16, udp, covered);

		wr16(udp + 6, c == 0 ? 0xFFFF : c);
		if (o->bad_udp_cksum)
			udp[7] ^= 0x40;
	}
	n = (size_t)(udp + udp_len - frame);
	memset(frame + n, 0xEE, o->trailer);
	return n + o->trailer;
}

static struct insp_flow flow;

static enum insp_reason
classify(const struct fopt *o, uint16_t port, unsigned flags)
{
	size_t len = build(o);

	memset(&flow, 0x5A, sizeof(flow));
	return insp_net_classify(&pol, port, frame, len, flags, &flow);
}

#define EXPECT(o, port, flags, want, ...)                                     \
	do {                                                                  \
		enum insp_reason r_ = classify(o, port, flags);               \
		CHECK(r_ == (want), __VA_ARGS__);                             \
		if (r_ != (want))                                             \
			printf("#   got %s, want %s\n", insp_reason_name(r_), \
			       insp_reason_name(want));                       \
	} while (0)

static void
test_release(void)
{
	struct fopt o = {0};

	EXPECT(&o, 0, 0, INSP_R_RELEASE, "IPv4 datagram of channel 0");
	CHECK(flow.channel == 0 && flow.ip_version == 4, "IPv4: channel 0, version 4");
	CHECK(flow.src_port == 40000 && flow.dst_port == 6969, "IPv4: ports");
	CHECK(flow.l3_offset == 14 && flow.payload_offset == 42 && flow.payload_len == 11,
	      "IPv4: offsets 14/42, payload 11");
	CHECK(memcmp(frame + flow.payload_offset, payload_ref, 11) == 0, "IPv4: payload bytes");
	CHECK(flow.has_payload_sum && flow.payload_sum == ref_sum(payload_ref, 11, 0),
	      "IPv4: payload sum (odd length) %#x", flow.payload_sum);
	CHECK(flow.src.version == 4 && memcmp(flow.src.a, V4_SRC, 4) == 0 &&
		      flow.dst.version == 4 && memcmp(flow.dst.a, V4_IN, 4) == 0,
	      "IPv4: addresses");

	o.v6 = 1;
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "IPv6 datagram of channel 1");
	CHECK(flow.channel == 1 && flow.ip_version == 6, "IPv6: channel 1, version 6");
	CHECK(flow.l3_offset == 14 && flow.payload_offset == 62 && flow.payload_len == 11,
	      "IPv6: offsets 14/62, payload 11");
	CHECK(memcmp(flow.src.a, V6_SRC, 16) == 0 && memcmp(flow.dst.a, V6_IN, 16) == 0,
	      "IPv6: addresses");
	CHECK(flow.has_payload_sum && flow.payload_sum == ref_sum(payload_ref, 11, 0),
	      "IPv6: payload sum");

	o = (struct fopt){.vlan = VLAN_ONE};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "one 802.1Q tag accepted (IPv4)");
	CHECK(flow.l3_offset == 18 && flow.payload_offset == 46 && flow.payload_len == 11,
	      "VLAN: offsets 18/46");
	o.v6 = 1;
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "one 802.1Q tag accepted (IPv6)");
	CHECK(flow.l3_offset == 18 && flow.payload_offset == 66, "VLAN IPv6: offsets 18/66");

	o = (struct fopt){.frag = 0x4000};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "DF alone is not a fragment");

	o = (struct fopt){.payload_len = 1};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "one-byte payload");
	CHECK(flow.payload_len == 1, "one-byte payload length");
}

static void
test_l2(void)
{
	struct fopt o = {0};
	size_t len;

	o.vlan = VLAN_QINQ;
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "QinQ (802.1ad outer tag) refused");
	o.vlan = VLAN_TWO_8100;
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "two 802.1Q tags refused");
	o = (struct fopt){.etype = 0x0806};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "ARP");
	o = (struct fopt){.etype = 0x88CC};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "LLDP");
	o = (struct fopt){.etype = 0x0800, .vlan = VLAN_ONE, .proto = 6};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "TCP in VLAN");
	o = (struct fopt){.proto = 6};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "TCP");
	o = (struct fopt){.proto = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "ICMP");
	o = (struct fopt){.v6 = 1, .proto = 58};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "ICMPv6");
	o = (struct fopt){.v6 = 1, .proto = 6};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "TCP over IPv6");
	o = (struct fopt){.version = 6};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "IPv4 ethertype, version 6 header");
	o = (struct fopt){.v6 = 1, .version = 4};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NOT_UDP, "IPv6 ethertype, version 4 header");

	/* truncations */
	len = build(&(struct fopt){0});
	CHECK(insp_net_classify(&pol, 0, frame, 0, 0, &flow) == INSP_R_L2L4_TRUNCATED,
	      "empty frame");
	CHECK(insp_net_classify(&pol, 0, frame, 13, 0, &flow) == INSP_R_L2L4_TRUNCATED,
	      "13-byte frame");
	CHECK(insp_net_classify(&pol, 0, frame, 33, 0, &flow) == INSP_R_L2L4_TRUNCATED,
	      "IPv4 header cut at 19 bytes");
	CHECK(insp_net_classify(&pol, 0, frame, len - 1, 0, &flow) == INSP_R_L2L4_TRUNCATED,
	      "frame one byte shorter than the IPv4 total length");
	build(&(struct fopt){.vlan = VLAN_ONE});
	CHECK(insp_net_classify(&pol, 0, frame, 17, 0, &flow) == INSP_R_L2L4_TRUNCATED,
	      "VLAN tag cut");
	len = build(&(struct fopt){.v6 = 1});
	CHECK(insp_net_classify(&pol, 0, frame, 53, 0, &flow) == INSP_R_L2L4_TRUNCATED,
	      "IPv6 header cut at 39 bytes");
	CHECK(insp_net_classify(&pol, 0, frame, len - 1, 0, &flow) == INSP_R_L2L4_TRUNCATED,
	      "frame one byte shorter than the IPv6 payload length");
}

static void
test_l3_l4(void)
{
	struct fopt o;

	o = (struct fopt){.ihl = 4};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "IHL 4 (header shorter than 20)");
	o = (struct fopt){.ihl = 6};
	EXPECT(&o, 0, 0, INSP_R_L2L4_IP_OPTIONS, "IPv4 options (IHL 6)");
	o.ihl = 15;
	EXPECT(&o, 0, 0, INSP_R_L2L4_IP_OPTIONS, "IPv4 options (IHL 15)");
	o = (struct fopt){.v6 = 1, .proto_zero = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_IP_OPTIONS, "IPv6 hop-by-hop header");
	o = (struct fopt){.v6 = 1, .proto = 43};
	EXPECT(&o, 0, 0, INSP_R_L2L4_IP_OPTIONS, "IPv6 routing header");
	o = (struct fopt){.v6 = 1, .proto = 60};
	EXPECT(&o, 0, 0, INSP_R_L2L4_IP_OPTIONS, "IPv6 destination options");
	o = (struct fopt){.v6 = 1, .proto = 51};
	EXPECT(&o, 0, 0, INSP_R_L2L4_IP_OPTIONS, "IPv6 AH");

	o = (struct fopt){.frag = 0x2000};
	EXPECT(&o, 0, 0, INSP_R_L2L4_FRAGMENT, "IPv4 MF set (first fragment)");
	o = (struct fopt){.frag = 0x0001};
	EXPECT(&o, 0, 0, INSP_R_L2L4_FRAGMENT, "IPv4 fragment offset 8 (last fragment)");
	o = (struct fopt){.frag = 0x4000 | 0x1FFF};
	EXPECT(&o, 0, 0, INSP_R_L2L4_FRAGMENT, "IPv4 DF and offset");
	o = (struct fopt){.v6 = 1, .proto = 44};
	EXPECT(&o, 0, 0, INSP_R_L2L4_FRAGMENT, "IPv6 fragment header");

	o = (struct fopt){.ip_len_adj = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "IPv4 total length past the frame");
	o = (struct fopt){.ip_len_adj = -(8 + 11 + 1)};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "IPv4 total length below the header length");
	o = (struct fopt){.ip_len_adj = -(8 + 11 - 7)};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "IPv4 payload of 7 bytes (no UDP header)");
	o = (struct fopt){.udp_len_adj = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "UDP length past the IPv4 payload");
	o = (struct fopt){.udp_len_adj = -12};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "UDP length 7");
	o = (struct fopt){.v6 = 1, .ip_len_adj = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "IPv6 payload length past the frame");
	o = (struct fopt){.v6 = 1, .udp_len_adj = 1, .trailer = 4};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED,
	       "UDP length past the IPv6 payload (bytes present in a trailer)");
	o = (struct fopt){.v6 = 1, .ip_len_adj = -(8 + 11)};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "IPv6 payload length 0");
}

static void
test_channels(void)
{
	struct fopt o;
	static const uint8_t other4[4] = {239, 2, 3, 9}, v6_prefix_as_v4[4] = {0xff, 0x05, 0, 0};
	uint8_t v4_as_v6[16] = {0xef, 0x02, 0x03, 0x01};
	uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 239, 2, 3, 1};
	struct insp_ipaddr a;

	o = (struct fopt){.dst = other4};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NO_CHANNEL, "unconfigured IPv4 address");
	CHECK(flow.channel == -1 && flow.ip_version == 4, "no channel: channel -1");
	o = (struct fopt){.dport = 6970};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NO_CHANNEL, "unconfigured UDP port");
	o = (struct fopt){0};
	EXPECT(&o, 1, 0, INSP_R_L2L4_NO_CHANNEL, "right flow on the wrong port");
	o = (struct fopt){.dst = v6_prefix_as_v4};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NO_CHANNEL,
	       "IPv4 address equal to the IPv6 channel's first bytes");
	o = (struct fopt){.v6 = 1, .dst = v4_as_v6};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NO_CHANNEL,
	       "IPv6 address starting with the IPv4 channel's bytes");
	o = (struct fopt){.v6 = 1, .dst = mapped};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NO_CHANNEL, "IPv4-mapped IPv6 address of the IPv4 channel");

	set4(&a, V4_IN);
	CHECK(insp_policy_channel_lookup(&pol, 0, &a, 6969) == 0, "lookup 239.2.3.1:6969 -> 0");
	CHECK(insp_policy_channel_lookup(&pol, 1, &a, 6969) == -1, "lookup on port 1 -> -1");
	CHECK(insp_policy_channel_lookup(&pol, 0, &a, 6968) == -1, "lookup UDP 6968 -> -1");
	set6(&a, "ff05::2:3:1");
	CHECK(insp_policy_channel_lookup(&pol, 0, &a, 6969) == 1, "lookup [ff05::2:3:1]:6969 -> 1");
	set6(&a, "ff05::2:3:2");
	CHECK(insp_policy_channel_lookup(&pol, 0, &a, 6969) == -1, "lookup ff05::2:3:2 -> -1");
	a.version = 5;
	CHECK(insp_policy_channel_lookup(&pol, 0, &a, 6969) == -1, "lookup version 5 -> -1");
}

static void
test_checksums(void)
{
	struct fopt o;

	o = (struct fopt){.bad_ip_cksum = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_BAD_CHECKSUM, "bad IPv4 header checksum");
	EXPECT(&o, 0, INSP_NET_L3_CKSUM_GOOD, INSP_R_RELEASE,
	       "bad IPv4 header checksum, NIC says good: not recomputed");
	o = (struct fopt){.bad_udp_cksum = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_BAD_CHECKSUM, "bad UDP checksum (IPv4)");
	EXPECT(&o, 0, INSP_NET_L4_CKSUM_GOOD, INSP_R_RELEASE,
	       "bad UDP checksum, NIC says good: not recomputed");
	CHECK(!flow.has_payload_sum, "NIC-verified L4: no payload sum computed");
	EXPECT(&o, 0, INSP_NET_L3_CKSUM_GOOD, INSP_R_L2L4_BAD_CHECKSUM,
	       "L3 flag does not cover the UDP checksum");
	o = (struct fopt){.zero_udp_cksum = 1};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "zero UDP checksum is legal in IPv4");
	CHECK(flow.has_payload_sum && flow.payload_sum == ref_sum(payload_ref, 11, 0),
	      "zero UDP checksum: payload sum still computed");
	o = (struct fopt){.v6 = 1, .zero_udp_cksum = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_BAD_CHECKSUM, "zero UDP checksum is illegal in IPv6");
	EXPECT(&o, 0, INSP_NET_L4_CKSUM_GOOD, INSP_R_RELEASE,
	       "zero UDP checksum in IPv6, NIC says good");
	o = (struct fopt){.v6 = 1, .bad_udp_cksum = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_BAD_CHECKSUM, "bad UDP checksum (IPv6)");
	o = (struct fopt){.vlan = VLAN_ONE, .bad_ip_cksum = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_BAD_CHECKSUM, "bad IPv4 header checksum behind a VLAN tag");

	/* a datagram whose checksum computes to 0 carries 0xFFFF */
	for (int v6 = 0; v6 <= 1; v6++) {
		int found = 0;

		for (uint32_t w = 0; w < 0x10000 && !found; w++) {
			size_t len;
			uint8_t *udp;

			o = (struct fopt){.v6 = v6, .payload_len = 2};
			len = build(&o);
			udp = frame + 14 + (v6 ? 40 : 20);
			wr16(udp + 8, (uint16_t)w);
			wr16(udp + 6, 0);
			uint32_t s = ref_udp_sum(v6, v6 ? frame + 22 : frame + 26,
						 v6 ? frame + 38 : frame + 30, udp, 10);

			if (s != 0xFFFF)
				continue;
			found = 1;
			wr16(udp + 6, 0xFFFF);
			CHECK(insp_net_classify(&pol, 0, frame, len, 0, &flow) == INSP_R_RELEASE,
			      "IPv%d: UDP checksum 0xFFFF (computed 0) accepted", v6 ? 6 : 4);
			wr16(udp + 6, 0);
			CHECK(insp_net_classify(&pol, 0, frame, len, 0, &flow) ==
				      (v6 ? INSP_R_L2L4_BAD_CHECKSUM : INSP_R_RELEASE),
			      "IPv%d: same datagram with checksum 0", v6 ? 6 : 4);
		}
		CHECK(found, "IPv%d: found a payload whose UDP checksum computes to 0", v6 ? 6 : 4);
	}
}

static void
test_size_and_trailer(void)
{
	struct fopt o;

	o = (struct fopt){.v6 = 1, .payload_len = 100};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "IPv6 payload 100 = max_size");
	o.payload_len = 101;
	EXPECT(&o, 0, 0, INSP_R_L2L4_OVERSIZE, "IPv6 payload 101 > max_size 100");
	CHECK(flow.channel == 1 && flow.payload_len == 101, "oversize: channel and length set");
	o = (struct fopt){.payload_len = 1500};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "IPv4 payload 1500 = max_size");
	o.payload_len = 1501;
	EXPECT(&o, 0, 0, INSP_R_L2L4_OVERSIZE, "IPv4 payload 1501 > max_size 1500");

	o = (struct fopt){.trailer = 6};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "Ethernet trailer after the IPv4 datagram ignored");
	CHECK(flow.payload_len == 11 && flow.payload_sum == ref_sum(payload_ref, 11, 0),
	      "trailer not in the payload length or sum");
	o = (struct fopt){.payload_len = 1, .trailer = 60 - 43};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "minimum-size frame padded to 60 bytes");
	CHECK(flow.payload_len == 1, "padding not in the payload");
	o = (struct fopt){.v6 = 1, .trailer = 9};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "trailer after an IPv6 datagram ignored");
	CHECK(flow.payload_len == 11, "IPv6 trailer not in the payload");
	o = (struct fopt){.udp_len_adj = -5};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "UDP length shorter than the IP payload");
	CHECK(flow.payload_len == 6, "payload is what the UDP length says (6)");
	o = (struct fopt){.v6 = 1, .payload_len = 150, .udp_len_adj = -60};
	EXPECT(&o, 0, 0, INSP_R_RELEASE, "size limit applies to the UDP payload, not the IP one");
	CHECK(flow.payload_len == 90, "IPv6 UDP payload 90 of 150 bytes");

	/* order: structure, then channel, then checksum, then size */
	o = (struct fopt){.v6 = 1, .payload_len = 101, .bad_udp_cksum = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_BAD_CHECKSUM, "bad checksum and oversize: bad checksum");
	o = (struct fopt){.dport = 1, .bad_ip_cksum = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_NO_CHANNEL, "bad checksum of an unknown flow: no channel");
	o = (struct fopt){.dport = 1, .frag = 0x2000};
	EXPECT(&o, 0, 0, INSP_R_L2L4_FRAGMENT, "fragment of an unknown flow: fragment");
	o = (struct fopt){.dport = 1, .ip_len_adj = 1};
	EXPECT(&o, 0, 0, INSP_R_L2L4_TRUNCATED, "truncated unknown flow: truncated");
	o = (struct fopt){.ihl = 6, .frag = 0x2000};
	EXPECT(&o, 0, 0, INSP_R_L2L4_IP_OPTIONS, "options and fragment: options");
}

static void
test_sum(void)
{
	static uint8_t buf[1600];
	int ok = 1;

	srand(7);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	for (size_t off = 0; off < 4; off++)
		for (size_t n = 0; n + off <= sizeof(buf); n = n < 70 ? n + 1 : n + 97) {
			uint32_t a = insp_net_sum(buf + off, n), b = ref_sum(buf + off, n, 0);

			if (a != b) {
				ok = 0;
				printf("# insp_net_sum(off %zu, len %zu) = %#x, want %#x\n", off, n,
				       a, b);
			}
		}
	CHECK(ok, "insp_net_sum equals the byte-wise RFC 1071 sum (lengths, alignments)");
	memset(buf, 0xFF, 64);
	CHECK(insp_net_sum(buf, 64) == 0xFFFF, "sum of 0xFF bytes is 0xFFFF");
	CHECK(insp_net_sum(buf, 0) == 0, "sum of nothing is 0");
	CHECK(insp_net_sum((const uint8_t *)"\x12", 1) == 0x1200, "odd byte is the high byte");
	CHECK(insp_net_sum((const uint8_t *)"\x12\x34\x56", 3) == 0x6834, "0x1234 + 0x5600");
}

static void
test_egress(void)
{
	uint8_t pkt[2048];
	static const uint8_t port_mac[6] = {0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE};
	const struct insp_egress *e4 = &chans[0].egress, *e6 = &chans[1].egress;
	static const uint8_t payload[] = "<event version=\"2.0\"/>"; /* odd length incl. NUL */
	uint32_t plen = sizeof(payload);
	uint8_t *ip, *udp;

	CHECK(insp_egress_hdr_len(e4) == 42 && insp_egress_hdr_len(e6) == 62,
	      "header lengths 42 (IPv4) and 62 (IPv6)");

	/* IPv4 */
	memset(pkt, 0xA5, sizeof(pkt));
	memcpy(pkt + 42, payload, plen);
	insp_egress_build(e4, port_mac, 0xBEEF, e4->dscp, pkt, plen, insp_net_sum(payload, plen));
	ip = pkt + 14;
	udp = ip + 20;
	CHECK(memcmp(pkt, e4->dst_mac, 6) == 0, "v4: destination MAC is the next hop");
	CHECK(memcmp(pkt + 6, port_mac, 6) == 0, "v4: source MAC is the port's (no has_src_mac)");
	CHECK(rd16(pkt + 12) == 0x0800, "v4: ethertype IPv4");
	CHECK(ip[0] == 0x45, "v4: version 4, IHL 5");
	CHECK(ip[1] == 18 << 2, "v4: TOS carries DSCP 18 (0x48), ECN 0: %#x", ip[1]);
	CHECK(rd16(ip + 2) == 20 + 8 + plen, "v4: total length");
	CHECK(rd16(ip + 4) == 0xBEEF, "v4: IP ID as given");
	CHECK(rd16(ip + 6) == 0x4000, "v4: DF set, no fragment offset");
	CHECK(ip[8] == 32, "v4: TTL 32");
	CHECK(ip[9] == 17, "v4: protocol UDP");
	CHECK(ref_sum(ip, 20, 0) == 0xFFFF, "v4: header checksum verifies (byte-wise)");
	CHECK(memcmp(ip + 12, e4->src.a, 4) == 0 && memcmp(ip + 16, e4->dst.a, 4) == 0,
	      "v4: addresses from the egress");
	CHECK(rd16(udp) == 6969 && rd16(udp + 2) == 6970, "v4: UDP ports from the egress");
	CHECK(rd16(udp + 4) == 8 + plen, "v4: UDP length");
	CHECK(rd16(udp + 6) != 0, "v4: UDP checksum present");
	CHECK(ref_udp_sum(0, ip + 12, ip + 16, udp, 8 + plen) == 0xFFFF,
	      "v4: UDP checksum verifies (byte-wise, pseudo header)");
	CHECK(pkt[42 + plen] == 0xA5, "v4: nothing written past the headers");

	/* IPv6, own source MAC */
	memset(pkt, 0xA5, sizeof(pkt));
	memcpy(pkt + 62, payload, plen);
	insp_egress_build(e6, port_mac, 0xBEEF, e6->dscp, pkt, plen, insp_net_sum(payload, plen));
	ip = pkt + 14;
	udp = ip + 40;
	CHECK(memcmp(pkt, e6->dst_mac, 6) == 0, "v6: destination MAC");
	CHECK(memcmp(pkt + 6, e6->src_mac, 6) == 0, "v6: configured source MAC wins");
	CHECK(rd16(pkt + 12) == 0x86DD, "v6: ethertype IPv6");
	CHECK(ip[0] >> 4 == 6, "v6: version 6");
	CHECK(((ip[0] & 0xF) << 4 | ip[1] >> 4) == 46 << 2,
	      "v6: traffic class carries DSCP 46 (0xB8), ECN 0");
	CHECK((ip[1] & 0xF) == 0 && ip[2] == 0 && ip[3] == 0, "v6: flow label 0");
	CHECK(rd16(ip + 4) == 8 + plen, "v6: payload length");
	CHECK(ip[6] == 17 && ip[7] == 7, "v6: next header UDP, hop limit 7");
	CHECK(memcmp(ip + 8, e6->src.a, 16) == 0 && memcmp(ip + 24, e6->dst.a, 16) == 0,
	      "v6: addresses from the egress");
	CHECK(rd16(udp) == 6969 && rd16(udp + 2) == 6971 && rd16(udp + 4) == 8 + plen,
	      "v6: UDP ports and length");
	CHECK(ref_udp_sum(1, ip + 8, ip + 24, udp, 8 + plen) == 0xFFFF && rd16(udp + 6) != 0,
	      "v6: UDP checksum verifies and is not 0");

	/* the payload's sum is what the checksum covers: a different sum gives a bad one */
	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt + 42, payload, plen);
	insp_egress_build(e4, port_mac, 1, e4->dscp, pkt, plen,
			  insp_net_sum(payload, plen) ^ 0x0100);
	CHECK(ref_udp_sum(0, pkt + 26, pkt + 30, pkt + 34, 8 + plen) != 0xFFFF,
	      "v4: checksum depends on payload_sum");

	/* UDP checksum computing to 0 is sent as 0xFFFF */
	for (int v6 = 0; v6 <= 1; v6++) {
		const struct insp_egress *e = v6 ? e6 : e4;
		uint32_t h = insp_egress_hdr_len(e);
		int found = 0;

		for (uint32_t w = 0; w < 0x10000 && !found; w++) {
			uint8_t pl[2] = {(uint8_t)(w >> 8), (uint8_t)w};

			memcpy(pkt + h, pl, 2);
			insp_egress_build(e, port_mac, 1, e->dscp, pkt, 2, insp_net_sum(pl, 2));
			udp = pkt + h - 8;
			if (rd16(udp + 6) != 0xFFFF)
				continue;
			wr16(udp + 6, 0);
			/* was it really a computed 0 (sum 0xFFFF without the checksum)? */
			if (ref_udp_sum(v6, pkt + (v6 ? 22 : 26), pkt + (v6 ? 38 : 30), udp, 10) !=
			    0xFFFF)
				continue;
			found = 1;
		}
		CHECK(found, "v%d: a computed UDP checksum of 0 is sent as 0xFFFF", v6 ? 6 : 4);
	}

	/* round trip: the rebuilt frame is a valid datagram for the next guard */
	for (int i = 0; i < 2; i++) {
		const struct insp_egress *e = &chans[i].egress;
		uint32_t h = insp_egress_hdr_len(e);
		static const uint8_t msg[] = "round trip payload, 37 bytes long!!";
		uint32_t n = (uint32_t)strlen((const char *)msg);

		memset(pkt, 0x77, sizeof(pkt));
		memcpy(pkt + h, msg, n);
		insp_egress_build(e, port_mac, (uint16_t)(0x100 + i), e->dscp, pkt, n,
				  insp_net_sum(msg, n));
		memset(&flow, 0, sizeof(flow));
		CHECK(insp_net_classify(&rt_pol, e->port, pkt, h + n, 0, &flow) == INSP_R_RELEASE,
		      "round trip v%d: rebuilt frame released by the next guard", i ? 6 : 4);
		CHECK(flow.channel == i && flow.payload_offset == h && flow.payload_len == n &&
			      memcmp(pkt + flow.payload_offset, msg, n) == 0,
		      "round trip v%d: channel %d, same payload", i ? 6 : 4, i);
		CHECK(flow.src_port == e->src_udp_port && flow.dst_port == e->dst_udp_port &&
			      memcmp(flow.src.a, e->src.a, i ? 16 : 4) == 0,
		      "round trip v%d: ports and source address", i ? 6 : 4);
		CHECK(insp_net_classify(&pol, e->port, pkt, h + n, 0, &flow) ==
			      INSP_R_L2L4_NO_CHANNEL,
		      "round trip v%d: the first guard has no channel for its own output",
		      i ? 6 : 4);
	}
}

int
main(void)
{
	setup();
	test_release();
	test_l2();
	test_l3_l4();
	test_channels();
	test_checksums();
	test_size_and_trailer();
	test_sum();
	test_egress();
	return test_done();
}
