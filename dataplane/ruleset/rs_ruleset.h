/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Opening a ruleset image (rs_image.h): validation, then views, then Hyperscan.
 *
 * Opening parses nothing: it checks the header, the SHA-256 of the whole image, every
 * section's bounds and every index and string inside the records, then points a struct
 * insp_policy's arrays into the image and deserializes the Hyperscan databases
 * (hs_deserialize_database_at()) into memory from the caller's allocator (guardd passes
 * hugepage memory on the workers' socket). An image that fails any check is refused whole,
 * with an error code and one message saying what is wrong; nothing of it is ever used.
 *
 * The image bytes must stay valid, unchanged and at the same address while the ruleset is
 * open (the policy's tables are views into them) and start at a multiple of RS_IMAGE_ALIGN.
 */
#ifndef RS_RULESET_H
#define RS_RULESET_H

#include <stddef.h>
#include <stdint.h>

#include "insp_err.h"
#include "insp_policy.h"
#include "rs_image.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Why an image was refused; guardctl and guardd map these to exit statuses. */
enum rs_error {
	RS_OK = 0,
	RS_ERR_IO = -1,	       /**< cannot read the file (or not a regular file, or too large) */
	RS_ERR_NOT_IMAGE = -2, /**< no ruleset image magic: a policy, or something else */
	RS_ERR_TRUNCATED = -3, /**< shorter than its header says */
	RS_ERR_VERSION = -4,   /**< another image format version or record layout */
	RS_ERR_CORRUPT = -5,   /**< hash mismatch or a record that does not hold together */
	RS_ERR_PLATFORM = -6,  /**< built for CPU features this machine lacks, or another
				    Hyperscan release */
	RS_ERR_NOMEM = -7,
};

/** Memory for the Hyperscan databases (and, for rs_image_read(), the image itself). */
struct rs_alloc {
	/** @p size bytes aligned to @p align (a power of two <= 4096), or NULL. */
	void *(*alloc)(size_t size, size_t align, void *ctx);
	void (*free)(void *ptr, void *ctx);
	void *ctx;
};

/** An open ruleset. @c policy comes first: rs_ruleset_of() finds the ruleset from it. */
struct rs_ruleset {
	struct insp_policy policy;
	const uint8_t *image;
	size_t image_len;
	const struct rs_image_header *hdr; /**< into the image */
	const struct rs_input *inputs;	   /**< hdr->n_inputs of them, into the image */
	void *db_mem[2];		   /**< regex, literal database memory */
	struct rs_alloc alloc;
};

/** The default allocator: aligned_alloc() and free(). */
extern const struct rs_alloc rs_alloc_libc;

/** Name of section @p s ("patterns", "hs_regex", ...), for messages and `policy show`. */
const char *rs_section_name(int s);

/** Size of the record layout this build reads and writes (the header's layout word). */
uint32_t rs_image_layout(void);

/**
 * Validate @p image and open it into @p rs. @p alloc NULL means rs_alloc_libc.
 * @return RS_OK, or an rs_error with @p err->msg set (prefixed "@p name: ") and @p rs
 *   left closed (rs_ruleset_close() on it is harmless).
 */
int rs_ruleset_open(struct rs_ruleset *rs, const uint8_t *image, size_t len,
		    const struct rs_alloc *alloc, const char *name, struct insp_err *err);

/** Free the databases. The image is the caller's. */
void rs_ruleset_close(struct rs_ruleset *rs);

/** The ruleset a policy returned by rs_ruleset_open() belongs to. */
static inline struct rs_ruleset *
rs_ruleset_of(const struct insp_policy *p)
{
	return (struct rs_ruleset *)(uintptr_t)p;
}

/** Does @p buf (of @p len bytes) start like a ruleset image? */
int rs_image_is(const void *buf, size_t len);

/** Largest image rs_image_read() accepts, bytes. */
#define RS_IMAGE_MAX_BYTES (1ull << 31)

/**
 * Read the regular file at @p path into memory from @p alloc (aligned to RS_IMAGE_ALIGN).
 * FIFOs, devices and directories are refused without blocking.
 * @return RS_OK with *buf and *len set (free with alloc->free), or RS_ERR_IO / RS_ERR_NOMEM
 *   with @p err->msg "PATH: cannot read the ruleset image: why".
 */
int rs_image_read(const char *path, const struct rs_alloc *alloc, uint8_t **buf, size_t *len,
		  struct insp_err *err);

/** Lower-case hex of a SHA-256 (65 bytes with the NUL). */
void rs_hex(const uint8_t sha[32], char out[65]);

/** SHA-256 of @p len bytes (libsodium). */
void rs_sha256(const void *data, size_t len, uint8_t out[32]);

/** SHA-256 of an image as its header defines it (image_sha256 taken as zero). */
void rs_image_sha256(const uint8_t *image, size_t len, uint8_t out[32]);

#ifdef __cplusplus
}
#endif
#endif
