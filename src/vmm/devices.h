/* SPDX-License-Identifier: MIT */
/*
 * Port-I/O devices of the VMM: a small port bus (pio.c), the COM1 16550
 * UART (uart16550.c) and the exit device at port 0xF4 (exitdev.c).
 *
 * Everything here is driven by the guest, so every entry point accepts any
 * port, any size and any value without crashing; sizes other than 1, 2 or
 * 4 are treated as 4 (the interpreter only produces 1, 2 and 4).
 *
 * Device state lives in plain structs.  Fields marked "state" are what a
 * snapshot must save; fields marked "host" are wiring (callbacks, pointers)
 * that the VMM sets up again on restore.
 *
 * Adapter for the interpreter hooks in x86/interp.h (the run loop writes it;
 * c->opaque points to whatever holds the bus):
 *
 *   static uint32_t io_in(struct x86_cpu *c, uint16_t port, unsigned bytes)
 *   { return pio_in(&((struct vm *)c->opaque)->bus, port, bytes); }
 *   static void io_out(struct x86_cpu *c, uint16_t port, unsigned bytes, uint32_t v)
 *   { pio_out(&((struct vm *)c->opaque)->bus, port, bytes, v); }
 *
 * After every io_out the run loop polls exitdev.requested.
 */
#ifndef APXVM_VMM_DEVICES_H
#define APXVM_VMM_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

/* ---- port bus ---------------------------------------------------------- */

/*
 * Device callbacks.  `port` is the port the access was made to (not an
 * offset), `bytes` is 1, 2 or 4, `val` is already masked to the size; what
 * `in` returns is masked to the size by the bus.
 */
typedef uint32_t (*pio_in_fn)(void *opaque, uint16_t port, unsigned bytes);
typedef void (*pio_out_fn)(void *opaque, uint16_t port, unsigned bytes, uint32_t val);
/* Called for accesses to unmapped ports (is_write: 0 = IN, 1 = OUT; val is
 * the value written, or the all-ones value returned for an IN). */
typedef void (*pio_trace_fn)(void *opaque, bool is_write, uint16_t port,
			     unsigned bytes, uint32_t val);

#define PIO_MAX_DEVICES 16

struct pio_device {		/* all host wiring */
	uint16_t base;
	uint32_t count;		/* ports [base, base + count), 1..65536 */
	pio_in_fn in;		/* NULL: reads return all ones */
	pio_out_fn out;		/* NULL: writes are ignored */
	void *opaque;
	const char *name;
};

struct pio_bus {		/* all host wiring; devices hold their own state */
	struct pio_device dev[PIO_MAX_DEVICES];
	unsigned ndev;
	pio_trace_fn trace;	/* optional: unmapped-port accesses */
	void *trace_opaque;
};

void pio_bus_init(struct pio_bus *bus);
/*
 * Register [base, base + count).  Returns 0, or -1 if count is 0, the range
 * runs past port 0xFFFF, overlaps a registered device, or the bus is full.
 */
int pio_register(struct pio_bus *bus, uint16_t base, uint32_t count,
		 pio_in_fn in, pio_out_fn out, void *opaque, const char *name);
/* The device owning `port`, or NULL. */
const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port);

/*
 * Dispatch.  An access goes to the device that owns its first port (a
 * 16/32-bit access is not split across devices).  Unmapped ports read all
 * ones for the size (0xff, 0xffff, 0xffffffff), writes to them are ignored;
 * both are reported to bus->trace if set.
 */
uint32_t pio_in(struct pio_bus *bus, uint16_t port, unsigned bytes);
void pio_out(struct pio_bus *bus, uint16_t port, unsigned bytes, uint32_t val);
/* All ones for an access size (1 -> 0xff, 2 -> 0xffff, else 0xffffffff). */
uint32_t pio_size_mask(unsigned bytes);

/* ---- 16550 UART -------------------------------------------------------- */

#define COM1_BASE	0x3F8
#define UART_NPORTS	8

