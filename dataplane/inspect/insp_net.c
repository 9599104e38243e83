/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Order of the ingress checks (and so which reason a frame gets): structure first
 * (truncated, not UDP, options, fragment), then the channel lookup, then the checksums
 * and the size limit, so that checksum work is only spent on datagrams of a channel.
 */
#include <string.h>

#include "insp_net.h"

#define ETH_HLEN      14
#define VLAN_HLEN     4
#define ETH_P_IPV4    0x0800
#define ETH_P_IPV6    0x86DD
#define ETH_P_8021Q   0x8100
#define ETH_P_8021AD  0x88A8
#define IPPROTO_UDP_  17
#define IPV4_DF	      0x4000
#define IPV4_FRAGMASK 0x3FFF /* MF + offset */

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint32_t
fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return (uint32_t)s;
}

uint32_t
insp_net_sum(const uint8_t *buf, size_t len)
{
	uint64_t s = 0;
	size_t i = 0;

	/* Sum native-order 32-bit words and swap once at the end (RFC 1071, 2.(B)). */
	for (; i + 4 <= len; i += 4) {
		uint32_t w;

		memcpy(&w, buf + i, 4);
		s += w;
	}
	if (i + 2 <= len) {
		uint16_t w;

		memcpy(&w, buf + i, 2);
		s += w;
		i += 2;
	}
	if (i < len) {
		uint8_t tail[2] = {buf[i], 0};
		uint16_t w;

		memcpy(&w, tail, 2);
		s += w;
	}
	uint32_t f = fold(s);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	f = (uint32_t)(((f & 0xFF) << 8) | (f >> 8));
#endif
	return f;
}

static uint32_t
pseudo_sum(const struct insp_ipaddr *src, const struct insp_ipaddr *dst, uint32_t udp_len)
{
	size_t alen = src->version == 4 ? 4 : 16;

	return fold((uint64_t)insp_net_sum(src->a, alen) + insp_net_sum(dst->a, alen) +
		    IPPROTO_UDP_ + (udp_len >> 16) + (udp_len & 0xFFFF));
}

static void
set_addr(struct insp_ipaddr *a, uint8_t version, const uint8_t *p)
{
	a->version = version;
	memset(a->a, 0, sizeof(a->a));
	memcpy(a->a, p, version == 4 ? 4 : 16);
}

/* IPv6 next headers that are extension headers rather than an upper layer. */
static int
is_ipv6_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 50 || nh == 51 || nh == 60 || nh == 135 || nh == 139 ||
	       nh == 140;
}

