/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Content disarm and reconstruction (CDR) of JPEG and PNG with libvips: decode the
 * pixels, build a fresh image from them alone, encode a new file. Whatever the original
 * carried besides pixels is not copied, because nothing but the pixel array is: EXIF (GPS,
 * camera, thumbnails), XMP, ICC profiles, comments and text chunks, and anything after
 * the image's end (a ZIP or a PDF appended: polyglots).
 *
 *  - the loader is the explicit one for the type libmagic found (vips_jpegload_buffer,
 *    vips_pngload_buffer), never vips' sniffing loader, and untrusted loaders are blocked
 *    (vips_block_untrusted_set);
 *  - the header is read first: width * height above the pixel bound, or more than 4
 *    bands, is refused before a pixel is decoded (a decompression bomb: a small PNG that
 *    claims 10 Gpixel never allocates);
 *  - decoding fails on the first error or truncation (fail_on=error): bad_object;
 *  - the EXIF orientation, if any, is applied to the pixels (the tag goes with the rest,
 *    so the image still looks the way it did);
 *  - the new file: JPEG quality 90 (a re-encode, so lossy: the pixels are not bit-exact),
 *    PNG at the same bit depth and zlib level 1 (speed over size: some 10 % larger than
 *    level 6 on photographs, four times faster); both with strip, on an image that has
 *    no metadata to strip. Colour profiles are dropped, not applied: an image in another
 *    colour space than sRGB comes out with its numbers unchanged and no profile.
 *
 * vips is global state: sp_image_init() once per process before any thread calls
 * sp_image_cdr(), sp_image_shutdown() at exit. Any number of threads may then call
 * sp_image_cdr() (each call uses its own images; the cache is off, one vips worker thread
 * per call).
 */
#ifndef SP_IMAGE_H
#define SP_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "insp_reason.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SP_IMAGE_MAX_PIXELS 40000000u /**< default pixel bound (40 Mpixel) */
#define SP_IMAGE_MAX_BANDS  4u

/**
 * VIPS_INIT, untrusted loaders blocked, no operation cache, one worker thread.
 * @param argv0  the program name (vips uses it to find its data; "guard" will do)
 * @return 0, or -1 with "why" in @p err
 */
int sp_image_init(const char *argv0, char *err, size_t cap);

/** vips_shutdown(). */
void sp_image_shutdown(void);

/** What the CDR read. */
struct sp_image_info {
	uint32_t width, height, bands;
	char format[16]; /**< band format of the pixels ("uchar", "ushort") */
};

/**
 * Decode @p buf as @p type (INSP_OBJ_JPEG or INSP_OBJ_PNG: insp_chunk.h) and encode a fresh
 * file of the same type.
 * @param max_pixels  width * height bound, 0 for SP_IMAGE_MAX_PIXELS
 * @param out         receives the new file, malloc()ed (free it), *out_len its length
 * @return INSP_R_RELEASE, or INSP_R_BAD_OBJECT with "image: ..." in @p detail (not
 *   decodable, above the bounds, not a JPEG/PNG type, out of memory)
 */
enum insp_reason sp_image_cdr(unsigned type, const uint8_t *buf, size_t len, uint64_t max_pixels,
			      uint8_t **out, size_t *out_len, struct sp_image_info *info,
			      char *detail, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
