/*
 * pl011.c - the Arm PrimeCell PL011 UART: the console on QEMU's ARM virt
 * machine, the Raspberry Pi and most Arm boards (DT "arm,pl011").
 *
 * Output is polled: wait while the transmit FIFO is full (FR.TXFF), write
 * the byte to DR.  Input is interrupt-driven: the receive and receive
 * timeout interrupts (IMSC.RXIM, RTIM) drain the receive FIFO into a ring
 * buffer that hal_console_getc() reads.  The ring has one producer (the
 * interrupt handler on cpu 0) and consumers serialized by a flag, so head
 * and tail are each written by one side only (as in ns16550.c).
 *
 * The firmware (or QEMU) already set the baud rate and line format; we
 * only make sure the UART, its transmitter and receiver and its FIFOs are
 * on.  Registers are 32 bits wide at fixed offsets (ARM DDI 0183).
 */
#include <stdatomic.h>
#include <stdint.h>

#include "dev.h"
#include "hal.h"

#define DR 0x00         /* data */
#define FR 0x18         /* flags */
#define LCRH 0x2c       /* line control */
#define CR 0x30         /* control */
#define IMSC 0x38       /* interrupt mask set/clear */
#define ICR 0x44        /* interrupt clear */
#define FR_RXFE (1u << 4)       /* receive FIFO empty */
#define FR_TXFF (1u << 5)       /* transmit FIFO full */
#define LCRH_FEN (1u << 4)      /* FIFOs on */
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)        /* receive timeout: bytes wait below the level */
#define INT_ALL 0x7ff

static uintptr_t base;

#define RXBUF 256
static unsigned char rxbuf[RXBUF];
static atomic_uint rx_head, rx_tail;    /* head: written by the handler */
static atomic_flag rx_busy = ATOMIC_FLAG_INIT;

static uint32_t rd(uintptr_t reg)
{
	return *(volatile uint32_t *)(base + reg);
}

static void wr(uintptr_t reg, uint32_t v)
{
	*(volatile uint32_t *)(base + reg) = v;
}

void pl011_init(const struct dt_info *dt)
{
	base = (uintptr_t)dt->uart.base;
	wr(IMSC, 0);
	wr(ICR, INT_ALL);
	wr(LCRH, rd(LCRH) | LCRH_FEN);
	wr(CR, rd(CR) | CR_UARTEN | CR_TXE | CR_RXE);
	wr(IMSC, INT_RX | INT_RT);
}

void pl011_putc(int c)
{
	while (rd(FR) & FR_TXFF)
		;
	wr(DR, (uint32_t)c & 0xff);
}

/*
 * Receive interrupt: move everything waiting into the ring.  Clear the
 * interrupt first, then drain: a byte that lands after the last look at
 * FR raises it again.  (The other order can clear the interrupt of a byte
 * that arrived during the drain and leave it unseen in the FIFO.)
 */
void pl011_intr(void)
{
	wr(ICR, INT_RX | INT_RT);
	while ((rd(FR) & FR_RXFE) == 0) {
		unsigned char ch = (unsigned char)rd(DR);
		unsigned h = atomic_load_explicit(&rx_head, memory_order_relaxed);
		unsigned t = atomic_load_explicit(&rx_tail, memory_order_acquire);
		if (h - t < RXBUF) {    /* full: drop, like a FIFO overrun */
			rxbuf[h % RXBUF] = ch;
			atomic_store_explicit(&rx_head, h + 1, memory_order_release);
		}
	}
}

int pl011_getc(void)
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
