/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "gt_frame.h"

#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_ARP  0x0806
#define ETH_P_VLAN 0x8100

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_UDP_	 17

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* one's-complement sum of big-endian 16-bit words, not folded */
static uint32_t
sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < n)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t
pseudo_sum(const struct gt_ip *ip, uint8_t proto, uint32_t l4len)
{
	uint32_t sum = 0;

	if (ip->version == 4) {
		sum = sum16(ip->src, 4, sum);
		sum = sum16(ip->dst, 4, sum);
		sum += proto;
		sum += l4len & 0xffff;
	} else {
		sum = sum16(ip->src, 16, sum);
		sum = sum16(ip->dst, 16, sum);
		sum += l4len >> 16;
		sum += l4len & 0xffff;
		sum += proto;
	}
	return sum;
}

static size_t
put_l2(const struct gt_l2 *l2, uint16_t ethertype, uint8_t *out)
{
	size_t off = 12;

	memcpy(out, l2->dst, 6);
	memcpy(out + 6, l2->src, 6);
	if (l2->vlan) {
		put16(out + off, ETH_P_VLAN);
		put16(out + off + 2, l2->tci);
		off += 4;
	}
	put16(out + off, ethertype);
	return off + 2;
}

static size_t
ip_hdr_len(const struct gt_ip *ip)
{
	if (ip->version == 4)
		return 20u + ip->opt_len;
	return 40u + (ip->v6_hop_by_hop ? 8u : 0u);
}

/* Write the IP header for an IP payload of @p l3_payload bytes (what this frame carries). */
static void
put_ip(const struct gt_ip *ip, uint8_t proto, size_t l3_payload, uint8_t *out)
{
	size_t hl = ip_hdr_len(ip);

	if (ip->version == 4) {
		uint16_t frag = (uint16_t)((ip->df ? 0x4000 : 0) | (ip->frag_mf ? 0x2000 : 0) |
					   ((ip->frag_offset / 8) & 0x1fff));
		uint16_t cs;

		out[0] = (uint8_t)(0x40 | (hl / 4));
		out[1] = ip->tos;
		put16(out + 2, (uint16_t)((int)(hl + l3_payload) + ip->len_delta));
		put16(out + 4, ip->id);
		put16(out + 6, frag);
		out[8] = ip->ttl;
		out[9] = proto;
		put16(out + 10, 0);
		memcpy(out + 12, ip->src, 4);
		memcpy(out + 16, ip->dst, 4);
		if (ip->opt_len > 0)
			memcpy(out + 20, ip->opt, ip->opt_len);
		cs = fold(sum16(out, hl, 0));
		if (ip->bad_hdr_csum)
			cs = (uint16_t)(cs ^ 0x5a5a);
		put16(out + 10, cs);
	} else {
		uint32_t vtf = 6u << 28 | (uint32_t)ip->tos << 20 | (ip->flow_label & 0xfffff);
		size_t plen = hl - 40 + l3_payload;

		out[0] = (uint8_t)(vtf >> 24);
		out[1] = (uint8_t)(vtf >> 16);
		out[2] = (uint8_t)(vtf >> 8);
		out[3] = (uint8_t)vtf;
		put16(out + 4, (uint16_t)((int)plen + ip->len_delta));
		out[6] = ip->v6_hop_by_hop ? IPPROTO_HOPOPTS_ : proto;
		out[7] = ip->ttl;
		memcpy(out + 8, ip->src, 16);
		memcpy(out + 24, ip->dst, 16);
		if (ip->v6_hop_by_hop) {
			/* next header, length 0 (8 bytes), PadN option of 4 zero bytes */
			static const uint8_t padn[6] = {1, 4, 0, 0, 0, 0};

			out[40] = proto;
			out[41] = 0;
			memcpy(out + 42, padn, sizeof(padn));
		}
	}
}

static size_t
pad_min(uint8_t *out, size_t len, size_t cap)
{
	if (len < GT_ETH_MIN) {
		if (cap < GT_ETH_MIN)
			return 0;
		memset(out + len, 0, GT_ETH_MIN - len);
		len = GT_ETH_MIN;
	}
	return len;
}

