/* SPDX-License-Identifier: MIT */
/* The exit device: a write to port 0xF4 ends the run with status V & 0xff. */
#include <string.h>

#include "vmm/devices.h"

void exitdev_init(struct exitdev *e)
{
	memset(e, 0, sizeof(*e));
}

static uint32_t exitdev_in(void *opaque, uint16_t port, unsigned bytes)
{
	(void)opaque;
	(void)port;
	return pio_size_mask(bytes);
}

static void exitdev_out(void *opaque, uint16_t port, unsigned bytes, uint32_t val)
{
	struct exitdev *e = opaque;

	(void)port;
	e->requested = true;
	e->value = val;
	e->status = (uint8_t)(val & 0xff);
	e->bytes = bytes;
}

int exitdev_attach(struct exitdev *e, struct pio_bus *bus)
{
	return pio_register(bus, EXITDEV_PORT, 1, exitdev_in, exitdev_out, e, "exit");
}
