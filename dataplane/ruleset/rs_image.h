/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The ruleset image: one compiled policy as one flat, versioned, relocatable blob.
 *
 * Written by the policy compiler (control/policy/pc_image.c), read by rs_ruleset_open()
 * (rs_ruleset.h) in guardd, guardctl and the tests. Offsets, never pointers: the image may
 * sit at any address (hugepage memory in guardd), be copied, hashed, signed and compared
 * byte for byte. docs/policy.md ("The ruleset image") shows the layout.
 *
 *   0            struct rs_image_header (RS_IMAGE_HEADER_BYTES)
 *   sections     each at a multiple of RS_IMAGE_ALIGN from the start, in enum rs_section
 *                order, zero padding between them; records are the pointer-free structs
 *                of insp_policy.h, exactly as the compiler's machine lays them out (the
 *                header's layout word says which struct sizes that was)
 *   end          image_size bytes in all; image_sha256 is SHA-256 of all of them with the
 *                image_sha256 field itself zeroed
 *
 * Integers are little-endian (the only byte order guardd runs on; the header says so).
 */
#ifndef RS_IMAGE_H
#define RS_IMAGE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Version 3: object channels (insp_channel.object_*), the review block (insp_policy).
 * Version 4: egress links (RS_SEC_EGRESS_LINKS), priority rows scoped by format
 * (insp_priority_rule.formats), a channel's DSCP override (insp_egress.has_dscp).
 */
#define RS_IMAGE_MAGIC	       "GRDRSIMG" /**< 8 bytes, no NUL */
#define RS_IMAGE_VERSION       4u	  /**< bumped on any change to this file or the records */
#define RS_IMAGE_ALIGN	       64u	  /**< section alignment: a cache line */
#define RS_IMAGE_HEADER_BYTES  1024u
#define RS_IMAGE_MAX_INPUTS    257u /**< the policy and up to 256 term files */
#define RS_IMAGE_PATH_MAX      192u /**< input paths are recorded cut to this (NUL included) */
#define RS_IMAGE_ENDIAN_LITTLE 0x01020304u

enum rs_section {
	RS_SEC_CORE = 0,       /**< one struct insp_policy, every pointer field zero */
	RS_SEC_GROUPS,	       /**< struct insp_group[] */
	RS_SEC_CLASS_POLICIES, /**< struct insp_class_policy[] */
	RS_SEC_CLASS_NAMES,    /**< struct insp_class_name[] */
	RS_SEC_DESTINATIONS,   /**< struct insp_destination[] */
	RS_SEC_HELD,	       /**< insp_held_t[] */
	RS_SEC_CHANNELS,       /**< struct insp_channel[] */
	RS_SEC_HINTS,	       /**< struct insp_category_hint[] in policy order */
	RS_SEC_PRIORITIES,     /**< struct insp_priority_rule[] in policy order */
	RS_SEC_PATTERNS,       /**< struct insp_pattern[]; index = Hyperscan id */
	RS_SEC_STRINGS,	       /**< NUL-terminated expressions */
	RS_SEC_INPUTS,	       /**< struct rs_input[]: what was compiled */
	RS_SEC_HS_REGEX,       /**< hs_serialize_database() of the regex database, or empty */
	RS_SEC_HS_LITERAL,     /**< the same for the literal database */
	RS_SEC_HINT_ORDER,     /**< uint32_t[]: hint indexes by format, longest prefix first */
	RS_SEC_PRIO_ORDER,     /**< uint32_t[]: priority rule indexes by channel */
	RS_SEC_CHANNEL_KEYS,   /**< struct insp_channel_key[], sorted by key */
	RS_SEC_EGRESS_LINKS,   /**< struct insp_egress_link[] in policy order, one per port */
	RS_SEC_COUNT,
};

struct rs_section_ref {
	uint64_t off;	    /**< from the start of the image, multiple of RS_IMAGE_ALIGN */
	uint64_t size;	    /**< bytes */
	uint32_t count;	    /**< records (size / elem_size), 0 for byte sections */
	uint32_t elem_size; /**< sizeof the record when the image was written, 0 for bytes */
};

/** One file the compiler read: the policy first, then each term file in policy order. */
struct rs_input {
	char path[RS_IMAGE_PATH_MAX]; /**< as named to the compiler (term files joined) */
	uint64_t size;
	uint8_t sha256[32];
};

/** How the Hyperscan databases were built (hs_platform_info_t and the library). */
struct rs_hs_target {
	uint64_t cpu_features; /**< HS_CPU_FEATURES_* the databases may use */
	uint32_t tune;	       /**< HS_TUNE_FAMILY_* */
	uint32_t reserved;
	char hs_version[80]; /**< hs_version() of the compiler */
};

struct rs_image_header {
	char magic[8];	      /**< RS_IMAGE_MAGIC */
	uint32_t version;     /**< RS_IMAGE_VERSION */
	uint32_t endian;      /**< RS_IMAGE_ENDIAN_LITTLE as written */
	uint32_t header_size; /**< RS_IMAGE_HEADER_BYTES */
	uint32_t layout;      /**< rs_image_layout() of the writer */
	uint64_t image_size;  /**< bytes, header included */
	uint8_t image_sha256[32];
	uint8_t policy_sha256[32]; /**< of the policy file's bytes (= inputs[0].sha256) */
	int64_t created;	   /**< Unix seconds: SOURCE_DATE_EPOCH, or the newest input */
	char guard_version[16];	   /**< the compiler's release */
	uint32_t options;	   /**< RS_OPT_*: how the compiler was asked to build */
	uint32_t n_inputs;
	struct rs_hs_target hs;
	struct rs_section_ref sect[RS_SEC_COUNT];
};

#define RS_OPT_PORTABLE 0x1u /**< databases built for any x86-64 (no AVX2/AVX-512) */

_Static_assert(sizeof(struct rs_image_header) <= RS_IMAGE_HEADER_BYTES, "header too large");

#ifdef __cplusplus
}
#endif
#endif
