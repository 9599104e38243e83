/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The policy compiler: YAML policy + term files -> ruleset image (rs_image.h).
 *
 * The control side owns policy: this library reads, validates and compiles; the dataplane
 * only opens images (dataplane/ruleset). All or nothing: on any error there is no image and
 * @p err holds exactly one message "file:line:column: what is wrong" (unknown key, wrong
 * type, unknown nation, group cycle, duplicate channel, expression Hyperscan rejects with its
 * reason, ...). The policy format is docs/policy.md; its limits (sizes, nesting, counts) are
 * listed there and enforced here.
 *
 * Reproducible: the same inputs and options give a byte-identical image (the compile date in
 * the header is SOURCE_DATE_EPOCH or the newest input's modification time, never "now").
 */
#ifndef PC_POLICY_H
#define PC_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "insp_err.h"
#include "insp_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest policy file, bytes (large term lists belong in term files). */
#define PC_POLICY_MAX_BYTES (4u << 20)
/** Largest term file, bytes. */
#define PC_TERM_FILE_MAX_BYTES (32u << 20)
/** Deepest nesting of YAML collections in a policy. */
#define PC_MAX_DEPTH 32

/**
 * How the compiler gets the term files a policy names (prohibited_term_files).
 * pc_compile_file() uses pc_file_read(); tests pass their own.
 */
struct pc_io {
	/**
	 * Read the whole file at @p path (already joined to the policy file's directory when
	 * it was relative). On success return 0 with *text a malloc()ed buffer of *len bytes
	 * (need not be NUL-terminated; the compiler free()s it) and *mtime its modification
	 * time (Unix seconds, 0 if unknown). On failure return non-zero, leave *text NULL and
	 * put a short reason in @p why.
	 */
	int (*read_file)(const char *path, char **text, size_t *len, int64_t *mtime, char *why,
			 size_t why_len, void *ctx);
	void *ctx; /**< passed to read_file unchanged */
};

/**
 * The stdio reader: a regular file only (a FIFO or device is refused without blocking), at
 * most @p ctx bytes if @p ctx points to a size_t, else PC_TERM_FILE_MAX_BYTES. The buffer is
 * NUL-terminated for convenience (*len excludes the NUL).
 */
int pc_file_read(const char *path, char **text, size_t *len, int64_t *mtime, char *why,
		 size_t why_len, void *ctx);

struct pc_options {
	int portable;	 /**< build Hyperscan databases for any x86-64 CPU (no AVX2) */
	int64_t created; /**< compile date for the header; < 0: SOURCE_DATE_EPOCH, else the
			      newest input's modification time */
	/**
	 * Seconds the Hyperscan compile may take, in a child process capped at
	 * PC_HS_MAX_BYTES of address space; 0 compiles in this process without a bound
	 * (tests, fuzzers). guardctl uses PC_COMPILE_SECONDS.
	 */
	unsigned compile_seconds;
};

/** guardctl's bound on the Hyperscan compile, seconds (docs/policy.md "Limits"). */
#define PC_COMPILE_SECONDS 120
/** Address space of the compiling child: the largest policy within the limits needs 1.3 GiB. */
#define PC_HS_MAX_BYTES (4ull << 30)

/** A compiled image and what the compile cost. */
struct pc_image {
	uint8_t *bytes; /**< aligned to RS_IMAGE_ALIGN; free with pc_image_free() */
	size_t len;
	uint8_t sha256[32];   /**< of the whole image file, as sha256sum computes it */
	double parse_seconds; /**< reading, validating, folding: everything but Hyperscan */
	double hs_seconds;    /**< Hyperscan compile of both databases */
	uint32_t n_literals, n_regexes;
	size_t regex_db_bytes, literal_db_bytes;
};

/**
 * Compile a policy whose text the caller read. @p file_name is used in messages and to
 * join relative term-file paths (pass the policy's real path); @p io may be NULL when the
 * policy names no term files. @p opt NULL means defaults.
 * @return 0, or -1 with @p err set and @p out cleared.
 */
int pc_compile(const char *text, size_t len, const char *file_name, const struct pc_io *io,
	       const struct pc_options *opt, struct pc_image *out, struct insp_err *err);

/**
 * Read the policy at @p path (regular file, at most PC_POLICY_MAX_BYTES) and its term files
 * (pc_file_read) and compile it. A policy that cannot be read gives
 * "PATH: cannot read the policy: reason".
 */
int pc_compile_file(const char *path, const struct pc_options *opt, struct pc_image *out,
		    struct insp_err *err);

void pc_image_free(struct pc_image *img);

/**
 * Compile and open in one step, for guardctl and the tests: the policy returned is the
 * image's, opened with rs_ruleset_open() exactly as guardd opens it. Free with
 * pc_policy_free().
 */
struct insp_policy *pc_policy_load(const char *text, size_t len, const char *file_name,
				   struct insp_err *err);
struct insp_policy *pc_policy_load_ex(const char *text, size_t len, const char *file_name,
				      const struct pc_io *io, struct insp_err *err);
struct insp_policy *pc_policy_load_file(const char *path, struct insp_err *err);

/**
 * Open an image the same way, taking @p bytes (aligned_alloc()ed, RS_IMAGE_ALIGN) whatever
 * happens: pc_policy_free() frees them with the policy. NULL with @p err set and
 * *@p rs_error (if not NULL) the rs_error.
 */
struct insp_policy *pc_policy_adopt_image(uint8_t *bytes, size_t len, const char *name,
					  struct insp_err *err, int *rs_error);

/** pc_policy_adopt_image() of a copy of @p bytes. */
struct insp_policy *pc_policy_from_image(const uint8_t *bytes, size_t len, const char *name,
					 struct insp_err *err, int *rs_error);

void pc_policy_free(struct insp_policy *p);

/**
 * Build a policy's lookup tables (hint_order, prio_order, channel_keys and their ranges)
 * from its arrays, malloc()ed: the compiler does this for every image; tests that put a
 * policy together by hand call it once their channels, hints and priorities are set.
 * @return 0, or -1 out of memory.
 */
int pc_build_tables(struct insp_policy *p);

#ifdef __cplusplus
}
#endif
#endif
