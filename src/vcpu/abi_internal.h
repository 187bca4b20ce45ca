/* SPDX-License-Identifier: MIT */
/* Helpers shared by abi.c and abi_cpuid.c; not part of the state ABI. */
#ifndef APXVM_VCPU_ABI_INTERNAL_H
#define APXVM_VCPU_ABI_INTERNAL_H

#include <stddef.h>

#include "vcpu/cpuid.h"
#include "vcpu/errfmt.h"
#include "vcpu/vcpu.h"

#endif
