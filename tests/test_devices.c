/* SPDX-License-Identifier: MIT */
/*
 * Port-I/O devices (src/vmm/devices.h): the bus, COM1 16550 and the exit
 * device at 0xF4, driven through pio_in/pio_out as the run loop will.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <stdlib.h>

#include "vmm/devices.h"
#include "x86/interp.h"
#include "tap.h"

struct outbuf {
	char buf[256];
	unsigned len;
};

static void tx_buf(void *opaque, uint8_t byte)
{
	struct outbuf *o = opaque;

	if (o->len < sizeof(o->buf) - 1)
		o->buf[o->len++] = (char)byte;
	o->buf[o->len] = 0;
}

struct trace_rec {
	unsigned n;
	bool is_write;
	uint16_t port;
	unsigned bytes;
	uint32_t val;
};

static void trace_cb(void *opaque, bool is_write, uint16_t port, unsigned bytes, uint32_t val)
{
	struct trace_rec *t = opaque;

	t->n++;
	t->is_write = is_write;
	t->port = port;
	t->bytes = bytes;
	t->val = val;
}

struct machine {
	struct pio_bus bus;
	struct uart16550 uart;
	struct exitdev exitd;
	struct outbuf out;
	struct trace_rec tr;
};

static void machine_init(struct machine *m)
{
	memset(m, 0, sizeof(*m));
	pio_bus_init(&m->bus);
	uart_init(&m->uart, COM1_BASE, tx_buf, &m->out);
	exitdev_init(&m->exitd);
	m->bus.trace = trace_cb;
	m->bus.trace_opaque = &m->tr;
	ok(uart_attach(&m->uart, &m->bus) == 0, "uart attached");
	ok(exitdev_attach(&m->exitd, &m->bus) == 0, "exit device attached");
}

/* The bench guest's COM1 setup (README "Port I/O"). */
static void bench_init(struct pio_bus *b)
{
	pio_out(b, 0x3F9, 1, 0x00);
	pio_out(b, 0x3FB, 1, 0x80);
	pio_out(b, 0x3F8, 1, 0x01);
	pio_out(b, 0x3F9, 1, 0x00);
	pio_out(b, 0x3FB, 1, 0x03);
	pio_out(b, 0x3FA, 1, 0xC7);
	pio_out(b, 0x3FC, 1, 0x03);
}

/* The guest's putc: poll LSR bit 5 (bounded), then THR. */
static bool guest_puts(struct pio_bus *b, const char *s)
{
	for (; *s; s++) {
		unsigned polls = 0;

		while (!(pio_in(b, 0x3FD, 1) & 0x20))
			if (++polls >= 1000000)
				return false;
		pio_out(b, 0x3F8, 1, (uint8_t)*s);
	}
	return true;
}

static void test_hello(void)
{
	struct machine m;

	machine_init(&m);
	bench_init(&m.bus);
	ok(m.out.len == 0, "init sequence transmits nothing (divisor write under DLAB=1)");
	ok(m.uart.dll == 1 && m.uart.dlm == 0, "divisor latch = 1 (dll=%u dlm=%u)", m.uart.dll, m.uart.dlm);
	ok(m.uart.lcr == 0x03, "LCR = 0x03 after init");
	ok(m.uart.mcr == 0x03, "MCR = 0x03 after init");
	ok(m.uart.ier == 0, "IER = 0 after init");
	ok(guest_puts(&m.bus, "Hello\n"), "LSR poll never gives up");
	ok(m.out.len == 6 && memcmp(m.out.buf, "Hello\n", 6) == 0,
	   "output is \"Hello\\n\" (got %u bytes)", m.out.len);
	ok((pio_in(&m.bus, 0x3FD, 1) & 0x40) != 0, "LSR bit 6 (TEMT) set before exit");
	ok(m.tr.n == 0, "no unmapped-port traffic");
	ok(!m.exitd.requested, "no exit requested");
}

