/* SPDX-License-Identifier: MIT */
/* Error messages into a caller's buffer, shared by every layer's validators. */
#ifndef APXVM_VCPU_ERRFMT_H
#define APXVM_VCPU_ERRFMT_H

#include <stddef.h>

/* Format the message into err (if not NULL and errlen > 0) and return rc. */
__attribute__((format(printf, 4, 5)))
int vcpu_errfmt(char *err, size_t errlen, int rc, const char *fmt, ...);

#endif
