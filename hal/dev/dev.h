/*
 * dev.h - device drivers shared by the HALs (plain MMIO, no arch code).
 * Each is set up from the device tree by its arch's hal_init.
 */
#ifndef GOHART_DEV_H
#define GOHART_DEV_H

#include "dt.h"

/* ns16550.c: the console UART.  putc is polled; intr drains the RX FIFO. */
void ns16550_init(const struct dt_info *dt);
void ns16550_putc(int c);
void ns16550_intr(void);
int ns16550_getc(void);

/* pl011.c: the Arm PL011 console UART, the same interface. */
void pl011_init(const struct dt_info *dt);
void pl011_putc(int c);
void pl011_intr(void);
int pl011_getc(void);

/* sifive_test.c: QEMU's "sifive,test0" finisher; exits QEMU with status. */
void sifive_test_exit(uint64_t base, int status);

#endif
