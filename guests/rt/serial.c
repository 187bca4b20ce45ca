/* SPDX-License-Identifier: MIT */
/* COM1 output and the exit device. */
#include "rt.h"

#define LSR (COM1 + 5)
#define LSR_THRE 0x20		/* transmit holding register empty */
#define LSR_TEMT 0x40		/* transmitter empty */
#define POLL_LIMIT 1000000	/* a device returning garbage still gets output */

static void wait_lsr(uint8_t bit)
{
	for (unsigned i = 0; i < POLL_LIMIT; i++)
		if (inb(LSR) & bit)
			return;
}

void putchar_serial(int c)
{
	wait_lsr(LSR_THRE);
	outb(COM1, (uint8_t)c);
}

void puts_serial(const char *s)
{
	while (*s)
		putchar_serial(*s++);
}

void exit(int status)
{
	wait_lsr(LSR_TEMT);
	outl(EXIT_PORT, (uint32_t)status);
	for (;;)
		__asm__ volatile("cli; hlt");
}
