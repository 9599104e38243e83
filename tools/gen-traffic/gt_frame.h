/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ethernet frame builder: Ethernet II (optionally one 802.1Q tag), IPv4 (optionally with
 * options, fragmented) or IPv6 (optionally with a hop-by-hop header), UDP, and the odd non-UDP
 * frame (ARP, TCP, ICMP) a guarded port also sees. Checksums are computed unless a field asks
 * for a wrong or zero one. Frames shorter than 60 bytes are padded with zeros (an Ethernet
 * trailer, as a NIC would send them).
 */
#ifndef GT_FRAME_H
#define GT_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GT_ETH_MIN 60u /**< shortest frame on the wire, without FCS */

struct gt_l2 {
	uint8_t dst[6];
	uint8_t src[6];
	bool vlan;    /**< add an 802.1Q tag */
	uint16_t tci; /**< PCP/DEI/VID of the tag */
};

struct gt_ip {
	uint8_t version; /**< 4 or 6 */
	uint8_t src[16]; /**< IPv4 addresses use the first 4 bytes */
	uint8_t dst[16];
	uint8_t ttl; /**< TTL or hop limit */
	uint8_t tos; /**< TOS or traffic class */
	uint16_t id; /**< IPv4 identification */
	bool df;     /**< IPv4 don't-fragment */
	uint32_t flow_label;
	/* IPv4 options: opt_len bytes (a multiple of 4, at most 40) */
	const uint8_t *opt;
	uint8_t opt_len;
	bool v6_hop_by_hop; /**< IPv6: an 8-byte hop-by-hop header (PadN) before the UDP header */
	bool bad_hdr_csum;  /**< IPv4: store a wrong header checksum */
	int len_delta;	    /**< added to the IPv4 total length / IPv6 payload length field */
	/* IPv4 fragmentation: carry the IP payload bytes [frag_offset, frag_offset + frag_take)
	 * of the whole datagram; frag_take 0 means not fragmented (everything). */
	bool frag_mf;
	uint16_t frag_offset; /**< bytes, a multiple of 8 */
	uint16_t frag_take;
};

enum gt_csum {
	GT_CSUM_GOOD,
	GT_CSUM_ZERO,	 /**< UDP checksum 0 (legal in IPv4, illegal in IPv6) */
	GT_CSUM_BAD_UDP, /**< a wrong, non-zero UDP checksum */
};

struct gt_udp {
	uint16_t src_port;
	uint16_t dst_port;
	enum gt_csum csum;
	int len_delta; /**< added to the UDP length field after the checksum is computed */
};

/**
 * Build an Ethernet/IP/UDP frame carrying @p payload into @p out.
 * @return the frame length, or 0 if it does not fit in @p cap or the description is
 *   inconsistent (e.g. a fragment slice outside the datagram).
 */
size_t gt_frame_udp(const struct gt_l2 *l2, const struct gt_ip *ip, const struct gt_udp *udp,
		    const uint8_t *payload, size_t plen, uint8_t *out, size_t cap);

/**
 * Build an Ethernet/IP frame with an arbitrary L4 segment (TCP, ICMP, ICMPv6) of @p l4len
 * bytes. If @p csum_at is >= 0, the Internet checksum of the segment is stored at that offset
 * of the segment, over an IP pseudo header too when @p pseudo is set.
 * @return the frame length, or 0 if it does not fit.
 */
size_t gt_frame_ip(const struct gt_l2 *l2, const struct gt_ip *ip, uint8_t proto, const uint8_t *l4,
		   size_t l4len, int csum_at, bool pseudo, uint8_t *out, size_t cap);

/**
 * Build an ARP request (who-has @p target_ip, tell @p sender_ip) from @p l2->src to
 * @p l2->dst (normally broadcast). @return the frame length, or 0 if it does not fit.
 */
size_t gt_frame_arp(const struct gt_l2 *l2, const uint8_t sender_ip[4], const uint8_t target_ip[4],
		    uint8_t *out, size_t cap);

/** The multicast MAC for an IPv4 (01:00:5e + low 23 bits) or IPv6 (33:33 + low 32) group. */
void gt_frame_mcast_mac(uint8_t version, const uint8_t *addr, uint8_t mac[6]);

#endif
