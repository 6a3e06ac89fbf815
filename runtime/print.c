/*
 * print.c - the runtime's console output (see print.h).
 *
 * Each cpu has a line buffer.  Bytes are appended with interrupts masked
 * (an interrupt handler on the same cpu may print too); a newline or a full
 * buffer writes the line to the console under `console_lock`.
 *
 * console_lock is recursive per cpu (owner + depth), like Go's printlock:
 * a fatal error raised while this cpu is mid-print must still print.
 * Lock order: console_lock is a leaf; nothing is taken while holding it.
 */
#include "print.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>

#include "hal/hal.h"

#define LINEMAX 256

struct linebuf {
	char buf[LINEMAX];
	int n;
};

static struct linebuf lines[CONFIG_MAXCPU];

/* console_lock: owner cpu (-1 free) and depth, changed only by the owner. */
static atomic_int console_owner = -1;
static int console_depth;

void print_lock(void)
{
	int me = hal_cpu_id();
	if (atomic_load_explicit(&console_owner, memory_order_relaxed) == me) {
		console_depth++;
		return;
	}
	for (;;) {
		int free = -1;
		if (atomic_compare_exchange_weak_explicit(&console_owner, &free, me,
							  memory_order_acquire,
							  memory_order_relaxed))
			break;
		hal_cpu_relax();
	}
	console_depth = 1;
}

void print_unlock(void)
{
	if (--console_depth == 0)
		atomic_store_explicit(&console_owner, -1, memory_order_release);
}

static void flush_locked(struct linebuf *lb)
{
	if (lb->n == 0)
		return;
	print_lock();
	hal_console_write(lb->buf, (size_t)lb->n);
	print_unlock();
	lb->n = 0;
}

void print_write(const char *buf, size_t n)
{
	uintptr_t s = hal_irq_save();
	struct linebuf *lb = &lines[hal_cpu_id()];
	for (size_t i = 0; i < n; i++) {
		lb->buf[lb->n++] = buf[i];
		if (buf[i] == '\n' || lb->n == LINEMAX)
			flush_locked(lb);
	}
	hal_irq_restore(s);
}

void print_flush(void)
{
	uintptr_t s = hal_irq_save();
	flush_locked(&lines[hal_cpu_id()]);
	hal_irq_restore(s);
}

/* ---- Formatting ---- */

struct out {
	char *buf;              /* NULL: print_write */
	size_t cap, len;
	char tmp[64];
	int ntmp;
};

static void out_c(struct out *o, char c)
{
	if (o->buf) {
		if (o->len + 1 < o->cap)
			o->buf[o->len] = c;
		o->len++;
		return;
	}
	o->tmp[o->ntmp++] = c;
	if (o->ntmp == (int)sizeof o->tmp) {
		print_write(o->tmp, (size_t)o->ntmp);
		o->ntmp = 0;
	}
}

static void out_pad(struct out *o, const char *s, int len, int width, bool left,
		    char padc)
{
	int pad = width > len ? width - len : 0;
	if (!left && padc == '0' && len > 0 && (s[0] == '-')) {
		out_c(o, *s++);
		len--;
	}
	if (!left)
		while (pad-- > 0)
			out_c(o, padc);
	for (int i = 0; i < len; i++)
		out_c(o, s[i]);
	if (left)
		while (pad-- > 0)
			out_c(o, ' ');
}

static void vformat(struct out *o, const char *fmt, va_list ap)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			out_c(o, *p);
			continue;
		}
		p++;
		bool alt = false, left = false;
		char padc = ' ';
		for (;; p++) {
			if (*p == '#')
				alt = true;
			else if (*p == '-')
				left = true;
			else if (*p == '0')
				padc = '0';
			else
				break;
		}
		int width = 0;
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		int lng = 0;
		while (*p == 'l' || *p == 'z') {
			lng++;
			p++;
		}
		char num[32];
		int n = 0;
		unsigned long long u = 0;
		bool neg = false;
		unsigned base = 10;
		switch (*p) {
		case 'd':
		case 'i': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			neg = v < 0;
			u = neg ? 0ull - (unsigned long long)v : (unsigned long long)v;
			break;
		}
		case 'u':
			u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			break;
		case 'x':
		case 'X':
			base = 16;
			u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			break;
		case 'o':
			base = 8;
			u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			break;
		case 'p':
			base = 16;
			alt = true;
			u = (uintptr_t)va_arg(ap, void *);
			break;
		case 'c':
			num[0] = (char)va_arg(ap, int);
			out_pad(o, num, 1, width, left, ' ');
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			int len = 0;
			while (s[len])
				len++;
			out_pad(o, s, len, width, left, ' ');
			continue;
		}
		case '%':
			out_c(o, '%');
			continue;
		default:
			out_c(o, '%');
			if (*p == 0)
				return;
			out_c(o, *p);
			continue;
		}
		/* digits, reversed */
		const char *digits = *p == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
		char rev[24];
		int r = 0;
		do {
			rev[r++] = digits[u % base];
			u /= base;
		} while (u);
		if (neg)
			num[n++] = '-';
		if (alt && base == 16) {
			num[n++] = '0';
			num[n++] = 'x';
		}
		/* zero padding goes between the prefix and the digits */
		if (padc == '0' && !left)
			while (n + r < width && n + r < (int)sizeof num - 2)
				num[n++] = '0';
		while (r)
			num[n++] = rev[--r];
		out_pad(o, num, n, width, left, ' ');
	}
}

void print_vfmt(const char *fmt, va_list ap)
{
	struct out o = { 0 };
	vformat(&o, fmt, ap);
	if (o.ntmp)
		print_write(o.tmp, (size_t)o.ntmp);
}

void print_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	print_vfmt(fmt, ap);
	va_end(ap);
}

int vfmt_buf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .cap = n };
	vformat(&o, fmt, ap);
	if (n)
		buf[o.len < n ? o.len : n - 1] = 0;
	return (int)o.len;
}

int fmt_buf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfmt_buf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}
