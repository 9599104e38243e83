/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Layers 2-4 on the way in (classify a frame to a channel and a payload) and on the way
 * out (build fresh Ethernet/IP/UDP headers for a released payload: the protocol break of
 * GUARD-SPEC 3). Pure functions over byte buffers, so the dataplane, guardctl and the
 * tests share them.
 *
 * Ingress rules (GUARD-SPEC 4.5): Ethernet II with at most one 802.1Q tag; IPv4 without
 * options and not fragmented, or IPv6 whose next header is UDP; checksums verified (a zero
 * UDP checksum is legal in IPv4 only); UDP length within the IP payload; anything after
 * the UDP datagram (Ethernet trailer) is ignored and never forwarded.
 */
#ifndef INSP_NET_H
#define INSP_NET_H

#include <stddef.h>
#include <stdint.h>

#include "insp_policy.h"
#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Flags for insp_net_classify(): what the NIC already verified (mbuf ol_flags). */
#define INSP_NET_L3_CKSUM_GOOD 1u
#define INSP_NET_L4_CKSUM_GOOD 2u

/** Largest header insp_egress_build() writes: Ethernet + IPv6 + UDP. */
#define INSP_EGRESS_HDR_MAX (14 + 40 + 8)

/** What classification found; valid fields depend on how far it got. */
struct insp_flow {
	int32_t channel;	 /**< channel index, -1 if none */
	uint8_t ip_version;	 /**< 4 or 6, 0 if not IP */
	uint8_t has_payload_sum; /**< payload_sum is valid */
	uint16_t src_port;	 /**< UDP, host order */
	uint16_t dst_port;	 /**< UDP, host order */
	uint32_t l3_offset;	 /**< IP header offset in the frame */
	uint32_t payload_offset; /**< UDP payload offset in the frame */
	uint32_t payload_len;	 /**< UDP payload length (trailer excluded) */
	uint32_t payload_sum;	 /**< folded one's-complement sum of the payload */
	struct insp_ipaddr src;
	struct insp_ipaddr dst;
};

/**
 * Classify one frame received on DPDK port @p port.
 * @return INSP_R_RELEASE when it is a well-formed datagram of a configured channel whose
 *   payload fits the channel (flow->channel and payload fields set), otherwise one of the
 *   INSP_R_L2L4_* reasons.
 */
enum insp_reason insp_net_classify(const struct insp_policy *p, uint16_t port, const uint8_t *frame,
				   size_t len, unsigned flags, struct insp_flow *flow);

/** Folded 16-bit one's-complement sum of @p len bytes (odd tail padded with zero). */
uint32_t insp_net_sum(const uint8_t *buf, size_t len);

/** Header length insp_egress_build() writes for this egress (42 for IPv4, 62 for IPv6). */
uint32_t insp_egress_hdr_len(const struct insp_egress *e);

/**
 * Write fresh Ethernet + IP + UDP headers for a released payload into @p hdr
 * (insp_egress_hdr_len() bytes, immediately followed in the packet by the payload).
 * Addresses, ports and TTL/hop limit come only from @p e; checksums are computed.
 * @param src_mac     the egress port's MAC, used unless e->has_src_mac
 * @param ip_id       IPv4 identification (fresh per packet; ignored for IPv6)
 * @param dscp        6-bit DSCP: insp_egress_dscp() of the packet's traffic class
 * @param payload_sum insp_net_sum() of the payload
 */
void insp_egress_build(const struct insp_egress *e, const uint8_t src_mac[6], uint16_t ip_id,
		       uint8_t dscp, uint8_t *hdr, uint32_t payload_len, uint32_t payload_sum);

#ifdef __cplusplus
}
#endif
#endif
