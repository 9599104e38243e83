/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The population of high-side TAK clients gen-traffic pretends to be: a few hundred senders,
 * each with a fixed address, MAC, UDP source port, client software, uid, callsign, team and
 * home position, so that the events of one sender look like one device over time.
 */
#ifndef GT_SENDER_H
#define GT_SENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "gt_cot.h"
#include "gt_rng.h"

#define GT_SENDERS_V4 254 /**< 198.51.100.1 .. 198.51.100.254 */
#define GT_SENDERS_V6 64  /**< 2001:db8:10::<random interface id> */
#define GT_SENDERS    (GT_SENDERS_V4 + GT_SENDERS_V6)

struct gt_sender {
	uint8_t ip_version;
	uint8_t ip[16];
	uint8_t mac[6]; /**< locally administered unicast */
	uint16_t port;	/**< UDP source port */
	enum gt_client client;
	bool vehicle; /**< reports a-f-G-E-V-C instead of a-f-G-U-C */
	char uid[64];
	char callsign[32];
	const char *group;
	const char *role;
	const char *device;
	const char *os;
	const char *version;
	const char *platform;
	double lat, lon; /**< home position */
};

/** Fill @p s[GT_SENDERS]: IPv4 senders first, then IPv6 ones. @return 0, -1 on a bug. */
int gt_senders_init(struct gt_rng *r, struct gt_sender *s);

/** Write a random RFC 4122 version 4 UUID (36 characters + NUL) in lower or upper case. */
void gt_uuid(struct gt_rng *r, char out[37], bool upper);

#endif