static void test_dlab(void)
{
	struct machine m;

	machine_init(&m);
	pio_out(&m.bus, 0x3FB, 1, 0x83);
	pio_out(&m.bus, 0x3F8, 1, 0x0C);
	pio_out(&m.bus, 0x3F9, 1, 0x01);
	ok(m.out.len == 0, "DLAB=1: THR write not transmitted");
	ok(m.uart.dll == 0x0C && m.uart.dlm == 0x01, "DLAB=1: DLL=0x0c DLM=0x01");
	ok(m.uart.ier == 0, "DLAB=1: IER untouched");
	ok(pio_in(&m.bus, 0x3F8, 1) == 0x0C && pio_in(&m.bus, 0x3F9, 1) == 0x01,
	   "DLAB=1: divisor reads back");
	pio_out(&m.bus, 0x3FB, 1, 0x03);
	ok(pio_in(&m.bus, 0x3F9, 1) == 0 && pio_in(&m.bus, 0x3F8, 1) == 0,
	   "DLAB=0: IER and RBR read 0");
	pio_out(&m.bus, 0x3F8, 1, 'x');
	ok(m.out.len == 1 && m.out.buf[0] == 'x', "DLAB=0: THR write transmitted");
	ok(m.uart.dll == 0x0C, "DLAB=0: divisor kept");
}

static void test_regs(void)
{
	struct machine m;

	machine_init(&m);
	ok(pio_in(&m.bus, 0x3FD, 1) == 0x60, "LSR = 0x60 at reset");
	bench_init(&m.bus);
	ok(pio_in(&m.bus, 0x3FD, 1) == 0x60, "LSR = 0x60 after init");
	pio_out(&m.bus, 0x3FD, 1, 0x00);
	ok(pio_in(&m.bus, 0x3FD, 1) == 0x60, "LSR write ignored");
	ok(pio_in(&m.bus, 0x3FA, 1) == 0xC1, "IIR = 0xC1 (FIFO on, none pending)");
	ok(m.uart.fcr == 0xC1, "FCR stores enable + trigger level");
	pio_out(&m.bus, 0x3FA, 1, 0x00);
	ok(pio_in(&m.bus, 0x3FA, 1) == 0x01, "IIR = 0x01 with FIFO off");
	pio_out(&m.bus, 0x3F9, 1, UART_IER_ETBEI);
	ok(pio_in(&m.bus, 0x3FA, 1) == 0x02, "ETBEI set: IIR = 0x02 (THR empty)");
	ok(pio_in(&m.bus, 0x3FA, 1) == 0x01, "IIR read acknowledged THRE: 0x01");
	pio_out(&m.bus, 0x3F8, 1, 'a');
	ok(pio_in(&m.bus, 0x3FA, 1) == 0x02, "THR write raises THRE again");
	ok(pio_in(&m.bus, 0x3F9, 1) == UART_IER_ETBEI, "IER reads back");
	pio_out(&m.bus, 0x3F9, 1, 0xFF);
	ok(pio_in(&m.bus, 0x3F9, 1) == 0x0F, "IER keeps low 4 bits");
	pio_out(&m.bus, 0x3F9, 1, 0);
	pio_out(&m.bus, 0x3FF, 1, 0x5A);
	ok(pio_in(&m.bus, 0x3FF, 1) == 0x5A, "SCR read/write");
	pio_out(&m.bus, 0x3FF, 1, 0xA5);
	ok(pio_in(&m.bus, 0x3FF, 1) == 0xA5, "SCR read/write again");
	pio_out(&m.bus, 0x3FC, 1, 0xFF);
	ok(pio_in(&m.bus, 0x3FC, 1) == 0x1F, "MCR keeps low 5 bits");
	pio_out(&m.bus, 0x3FC, 1, 0x03);
	ok(pio_in(&m.bus, 0x3FE, 1) == 0xB0, "MSR = 0xB0 (CTS|DSR|DCD)");
	ok(pio_in(&m.bus, 0x3FB, 1) == 0x03, "LCR reads back");
	ok(pio_in(&m.bus, 0x3F8, 1) == 0x00, "RBR with nothing received reads 0");

	/* Receive path and loopback. */
	ok(uart_receive(&m.uart, 'k'), "uart_receive queues");
	ok(pio_in(&m.bus, 0x3FD, 1) == 0x61, "LSR.DR set with data");
	pio_out(&m.bus, 0x3F9, 1, UART_IER_ERBFI);
	ok(pio_in(&m.bus, 0x3FA, 1) == 0x04, "ERBFI + data: IIR = 0x04");
	pio_out(&m.bus, 0x3F9, 1, 0);
	ok(pio_in(&m.bus, 0x3F8, 1) == 'k', "RBR returns received byte");
	ok(pio_in(&m.bus, 0x3FD, 1) == 0x60, "LSR.DR clear after read");
	unsigned before = m.out.len;
	pio_out(&m.bus, 0x3FC, 1, 0x1F);
	ok(pio_in(&m.bus, 0x3FE, 1) == 0xF0, "loopback MSR mirrors MCR");
	pio_out(&m.bus, 0x3F8, 1, 'L');
	ok(m.out.len == before, "loopback: not transmitted");
	ok(pio_in(&m.bus, 0x3F8, 1) == 'L', "loopback: received");
	for (unsigned i = 0; i < 20; i++)
		pio_out(&m.bus, 0x3F8, 1, (uint8_t)i);
	ok(m.uart.rx_count == UART_RX_FIFO, "rx FIFO bounded at %u", UART_RX_FIFO);
	pio_out(&m.bus, 0x3FA, 1, 0x03);
	ok(pio_in(&m.bus, 0x3FD, 1) == 0x60, "FCR bit 1 clears rx FIFO");
}

