/*
 * ns16550.c - the 16550-compatible UART: the console on QEMU virt, the
 * SiFive and StarFive boards (as snps,dw-apb-uart) and many others.
 *
 * Output is polled: wait until the transmit holding register is empty
 * (LSR.THRE), write the byte.  Input is interrupt-driven: the receive
 * interrupt (IER.ERBFI) drains the receive FIFO into a ring buffer that
 * hal_console_getc() reads.  The ring has one producer (the interrupt
 * handler on cpu 0) and consumers serialized by a flag, so head and tail
 * are each written by one side only.
 *
 * Register i lives at base + (i << reg-shift), accessed reg-io-width bytes
 * wide, both from the DT (the DesignWare variant uses shift 2, width 4).
 * The firmware already programmed the baud rate; we leave it.
 */
#include <stdatomic.h>
#include <stdint.h>

#include "dev.h"
#include "hal.h"

#define RBR 0   /* receive buffer (read) */
#define THR 0   /* transmit holding (write) */
#define IER 1   /* interrupt enable */
#define FCR 2   /* FIFO control (write) */
#define LSR 5   /* line status */
#define IER_RX 0x01
#define FCR_ENABLE_CLEAR 0x07
#define LSR_DR 0x01     /* data ready */
#define LSR_THRE 0x20   /* transmit holding register empty */

static uintptr_t base;
static unsigned shift, width;

#define RXBUF 256
static unsigned char rxbuf[RXBUF];
static atomic_uint rx_head, rx_tail;    /* head: written by the handler */
static atomic_flag rx_busy = ATOMIC_FLAG_INIT;

static uint32_t rd(int reg)
{
	uintptr_t a = base + ((uintptr_t)reg << shift);
	return width == 4 ? *(volatile uint32_t *)a : *(volatile uint8_t *)a;
}

static void wr(int reg, uint32_t v)
{
	uintptr_t a = base + ((uintptr_t)reg << shift);
	if (width == 4)
		*(volatile uint32_t *)a = v;
	else
		*(volatile uint8_t *)a = (uint8_t)v;
}

void ns16550_init(const struct dt_info *dt)
{
	base = (uintptr_t)dt->uart.base;
	shift = dt->uart.reg_shift;
	width = dt->uart.reg_io_width;
	wr(IER, 0);
	wr(FCR, FCR_ENABLE_CLEAR);
	wr(IER, IER_RX);
}

void ns16550_putc(int c)
{
	while ((rd(LSR) & LSR_THRE) == 0)
		;
	wr(THR, (uint32_t)c);
}

/* Receive interrupt: move everything waiting into the ring. */
void ns16550_intr(void)
{
	while (rd(LSR) & LSR_DR) {
		unsigned char ch = (unsigned char)rd(RBR);
		unsigned h = atomic_load_explicit(&rx_head, memory_order_relaxed);
		unsigned t = atomic_load_explicit(&rx_tail, memory_order_acquire);
		if (h - t < RXBUF) {    /* full: drop, like a FIFO overrun */
			rxbuf[h % RXBUF] = ch;
			atomic_store_explicit(&rx_head, h + 1, memory_order_release);
		}
	}
}

int ns16550_getc(void)
{
	int c = -1;
	while (atomic_flag_test_and_set_explicit(&rx_busy, memory_order_acquire))
		hal_cpu_relax();
	unsigned t = atomic_load_explicit(&rx_tail, memory_order_relaxed);
	if (atomic_load_explicit(&rx_head, memory_order_acquire) != t) {
		c = rxbuf[t % RXBUF];
		atomic_store_explicit(&rx_tail, t + 1, memory_order_release);
	}
	atomic_flag_clear_explicit(&rx_busy, memory_order_release);
	return c;
}
