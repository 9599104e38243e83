/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include <rte_memzone.h>

#include "gd_attach.h"

struct dp_shared *
gd_attach(const char *who, char *err, size_t errlen)
{
	const struct rte_memzone *mz = rte_memzone_lookup(DP_SHARED_MZ);
	struct dp_shared *sh;

	if (mz == NULL) {
		snprintf(err, errlen,
			 "guardd's shared state '%s' is not there: is guardd running with this "
			 "--file-prefix?",
			 DP_SHARED_MZ);
		return NULL;
	}
	sh = mz->addr;
	if (sh->magic != DP_SHARED_MAGIC || sh->version != DP_SHARED_VERSION ||
	    sh->size != sizeof(*sh)) {
		snprintf(err, errlen,
			 "guardd's shared state is version %u (%u bytes), this %s reads version %u "
			 "(%zu bytes): run %s from the same build as guardd",
			 sh->version, sh->size, who, DP_SHARED_VERSION, sizeof(*sh), who);
		return NULL;
	}
	return sh;
}