static void test_wide_uart(void)
{
	struct machine m;

	machine_init(&m);
	pio_out(&m.bus, 0x3F8, 2, 0x4142);
	pio_out(&m.bus, 0x3F8, 4, 0x41424344);
	ok(m.out.len == 2 && m.out.buf[0] == 0x42 && m.out.buf[1] == 0x44,
	   "16/32-bit THR writes send the low byte once");
	ok(pio_in(&m.bus, 0x3FD, 2) == 0x0060, "16-bit LSR read = 0x0060");
	ok(pio_in(&m.bus, 0x3FD, 4) == 0x00000060, "32-bit LSR read = 0x00000060");
	pio_out(&m.bus, 0x3FF, 4, 0x11223344);
	ok(pio_in(&m.bus, 0x3FF, 1) == 0x44, "32-bit SCR write stores the low byte");
	pio_out(&m.bus, 0x3FB, 2, 0x0080);
	ok((m.uart.lcr & UART_LCR_DLAB) != 0, "16-bit LCR write sets DLAB");
	ok(m.tr.n == 0, "wide UART accesses are not traced as unmapped");
}

static void test_unknown(void)
{
	struct machine m;

	machine_init(&m);
	ok(pio_in(&m.bus, 0x80, 1) == 0xff, "unknown port: 8-bit read 0xff");
	ok(m.tr.n == 1 && !m.tr.is_write && m.tr.port == 0x80 && m.tr.bytes == 1,
	   "unknown read traced");
	ok(pio_in(&m.bus, 0x1234, 2) == 0xffff, "unknown port: 16-bit read 0xffff");
	ok(pio_in(&m.bus, 0xFFFF, 4) == 0xffffffffu, "unknown port: 32-bit read 0xffffffff");
	ok(m.tr.n == 3 && m.tr.port == 0xFFFF && m.tr.bytes == 4, "32-bit read traced");
	pio_out(&m.bus, 0x8900, 1, 'S');
	ok(m.tr.n == 4 && m.tr.is_write && m.tr.port == 0x8900 && m.tr.val == 'S' && m.tr.bytes == 1,
	   "write to 0x8900 (Shutdown port) ignored and traced");
	pio_out(&m.bus, 0x3F7, 4, 0xdeadbeef);
	ok(m.tr.n == 5 && m.tr.val == 0xdeadbeef && m.tr.port == 0x3F7, "32-bit unknown write traced");
	ok(m.out.len == 0 && !m.exitd.requested, "unknown writes have no effect on devices");
	pio_out(&m.bus, 0xF5, 1, 1);
	ok(!m.exitd.requested && m.tr.port == 0xF5, "0xF5 is not the exit device");
	ok(pio_in(&m.bus, 0x3F8 - 1, 1) == 0xff && pio_in(&m.bus, 0x400, 1) == 0xff,
	   "ports next to COM1 are unmapped");
	m.bus.trace = NULL;
	ok(pio_in(&m.bus, 0x81, 1) == 0xff, "no trace callback: still all ones");
	pio_out(&m.bus, 0x81, 1, 0);
	ok(pio_in(&m.bus, 0x3FD, 3) == 0x60, "odd access size treated as 4 bytes");
}

