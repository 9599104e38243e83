/* SPDX-License-Identifier: BSD-3-Clause */
/* The type check (sp_type.h): libmagic, then the stricter text rule. */
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insp_utf8.h"
#include "sp_type.h"

#define SP_TYPE_MAGIC_BYTES 65536 /* bytes libmagic looks at */

struct sp_type {
	magic_t magic;
};

struct sp_type *
sp_type_create(char *err, size_t cap)
{
	struct sp_type *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	/* no MAGIC_COMPRESS: never look inside a compressed file (nor decompress a bomb) */
	t->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	if (t->magic == NULL) {
		snprintf(err, cap, "libmagic: magic_open failed");
		free(t);
		return NULL;
	}
	/*
	 * libmagic needs the start of a file for these types; its text heuristics would read
	 * up to 7 MiB, but the text rule here reads every byte anyway (sp_type.h)
	 */
	if (magic_setparam(t->magic, MAGIC_PARAM_BYTES_MAX, &(size_t){SP_TYPE_MAGIC_BYTES}) != 0) {
		snprintf(err, cap, "libmagic: cannot set bytes_max");
		magic_close(t->magic);
		free(t);
		return NULL;
	}
	if (magic_load(t->magic, NULL) != 0) {
		snprintf(err, cap, "libmagic: cannot load the default database: %s",
			 magic_error(t->magic) ? magic_error(t->magic) : "?");
		magic_close(t->magic);
		free(t);
		return NULL;
	}
	return t;
}

void
sp_type_free(struct sp_type *t)
{
	if (t == NULL)
		return;
	magic_close(t->magic);
	free(t);
}

int
sp_type_text_ok(const uint8_t *buf, size_t len, size_t *bad_offset)
{
	return insp_utf8_validate_text(buf, len, bad_offset);
}

int
sp_type_detect(struct sp_type *t, const uint8_t *buf, size_t len, char mime[SP_MIME_MAX])
{
	const char *m = magic_buffer(t->magic, buf, len);
	size_t bad;
	int type;

	if (m == NULL) {
		const char *e = magic_error(t->magic);

		snprintf(mime, SP_MIME_MAX, "libmagic: %s", e ? e : "failed");
		return -1;
	}
	snprintf(mime, SP_MIME_MAX, "%s", m);
	type = insp_obj_type_from_mime(m, strlen(m));
	if (type < 0)
		return INSP_OBJ_NONE;
	if (type == INSP_OBJ_TEXT && sp_type_text_ok(buf, len, &bad) != 0) {
		snprintf(mime, SP_MIME_MAX, "text/plain (not UTF-8 text)");
		return INSP_OBJ_NONE;
	}
	return type;
}

enum insp_reason
sp_type_check(struct sp_type *t, const uint8_t *buf, size_t len, unsigned declared, uint8_t allowed,
	      int *real, char mime[SP_MIME_MAX], char *detail, size_t cap)
{
	const char *dmime = insp_obj_type_mime(declared);
	size_t bad = 0;

	*real = INSP_OBJ_NONE;
	mime[0] = '\0';
	detail[0] = '\0';
	if (dmime == NULL || declared >= 8 || (allowed & (1u << declared)) == 0) {
		snprintf(detail, cap, "type: declared %s is not allowed on this channel",
			 dmime ? dmime : "(unknown type)");
		return INSP_R_TYPE_NOT_ALLOWED;
	}
	*real = sp_type_detect(t, buf, len, mime);
	if (*real < 0) {
		*real = INSP_OBJ_NONE;
		snprintf(detail, cap, "type: %s", mime);
		return INSP_R_TYPE_MISMATCH;
	}
	if ((unsigned)*real == declared)
		return INSP_R_RELEASE;
	if (declared == INSP_OBJ_TEXT && strncmp(mime, "text/plain", 10) == 0) {
		sp_type_text_ok(buf, len, &bad);
		snprintf(detail, cap,
			 "type: declared text/plain, but not UTF-8 text without controls "
			 "(byte 0x%02x at offset %zu)",
			 bad < len ? buf[bad] : 0, bad);
	} else {
		snprintf(detail, cap, "type: declared %s, content is %s", dmime, mime);
	}
	return INSP_R_TYPE_MISMATCH;
}
