/* SPDX-License-Identifier: MIT */
/* COM1: a 16550 UART with instantaneous transmit (see devices.h). */
#include <stdio.h>
#include <string.h>

#include "vmm/devices.h"

/*
 * stdio buffering, not a write(2) per byte (that cost 10% of a KVM exit
 * round trip): `apxvm run` makes stdout line-buffered (session.c), and the
 * run loop flushes whenever the guest stops.
 */
static void tx_stdout(void *opaque, uint8_t byte)
{
	(void)opaque;
	putchar(byte);
}

void uart_init(struct uart16550 *u, uint16_t base,
	       void (*tx)(void *opaque, uint8_t byte), void *tx_opaque)
{
	memset(u, 0, sizeof(*u));
	u->base = base;
	u->tx = tx ? tx : tx_stdout;
	u->tx_opaque = tx_opaque;
}

bool uart_receive(struct uart16550 *u, uint8_t byte)
{
	if (u->rx_count >= UART_RX_FIFO)
		return false;
	u->rx[(u->rx_head + u->rx_count) % UART_RX_FIFO] = byte;
	u->rx_count++;
	return true;
}

uint8_t uart_lsr(const struct uart16550 *u)
{
	return UART_LSR_THRE | UART_LSR_TEMT | (u->rx_count ? UART_LSR_DR : 0);
}

static uint8_t uart_iir(struct uart16550 *u)
{
	uint8_t fifo = (u->fcr & 0x01) ? 0xC0 : 0x00;

	if ((u->ier & UART_IER_ERBFI) && u->rx_count)
		return fifo | 0x04;
	if ((u->ier & UART_IER_ETBEI) && u->thre_pending) {
		u->thre_pending = false;	/* reading IIR acknowledges THRE */
		return fifo | 0x02;
	}
	return fifo | 0x01;
}

static uint8_t uart_msr(const struct uart16550 *u)
{
	uint8_t m = u->mcr;

	if (!(m & UART_MCR_LOOP))
		return 0xB0;
	return (uint8_t)(((m & 0x01) ? 0x20 : 0) | ((m & 0x02) ? 0x10 : 0) |
			 ((m & 0x04) ? 0x40 : 0) | ((m & 0x08) ? 0x80 : 0));
}

uint8_t uart_read(struct uart16550 *u, unsigned offset)
{
	uint8_t b;

	switch (offset & 7) {
	case UART_RBR_THR:
		if (u->lcr & UART_LCR_DLAB)
			return u->dll;
		if (!u->rx_count)
			return 0;
		b = u->rx[u->rx_head];
		u->rx_head = (uint8_t)((u->rx_head + 1) % UART_RX_FIFO);
		u->rx_count--;
		return b;
	case UART_IER:
		return (u->lcr & UART_LCR_DLAB) ? u->dlm : u->ier;
	case UART_IIR_FCR:
		return uart_iir(u);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return uart_lsr(u);
	case UART_MSR:
		return uart_msr(u);
	default:
		return u->scr;
	}
}

void uart_write(struct uart16550 *u, unsigned offset, uint8_t val)
{
	switch (offset & 7) {
	case UART_RBR_THR:
		if (u->lcr & UART_LCR_DLAB) {
			u->dll = val;
			return;
		}
		if (u->mcr & UART_MCR_LOOP)
			(void)uart_receive(u, val);
		else if (u->tx)
			u->tx(u->tx_opaque, val);
		u->thre_pending = true;
		return;
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB) {
			u->dlm = val;
			return;
		}
		if ((val & UART_IER_ETBEI) && !(u->ier & UART_IER_ETBEI))
			u->thre_pending = true;
		u->ier = val & 0x0F;
		return;
	case UART_IIR_FCR:
		if (val & 0x02) {
			u->rx_head = 0;
			u->rx_count = 0;
		}
		u->fcr = val & 0xC1;
		return;
	case UART_LCR:
		u->lcr = val;
		return;
	case UART_MCR:
		u->mcr = val & 0x1F;
		return;
	case UART_SCR:
		u->scr = val;
		return;
	default:		/* LSR, MSR: read-only */
		return;
	}
}

static uint32_t uart_pio_in(void *opaque, uint16_t port, unsigned bytes)
{
	struct uart16550 *u = opaque;

	(void)bytes;
	return uart_read(u, (unsigned)(uint16_t)(port - u->base));
}

static void uart_pio_out(void *opaque, uint16_t port, unsigned bytes, uint32_t val)
{
	struct uart16550 *u = opaque;

	(void)bytes;
	uart_write(u, (unsigned)(uint16_t)(port - u->base), (uint8_t)val);
}

int uart_attach(struct uart16550 *u, struct pio_bus *bus)
{
	return pio_register(bus, u->base, UART_NPORTS, uart_pio_in, uart_pio_out, u, "uart16550");
}