/* Register offsets from the base port. */
enum {
	UART_RBR_THR = 0,	/* DLAB=0: RBR (read) / THR (write); DLAB=1: DLL */
	UART_IER = 1,		/* DLAB=0: IER; DLAB=1: DLM */
	UART_IIR_FCR = 2,	/* IIR (read) / FCR (write) */
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define UART_LCR_DLAB	0x80
#define UART_LSR_DR	0x01
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40
#define UART_MCR_LOOP	0x10
#define UART_IER_ERBFI	0x01	/* receive data available */
#define UART_IER_ETBEI	0x02	/* THR empty */
#define UART_RX_FIFO	16

/*
 * Behaviour (no interrupt line yet: IIR reports what would be pending):
 * - Transmit is instantaneous: a THR write (DLAB=0) goes to tx() at once,
 *   so LSR always has THRE|TEMT (0x60); LSR.DR is set while the receive
 *   FIFO holds bytes (only through uart_receive() or loopback).
 * - DLAB=1: offsets 0/1 read and write the divisor latch (dll/dlm); nothing
 *   is transmitted.
 * - IER keeps its low 4 bits.  IIR reads: 0x04 (receive data) if ERBFI and
 *   DR, else 0x02 (THR empty) if ETBEI and a THR-empty event is pending,
 *   else 0x01 (none); bits 7:6 = 11 while the FIFO is enabled (FCR bit 0),
 *   so 0xC1 after the bench init.  Reading IIR that reports 0x02 clears the
 *   THR-empty event; a THR write or setting ETBEI raises it again.
 * - FCR is write-only: bit 0 enables the FIFOs (bits 7:6 trigger level are
 *   kept in fcr), bit 1 clears the receive FIFO, bit 2 is a no-op.
 * - LCR, SCR: full byte read/write.  MCR: low 5 bits.  LSR and MSR writes are
 *   ignored.  MSR reads 0xB0 (CTS|DSR|DCD) normally; in loopback (MCR bit 4)
 *   its high nibble mirrors DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD, and
 *   THR writes go to the receive FIFO instead of tx().
 * - RBR read pops the receive FIFO (0 when empty).  A full FIFO drops the
 *   new byte.
 * - 16/32-bit accesses act as a byte access to the addressed port: OUT uses
 *   the low byte, IN returns the register zero-extended.
 */
struct uart16550 {
	/* state */
	uint8_t ier, lcr, mcr, scr, fcr;
	uint8_t dll, dlm;
	bool thre_pending;		/* THR-empty interrupt event */
	uint8_t rx[UART_RX_FIFO];
	uint8_t rx_head, rx_count;
	/* host */
	uint16_t base;
	void (*tx)(void *opaque, uint8_t byte);	/* NULL: stdout (buffered putchar) */
	void *tx_opaque;
};

/* Reset state (power-on: all registers 0, divisor 0); keeps tx wiring if set. */
void uart_init(struct uart16550 *u, uint16_t base,
	       void (*tx)(void *opaque, uint8_t byte), void *tx_opaque);
/* Register on the bus at u->base (8 ports). */
int uart_attach(struct uart16550 *u, struct pio_bus *bus);
/* Queue a received byte; returns false if the FIFO is full. */
bool uart_receive(struct uart16550 *u, uint8_t byte);
uint8_t uart_read(struct uart16550 *u, unsigned offset);
void uart_write(struct uart16550 *u, unsigned offset, uint8_t val);
uint8_t uart_lsr(const struct uart16550 *u);

/* ---- exit device (port 0xF4) ------------------------------------------ */

#define EXITDEV_PORT	0xF4

/*
 * A write of V of any size (1, 2, 4 bytes) to port 0xF4 requests the end of
 * the run with status V & 0xff; the last write wins (the run loop stops at
 * the first one anyway).  Reads return all ones.  Only port 0xF4 itself is
 * claimed (0xF5..0xF7 stay unmapped; a 32-bit access at 0xF4 is complete).
 */
struct exitdev {
	/* state */
	bool requested;
	uint32_t value;		/* as written, masked to the access size */
	uint8_t status;		/* value & 0xff: the process exit status */
	unsigned bytes;		/* size of that write */
};

void exitdev_init(struct exitdev *e);
int exitdev_attach(struct exitdev *e, struct pio_bus *bus);

#endif
