/* SPDX-License-Identifier: MIT */
/* Helpers shared by abi.c and abi_cpuid.c; not part of the state ABI. */
#ifndef APXVM_VCPU_ABI_INTERNAL_H
#define APXVM_VCPU_ABI_INTERNAL_H

#include <stddef.h>

#include "vcpu/cpuid.h"
#include "vcpu/vcpu.h"

/* Format the message into err (if not NULL) and return rc. */
__attribute__((format(printf, 4, 5)))
int vcpu_abi_fail(char *err, size_t errlen, int rc, const char *fmt, ...);

/* v->model, or the model the rules follow when it is NULL (see abi.h). */
const struct vcpu_cpu_model *vcpu_abi_model(const struct vcpu *v);

#endif
