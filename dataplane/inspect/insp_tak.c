/* SPDX-License-Identifier: BSD-3-Clause */
/* PLACEHOLDER being replaced by the real module (fails closed meanwhile) */
#include "insp_tak.h"

enum insp_reason
insp_tak_mesh_parse(const struct insp_policy *p, const uint8_t *buf, size_t len, struct insp_msg *m)
{
	(void)p, (void)buf, (void)len;
	return insp_msg_fail(m, INSP_R_MALFORMED_MESSAGE, 0, "tak: not implemented");
}

enum insp_reason
insp_tak_stream_parse(const struct insp_policy *p, const uint8_t *buf, size_t len, struct insp_msg *m)
{
	(void)p, (void)buf, (void)len;
	return insp_msg_fail(m, INSP_R_MALFORMED_MESSAGE, 0, "tak: not implemented");
}