enum insp_reason
insp_net_classify(const struct insp_policy *p, uint16_t port, const uint8_t *frame, size_t len,
		  unsigned flags, struct insp_flow *flow)
{
	size_t l3 = ETH_HLEN, ip_payload_len;
	uint16_t etype;
	const uint8_t *ip, *udp;

	flow->channel = -1;
	flow->ip_version = 0;
	flow->has_payload_sum = 0;
	if (len < ETH_HLEN)
		return INSP_R_L2L4_TRUNCATED;
	etype = rd16(frame + 12);
	if (etype == ETH_P_8021Q) {
		if (len < ETH_HLEN + VLAN_HLEN)
			return INSP_R_L2L4_TRUNCATED;
		etype = rd16(frame + 16);
		l3 += VLAN_HLEN;
	}
	ip = frame + l3;
	flow->l3_offset = (uint32_t)l3;
	if (etype == ETH_P_IPV4) {
		if (len - l3 < 20)
			return INSP_R_L2L4_TRUNCATED;
		if (ip[0] >> 4 != 4)
			return INSP_R_L2L4_NOT_UDP;
		size_t ihl = (size_t)(ip[0] & 0xF) * 4;
		size_t tot = rd16(ip + 2);

		if (ihl < 20)
			return INSP_R_L2L4_TRUNCATED;
		if (ihl > 20)
			return INSP_R_L2L4_IP_OPTIONS;
		if (tot < ihl || tot > len - l3)
			return INSP_R_L2L4_TRUNCATED;
		if (rd16(ip + 6) & IPV4_FRAGMASK)
			return INSP_R_L2L4_FRAGMENT;
		if (ip[9] != IPPROTO_UDP_)
			return INSP_R_L2L4_NOT_UDP;
		set_addr(&flow->src, 4, ip + 12);
		set_addr(&flow->dst, 4, ip + 16);
		udp = ip + 20;
		ip_payload_len = tot - 20;
	} else if (etype == ETH_P_IPV6) {
		if (len - l3 < 40)
			return INSP_R_L2L4_TRUNCATED;
		if (ip[0] >> 4 != 6)
			return INSP_R_L2L4_NOT_UDP;
		ip_payload_len = rd16(ip + 4);
		if (ip_payload_len > len - l3 - 40)
			return INSP_R_L2L4_TRUNCATED;
		if (ip[6] == 44)
			return INSP_R_L2L4_FRAGMENT;
		if (is_ipv6_ext(ip[6]))
			return INSP_R_L2L4_IP_OPTIONS;
		if (ip[6] != IPPROTO_UDP_)
			return INSP_R_L2L4_NOT_UDP;
		set_addr(&flow->src, 6, ip + 8);
		set_addr(&flow->dst, 6, ip + 24);
		udp = ip + 40;
	} else {
		return INSP_R_L2L4_NOT_UDP;
	}
	flow->ip_version = flow->src.version;
	if (ip_payload_len < 8)
		return INSP_R_L2L4_TRUNCATED;
	size_t udp_len = rd16(udp + 4);

	if (udp_len < 8 || udp_len > ip_payload_len)
		return INSP_R_L2L4_TRUNCATED;
	flow->src_port = rd16(udp);
	flow->dst_port = rd16(udp + 2);
	flow->payload_offset = (uint32_t)(udp + 8 - frame);
	flow->payload_len = (uint32_t)(udp_len - 8);

	int ch = insp_policy_channel_lookup(p, port, &flow->dst, flow->dst_port);

	if (ch < 0)
		return INSP_R_L2L4_NO_CHANNEL;
	flow->channel = ch;
	if (flow->ip_version == 4 && !(flags & INSP_NET_L3_CKSUM_GOOD) &&
	    insp_net_sum(ip, 20) != 0xFFFF)
		return INSP_R_L2L4_BAD_CHECKSUM;
	if (!(flags & INSP_NET_L4_CKSUM_GOOD)) {
		uint16_t cks = rd16(udp + 6);

		flow->payload_sum = insp_net_sum(udp + 8, flow->payload_len);
		flow->has_payload_sum = 1;
		if (cks == 0) {
			if (flow->ip_version == 6) /* mandatory in IPv6 (RFC 8200 8.1) */
				return INSP_R_L2L4_BAD_CHECKSUM;
		} else {
			uint64_t s = pseudo_sum(&flow->src, &flow->dst, (uint32_t)udp_len);

			s += insp_net_sum(udp, 8) + flow->payload_sum;
			if (fold(s) != 0xFFFF)
				return INSP_R_L2L4_BAD_CHECKSUM;
		}
	}
	if (flow->payload_len > p->channels[ch].max_size)
		return INSP_R_L2L4_OVERSIZE;
	return INSP_R_RELEASE;
}

uint32_t
insp_egress_hdr_len(const struct insp_egress *e)
{
	return ETH_HLEN + (e->dst.version == 4 ? 20 : 40) + 8;
}

void
insp_egress_build(const struct insp_egress *e, const uint8_t src_mac[6], uint16_t ip_id,
		  uint8_t dscp, uint8_t *hdr, uint32_t payload_len, uint32_t payload_sum)
{
	uint8_t *ip = hdr + ETH_HLEN, *udp;
	uint32_t udp_len = payload_len + 8;

	memcpy(hdr, e->dst_mac, 6);
	memcpy(hdr + 6, e->has_src_mac ? e->src_mac : src_mac, 6);
	if (e->dst.version == 4) {
		wr16(hdr + 12, ETH_P_IPV4);
		ip[0] = 0x45;
		ip[1] = (uint8_t)((dscp & 0x3F) << 2);
		wr16(ip + 2, (uint16_t)(20 + udp_len));
		wr16(ip + 4, ip_id);
		wr16(ip + 6, IPV4_DF);
		ip[8] = e->ttl;
		ip[9] = IPPROTO_UDP_;
		wr16(ip + 10, 0);
		memcpy(ip + 12, e->src.a, 4);
		memcpy(ip + 16, e->dst.a, 4);
		wr16(ip + 10, (uint16_t)~insp_net_sum(ip, 20));
		udp = ip + 20;
	} else {
		wr16(hdr + 12, ETH_P_IPV6);
		ip[0] = (uint8_t)(0x60 | ((dscp & 0x3F) >> 2));
		ip[1] = (uint8_t)((dscp & 0x3) << 6);
		ip[2] = 0;
		ip[3] = 0;
		wr16(ip + 4, (uint16_t)udp_len);
		ip[6] = IPPROTO_UDP_;
		ip[7] = e->ttl;
		memcpy(ip + 8, e->src.a, 16);
		memcpy(ip + 24, e->dst.a, 16);
		udp = ip + 40;
	}
	wr16(udp, e->src_udp_port);
	wr16(udp + 2, e->dst_udp_port);
	wr16(udp + 4, (uint16_t)udp_len);
	wr16(udp + 6, 0);

	uint64_t s = pseudo_sum(&e->src, &e->dst, udp_len);

	s += insp_net_sum(udp, 8) + payload_sum;
	uint16_t cks = (uint16_t)~fold(s);

	wr16(udp + 6, cks == 0 ? 0xFFFF : cks); /* 0 means "no checksum" on the wire */
}
