/* SPDX-License-Identifier: BSD-3-Clause */
/* Image CDR with libvips (sp_image.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "insp_chunk.h"
#include "sp_image.h"

int
sp_image_init(const char *argv0, char *err, size_t cap)
{
	if (VIPS_INIT(argv0 ? argv0 : "guard") != 0) {
		snprintf(err, cap, "vips: init failed: %s", vips_error_buffer());
		vips_error_clear();
		return -1;
	}
	vips_block_untrusted_set(TRUE);
	/* nothing is cached between objects (an object's pixels must not outlive it) */
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_concurrency_set(1);
	return 0;
}

void
sp_image_shutdown(void)
{
	vips_shutdown();
}

/* "image: <what>: <vips' first error line>", and vips' error buffer cleared. */
static enum insp_reason
vips_failed(char *detail, size_t cap, const char *what)
{
	const char *e = vips_error_buffer();
	size_t n = strcspn(e, "\n");

	snprintf(detail, cap, "image: %s: %.*s", what, (int)(n > 100 ? 100 : n), e);
	vips_error_clear();
	return INSP_R_BAD_OBJECT;
}

enum insp_reason
sp_image_cdr(unsigned type, const uint8_t *buf, size_t len, uint64_t max_pixels, uint8_t **out,
	     size_t *out_len, struct sp_image_info *info, char *detail, size_t cap)
{
	VipsImage *in = NULL, *rot = NULL, *fresh = NULL;
	void *pixels = NULL, *enc = NULL;
	size_t npix = 0, enc_len = 0;
	enum insp_reason r = INSP_R_BAD_OBJECT;
	VipsInterpretation interp;
	uint64_t w, h;
	int rc;

	*out = NULL;
	*out_len = 0;
	detail[0] = '\0';
	memset(info, 0, sizeof(*info));
	if (max_pixels == 0)
		max_pixels = SP_IMAGE_MAX_PIXELS;
	/* header only: no pixel is decoded until we ask for them */
	if (type == INSP_OBJ_JPEG)
		rc = vips_jpegload_buffer((void *)(uintptr_t)buf, len, &in, "fail_on",
					  VIPS_FAIL_ON_ERROR, NULL);
	else if (type == INSP_OBJ_PNG)
		rc = vips_pngload_buffer((void *)(uintptr_t)buf, len, &in, "fail_on",
					 VIPS_FAIL_ON_ERROR, NULL);
	else {
		snprintf(detail, cap, "image: type %u is not an image type", type);
		return INSP_R_BAD_OBJECT;
	}
	if (rc != 0)
		return vips_failed(detail, cap, "cannot read the header");
	w = (uint64_t)vips_image_get_width(in);
	h = (uint64_t)vips_image_get_height(in);
	info->width = (uint32_t)w;
	info->height = (uint32_t)h;
	info->bands = (uint32_t)vips_image_get_bands(in);
	snprintf(info->format, sizeof(info->format), "%s",
		 vips_enum_nick(VIPS_TYPE_BAND_FORMAT, vips_image_get_format(in)));
	if (w * h > max_pixels) {
		snprintf(detail, cap, "image: %llu x %llu pixels, above the bound of %llu",
			 (unsigned long long)w, (unsigned long long)h,
			 (unsigned long long)max_pixels);
		goto out;
	}
	if (info->bands > SP_IMAGE_MAX_BANDS) {
		snprintf(detail, cap, "image: %u bands, above %u", info->bands, SP_IMAGE_MAX_BANDS);
		goto out;
	}
	/*
	 * The EXIF orientation is the one piece of metadata that changes what a viewer shows:
	 * turn the pixels so that the image looks as it did, since the tag will be gone.
	 */
	if (vips_autorot(in, &rot, NULL) != 0) {
		r = vips_failed(detail, cap, "cannot orient");
		goto out;
	}
	/* decode: the pixel array and nothing else */
	pixels = vips_image_write_to_memory(rot, &npix);
	if (pixels == NULL) {
		r = vips_failed(detail, cap, "cannot decode");
		goto out;
	}
	interp = vips_image_guess_interpretation(rot);
	fresh = vips_image_new_from_memory(pixels, npix, vips_image_get_width(rot),
					   vips_image_get_height(rot), (int)info->bands,
					   vips_image_get_format(rot));
	if (fresh == NULL) {
		r = vips_failed(detail, cap, "cannot rebuild");
		goto out;
	}
	/* colour meaning only (sRGB, CMYK, grey): a number, not a profile */
	fresh->Type = interp;
	if (type == INSP_OBJ_JPEG)
		rc = vips_jpegsave_buffer(fresh, &enc, &enc_len, "Q", 90, "strip", TRUE, NULL);
	else
		rc = vips_pngsave_buffer(fresh, &enc, &enc_len, "strip", TRUE, "compression", 1,
					 NULL);
	if (rc != 0) {
		r = vips_failed(detail, cap, "cannot encode");
		goto out;
	}
	if ((*out = malloc(enc_len)) == NULL) {
		snprintf(detail, cap, "image: out of memory");
		goto out;
	}
	memcpy(*out, enc, enc_len);
	*out_len = enc_len;
	r = INSP_R_RELEASE;
out:
	if (fresh != NULL)
		g_object_unref(fresh);
	if (rot != NULL)
		g_object_unref(rot);
	if (in != NULL)
		g_object_unref(in);
	g_free(pixels);
	g_free(enc);
	return r;
}
