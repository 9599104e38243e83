/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "gt_buf.h"
#include "gt_sender.h"

static const char *const callsign_words[] = {
	"VIPER",   "HAWK",   "BADGER",	 "LANCER",  "WOLF",    "TITAN",	 "ORCA",
	"JACKAL",  "BISON",  "MUSTANG",	 "KESTREL", "OSPREY",  "RHINO",	 "STORM",
	"ARCHER",  "GHOST",  "HUNTER",	 "BULLDOG", "COUGAR",  "DAGGER", "EAGLE",
	"GRIZZLY", "HORNET", "MAVERICK", "NOMAD",   "PANTHER", "SABRE",	 "TALON",
	"TROJAN",  "WARDOG", "ZULU",	 "BRAVO",   "CHARLIE", "KILO",	 "LIMA",
};

static const char *const groups[] = {
	"Cyan",	  "White",     "Yellow", "Orange", "Magenta", "Red",	    "Maroon",
	"Purple", "Dark Blue", "Blue",	 "Teal",   "Green",   "Dark Green", "Brown",
};

static const char *const roles[] = {
	"Team Member", "Team Member", "Team Member",	  "Team Lead", "HQ",
	"Sniper",      "Medic",	      "Forward Observer", "RTO",       "K9",
};

static const char *const android_devices[] = {
	"SAMSUNG SM-G998U", "SAMSUNG SM-S908U", "SAMSUNG SM-G781V",
	"GOOGLE PIXEL 7",   "SONIM XP10",	"KYOCERA E6920",
};

static const char *const windows_devices[] = {
	"LENOVO 20XW0055UK",
	"DELL LATITUDE 5430 RUGGED",
	"PANASONIC FZ-55",
	"GETAC V110",
};

static const char *const android_os[] = {"30", "31", "33", "34"};
static const char *const atak_versions[] = {
	"4.10.0.57 (a9f6e1b7).1712345678-CIV",
	"5.1.0.12 (8c4d8b1d).1718037840-CIV",
	"5.2.0.4 (1f0e3a2c).1726000000-MIL",
};
static const char *const windows_os[] = {"Microsoft Windows 10 Enterprise",
					 "Microsoft Windows 11 Pro"};
static const char *const wintak_versions[] = {"5.1.0.69", "5.2.0.155"};
static const char *const ios_devices[] = {"iPhone", "iPad"};
static const char *const ios_os[] = {"17.4.1", "17.6", "18.1"};
static const char *const itak_versions[] = {"2.9.0.604", "2.10.1.722"};

void
gt_uuid(struct gt_rng *r, char out[37], bool upper)
{
	uint8_t b[16];
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t o = 0;

	gt_rng_bytes(r, b, sizeof(b));
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

static int
profile(struct gt_rng *r, struct gt_sender *s)
{
	unsigned pick = gt_rng_below(r, 100);

	if (pick < 60) {
		s->client = GT_CLIENT_ATAK;
		s->device = GT_PICK(r, android_devices);
		s->os = GT_PICK(r, android_os);
		s->version = GT_PICK(r, atak_versions);
		s->platform = strstr(s->version, "-MIL") != NULL ? "ATAK-MIL" : "ATAK-CIV";
		return gt_fmt(s->uid, sizeof(s->uid), "ANDROID-%016llx",
			      (unsigned long long)gt_rng_u64(r));
	} else if (pick < 85) {
		s->client = GT_CLIENT_WINTAK;
		s->device = GT_PICK(r, windows_devices);
		s->os = GT_PICK(r, windows_os);
		s->version = GT_PICK(r, wintak_versions);
		s->platform = "WinTAK-CIV";
		return gt_fmt(s->uid, sizeof(s->uid), "S-1-5-21-%u-%u-%u-%u",
			      gt_rng_range(r, 1000000000u, 4000000000u),
			      gt_rng_range(r, 1000000000u, 4000000000u),
			      gt_rng_range(r, 1000000000u, 4000000000u),
			      gt_rng_range(r, 1001, 9999));
	} else {
		s->client = GT_CLIENT_ITAK;
		s->device = GT_PICK(r, ios_devices);
		s->os = GT_PICK(r, ios_os);
		s->version = GT_PICK(r, itak_versions);
		s->platform = "iTAK";
		gt_uuid(r, s->uid, true);
		return 0;
	}
}

int
gt_senders_init(struct gt_rng *r, struct gt_sender *s)
{
	for (unsigned i = 0; i < GT_SENDERS; i++) {
		struct gt_sender *x = &s[i];

		memset(x, 0, sizeof(*x));
		if (i < GT_SENDERS_V4) {
			x->ip_version = 4;
			x->ip[0] = 198;
			x->ip[1] = 51;
			x->ip[2] = 100;
			x->ip[3] = (uint8_t)(i + 1);
		} else {
			static const uint8_t prefix[8] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, 0, 0};

			x->ip_version = 6;
			memcpy(x->ip, prefix, sizeof(prefix));
			gt_rng_bytes(r, x->ip + 8, 8);
		}
		gt_rng_bytes(r, x->mac, 6);
		x->mac[0] = (uint8_t)((x->mac[0] & 0xfc) | 0x02); /* local, unicast */
		x->port = (uint16_t)gt_rng_range(r, 32768, 60999);
		if (profile(r, x) < 0)
			return -1;
		x->vehicle = gt_rng_chance(r, 20);
		if (gt_fmt(x->callsign, sizeof(x->callsign), "%s %u", GT_PICK(r, callsign_words),
			   gt_rng_range(r, 1, 99)) < 0)
			return -1;
		x->group = GT_PICK(r, groups);
		x->role = GT_PICK(r, roles);
		/* an area of operations around the Baltic states and north-east Poland */
		x->lat = gt_rng_real(r, 53.2, 59.4);
		x->lon = gt_rng_real(r, 19.5, 27.9);
	}
	return 0;
}