static void test_exit(void)
{
	struct machine m;

	machine_init(&m);
	ok(!m.exitd.requested, "no exit at start");
	pio_out(&m.bus, 0xF4, 4, 0x1234);
	ok(m.exitd.requested && m.exitd.status == 0x34 && m.exitd.value == 0x1234 && m.exitd.bytes == 4,
	   "32-bit 0x1234 -> exit requested, status 0x34");
	machine_init(&m);
	pio_out(&m.bus, 0xF4, 1, 0x00);
	ok(m.exitd.requested && m.exitd.status == 0, "8-bit 0 -> exit status 0");
	pio_out(&m.bus, 0xF4, 2, 0xAB07);
	ok(m.exitd.status == 0x07 && m.exitd.value == 0xAB07, "16-bit write: last wins, status 0x07");
	pio_out(&m.bus, 0xF4, 1, 0x1FF);
	ok(m.exitd.value == 0xFF && m.exitd.status == 0xFF, "8-bit write masked to 0xff");
	ok(pio_in(&m.bus, 0xF4, 1) == 0xff && pio_in(&m.bus, 0xF4, 4) == 0xffffffffu,
	   "exit port reads all ones");
	ok(m.tr.n == 0, "exit port accesses not traced as unmapped");
}

static uint32_t dummy_in(void *o, uint16_t p, unsigned b)
{
	(void)o; (void)p; (void)b;
	return 0x12345678;
}

static void test_bus(void)
{
	struct pio_bus bus;
	unsigned i;

	pio_bus_init(&bus);
	ok(pio_register(&bus, 0x10, 0, NULL, NULL, NULL, "z") == -1, "count 0 rejected");
	ok(pio_register(&bus, 0xFFFF, 2, NULL, NULL, NULL, "w") == -1, "range past 0xffff rejected");
	ok(pio_register(&bus, 0xFFFF, 1, dummy_in, NULL, NULL, "top") == 0, "port 0xffff accepted");
	ok(pio_register(&bus, 0x10, 8, dummy_in, NULL, NULL, "a") == 0, "0x10..0x17 registered");
	ok(pio_register(&bus, 0x17, 1, NULL, NULL, NULL, "b") == -1, "overlap at end rejected");
	ok(pio_register(&bus, 0x08, 9, NULL, NULL, NULL, "c") == -1, "overlap at start rejected");
	ok(pio_register(&bus, 0x18, 1, NULL, NULL, NULL, "d") == 0, "adjacent range accepted");
	ok(pio_in(&bus, 0x10, 1) == 0x78 && pio_in(&bus, 0x10, 2) == 0x5678 &&
	   pio_in(&bus, 0x17, 4) == 0x12345678, "device result masked to size");
	ok(pio_in(&bus, 0x18, 2) == 0xffff, "NULL in callback reads all ones");
	pio_out(&bus, 0x18, 1, 0);	/* NULL out: ignored */
	ok(pio_find(&bus, 0xFFFF) && pio_in(&bus, 0xFFFF, 1) == 0x78, "port 0xffff dispatches");
	for (i = bus.ndev; i < PIO_MAX_DEVICES; i++)
		pio_register(&bus, (uint16_t)(0x100 + i), 1, NULL, NULL, NULL, "f");
	ok(bus.ndev == PIO_MAX_DEVICES, "bus filled");
	ok(pio_register(&bus, 0x200, 1, NULL, NULL, NULL, "x") == -1, "full bus rejects");
	struct uart16550 u2;
	uart_init(&u2, COM1_BASE, NULL, NULL);
	struct pio_bus b2;
	pio_bus_init(&b2);
	struct uart16550 u1;
	uart_init(&u1, COM1_BASE, NULL, NULL);
	ok(uart_attach(&u1, &b2) == 0 && uart_attach(&u2, &b2) == -1, "second COM1 rejected");
}