size_t
gt_frame_udp(const struct gt_l2 *l2, const struct gt_ip *ip, const struct gt_udp *udp,
	     const uint8_t *payload, size_t plen, uint8_t *out, size_t cap)
{
	size_t l2len = l2->vlan ? 18 : 14;
	size_t hl = ip_hdr_len(ip);
	size_t ulen = 8 + plen;
	size_t carried = ulen;
	uint8_t *u;

	if (ulen > 0xffff || l2len + hl + ulen > cap || (ip->version == 4 && hl > 60))
		return 0;
	put_l2(l2, ip->version == 4 ? ETH_P_IPV4 : ETH_P_IPV6, out);
	u = out + l2len + hl;
	put16(u, udp->src_port);
	put16(u + 2, udp->dst_port);
	put16(u + 4, (uint16_t)ulen);
	put16(u + 6, 0);
	memcpy(u + 8, payload, plen);
	if (udp->csum != GT_CSUM_ZERO) {
		uint32_t sum = pseudo_sum(ip, IPPROTO_UDP_, (uint32_t)ulen);
		uint16_t cs = fold(sum16(u, ulen, sum));

		if (cs == 0)
			cs = 0xffff; /* 0 means "no checksum" (RFC 768) */
		if (udp->csum == GT_CSUM_BAD_UDP)
			cs = (uint16_t)(cs == 0x1234 ? 0x4321 : 0x1234);
		put16(u + 6, cs);
	}
	put16(u + 4, (uint16_t)((int)ulen + udp->len_delta));
	if (ip->frag_take > 0) {
		/* keep only the slice of the datagram this fragment carries */
		if (ip->version != 4 || ip->frag_offset % 8 != 0 ||
		    (size_t)ip->frag_offset + ip->frag_take > ulen)
			return 0;
		memmove(u, u + ip->frag_offset, ip->frag_take);
		carried = ip->frag_take;
	}
	put_ip(ip, IPPROTO_UDP_, carried, out + l2len);
	return pad_min(out, l2len + hl + carried, cap);
}

size_t
gt_frame_ip(const struct gt_l2 *l2, const struct gt_ip *ip, uint8_t proto, const uint8_t *l4,
	    size_t l4len, int csum_at, bool pseudo, uint8_t *out, size_t cap)
{
	size_t l2len = l2->vlan ? 18 : 14;
	size_t hl = ip_hdr_len(ip);
	uint8_t *seg;

	if (l4len > 0xffff - 60 || l2len + hl + l4len > cap ||
	    (csum_at >= 0 && (size_t)csum_at + 2 > l4len))
		return 0;
	put_l2(l2, ip->version == 4 ? ETH_P_IPV4 : ETH_P_IPV6, out);
	put_ip(ip, proto, l4len, out + l2len);
	seg = out + l2len + hl;
	memcpy(seg, l4, l4len);
	if (csum_at >= 0) {
		uint32_t sum = pseudo ? pseudo_sum(ip, proto, (uint32_t)l4len) : 0;

		put16(seg + csum_at, 0);
		put16(seg + csum_at, fold(sum16(seg, l4len, sum)));
	}
	return pad_min(out, l2len + hl + l4len, cap);
}

size_t
gt_frame_arp(const struct gt_l2 *l2, const uint8_t sender_ip[4], const uint8_t target_ip[4],
	     uint8_t *out, size_t cap)
{
	size_t l2len = l2->vlan ? 18 : 14;
	uint8_t *a;

	if (l2len + 28 > cap)
		return 0;
	put_l2(l2, ETH_P_ARP, out);
	a = out + l2len;
	put16(a, 1);	      /* Ethernet */
	put16(a + 2, 0x0800); /* IPv4 */
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 1); /* request */
	memcpy(a + 8, l2->src, 6);
	memcpy(a + 14, sender_ip, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, target_ip, 4);
	return pad_min(out, l2len + 28, cap);
}

void
gt_frame_mcast_mac(uint8_t version, const uint8_t *addr, uint8_t mac[6])
{
	if (version == 4) {
		mac[0] = 0x01;
		mac[1] = 0x00;
		mac[2] = 0x5e;
		mac[3] = addr[1] & 0x7f;
		mac[4] = addr[2];
		mac[5] = addr[3];
	} else {
		mac[0] = 0x33;
		mac[1] = 0x33;
		memcpy(mac + 2, addr + 12, 4);
	}
}
