/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Build-time error report. Builders (policy load, matcher compile) fill one of these
 * instead of printing: the caller decides where the message goes. The message is complete
 * and operator-ready, in the form "file:line:column: what is wrong".
 */
#ifndef INSP_ERR_H
#define INSP_ERR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct insp_err {
	uint32_t line;	 /**< 1-based line of the offending item, 0 if none */
	uint32_t column; /**< 1-based column, 0 if none */
	char msg[512];	 /**< full message, "file:line:column: text" */
};

#ifdef __cplusplus
}
#endif
#endif