/* The adapter the run loop will use: c->opaque -> the machine's bus. */
static uint32_t hook_in(struct x86_cpu *c, uint16_t port, unsigned bytes)
{
	return pio_in(&((struct machine *)c->opaque)->bus, port, bytes);
}

static void hook_out(struct x86_cpu *c, uint16_t port, unsigned bytes, uint32_t val)
{
	pio_out(&((struct machine *)c->opaque)->bus, port, bytes, val);
}

/* Guest code through the interpreter: poll LSR, out 'H' to THR, out 0x1234 to 0xF4. */
static void test_interp_adapter(void)
{
	static const uint8_t code[] = {
		0x66, 0xba, 0xfd, 0x03,		/* mov dx, 0x3fd */
		0xec,				/* in al, dx */
		0xa8, 0x20,			/* test al, 0x20 */
		0x74, 0xfb,			/* jz -5 */
		0x66, 0xba, 0xf8, 0x03,		/* mov dx, 0x3f8 */
		0xb0, 0x48,			/* mov al, 'H' */
		0xee,				/* out dx, al */
		0xe5, 0x80,			/* in eax, 0x80 (unmapped) */
		0xb8, 0x34, 0x12, 0x00, 0x00,	/* mov eax, 0x1234 */
		0xe7, 0xf4,			/* out 0xf4, eax */
		0xf4,				/* hlt */
	};
	const uint64_t ram_size = 0x10000, at = 0x1000;
	uint8_t *ram = calloc(1, ram_size);
	struct vcpu v;
	struct x86_cpu c;
	struct machine m;
	unsigned steps;
	uint32_t eax_after_in = 0;

	machine_init(&m);
	memcpy(ram + at, code, sizeof(code));
	memset(&v, 0, sizeof(v));
	vcpu_regfile_init(&v.regs, NULL);
	v.regs.rip = at;
	v.regs.rflags = X86_FLAGS_FIXED;
	memset(&c, 0, sizeof(c));
	c.v = &v;
	c.ram = ram;
	c.ram_size = ram_size;
	c.io_in = hook_in;
	c.io_out = hook_out;
	c.opaque = &m;
	for (steps = 0; steps < 100 && !m.exitd.requested; steps++) {
		enum x86_exit ex = x86_step(&c);

		if (ex != X86_EXIT_NONE) {
			diag("x86_step exit %d at rip %#llx", (int)ex, (unsigned long long)v.regs.rip);
			break;
		}
		if (v.regs.rip == at + 18)
			eax_after_in = (uint32_t)v.regs.regs[VCPU_REGS_RAX];
	}
	ok(m.exitd.requested && m.exitd.status == 0x34 && m.exitd.bytes == 4,
	   "interpreter: out 0xf4, eax (0x1234) -> exit status 0x34 after %u steps", steps);
	ok(m.out.len == 1 && m.out.buf[0] == 'H', "interpreter: 'H' transmitted via THR");
	ok(eax_after_in == 0xffffffffu && m.tr.n == 1 && m.tr.port == 0x80 && m.tr.bytes == 4,
	   "interpreter: in eax, 0x80 reads 0xffffffff and is traced");
	ok(v.regs.rip == at + 25, "stopped right after the exit write (rip %#llx)",
	   (unsigned long long)v.regs.rip);
	free(ram);
}

int main(void)
{
	test_hello();
	test_dlab();
	test_regs();
	test_wide_uart();
	test_unknown();
	test_exit();
	test_bus();
	test_interp_adapter();
	return done_testing();
}
