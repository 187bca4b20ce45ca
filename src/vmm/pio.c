/* SPDX-License-Identifier: MIT */
/* A small port-I/O bus: device ranges with in/out callbacks, all ones elsewhere. */
#include <string.h>

#include "vmm/devices.h"

uint32_t pio_size_mask(unsigned bytes)
{
	if (bytes == 1)
		return 0xffu;
	if (bytes == 2)
		return 0xffffu;
	return 0xffffffffu;
}

static unsigned norm_size(unsigned bytes)
{
	return bytes == 1 || bytes == 2 ? bytes : 4;
}

void pio_bus_init(struct pio_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

int pio_register(struct pio_bus *bus, uint16_t base, uint32_t count,
		 pio_in_fn in, pio_out_fn out, void *opaque, const char *name)
{
	unsigned i;

	if (count == 0 || (uint32_t)base + count > 0x10000u || bus->ndev >= PIO_MAX_DEVICES)
		return -1;
	for (i = 0; i < bus->ndev; i++) {
		const struct pio_device *d = &bus->dev[i];

		if ((uint32_t)base < (uint32_t)d->base + d->count &&
		    (uint32_t)d->base < (uint32_t)base + count)
			return -1;
	}
	bus->dev[bus->ndev++] = (struct pio_device){
		.base = base, .count = count, .in = in, .out = out,
		.opaque = opaque, .name = name,
	};
	return 0;
}

const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port)
{
	unsigned i;

	for (i = 0; i < bus->ndev && i < PIO_MAX_DEVICES; i++) {
		const struct pio_device *d = &bus->dev[i];

		if (port >= d->base && (uint32_t)port < (uint32_t)d->base + d->count)
			return d;
	}
	return NULL;
}

uint32_t pio_in(struct pio_bus *bus, uint16_t port, unsigned bytes)
{
	const struct pio_device *d = pio_find(bus, port);
	uint32_t mask;

	bytes = norm_size(bytes);
	mask = pio_size_mask(bytes);
	if (!d) {
		if (bus->trace)
			bus->trace(bus->trace_opaque, false, port, bytes, mask);
		return mask;
	}
	if (!d->in)
		return mask;
	return d->in(d->opaque, port, bytes) & mask;
}

void pio_out(struct pio_bus *bus, uint16_t port, unsigned bytes, uint32_t val)
{
	const struct pio_device *d = pio_find(bus, port);

	bytes = norm_size(bytes);
	val &= pio_size_mask(bytes);
	if (!d) {
		if (bus->trace)
			bus->trace(bus->trace_opaque, true, port, bytes, val);
		return;
	}
	if (d->out)
		d->out(d->opaque, port, bytes, val);
}
