/*
 * slice_test.c - runtime/slice.c: growth, copy, slicing and bounds
 * panics, against what the Go toolchain does.
 *
 * Growth: every line of tests/oracle/slicegrow.out (argv[1]) is a case.
 * "elem N:" appends one N-byte element at a time, for real, to 100,000
 * elements (10 for N = 0) and lists the capacities seen; "bulk" appends
 * k at a time to 20,000; "oneshot" appends n to make([]T, L).  Each must
 * print exactly Go's line.  Along the way every append is checked: len
 * one more, the array kept while there is room and a new one (holding
 * the old elements, the old array left as it was) when not, and the
 * last byte of the new capacity readable (ASan: the array is as big as
 * cap says).  At the end every element holds what was appended.
 *
 * Bounds: every line of tests/oracle/panics.out (argv[2]) that is about
 * slices is a case: the expression, done with slice_at / slice_slice /
 * slice_slice3 / slice_make on s := make([]int, 3, 5), must panic with
 * Go's text (the gohart_panic stub longjmps back, rt_stubs.h), and the
 * pure checks (slice_check2/3, bounds_error_string) must agree.  Then
 * all s[lo:hi] and s[lo:hi:max] for cap 0..5 and bounds -2..7 against a
 * reference written from the Go spec, and every message format with
 * extreme numbers and every buffer size.
 *
 * Semantics: copy with every overlap, append of a slice to itself (with
 * and without room), appends through a shorter slice overwriting the
 * longer one's elements and 3-index slices stopping that, empty slices
 * keeping the array pointer, noscan arrays staying noscan, zero-size
 * elements, and the panics' exit status 2 and first line in a child.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "gohart.h"
#include "rt_stubs.h"
#include "runtime/slice.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

extern uintptr_t zerobase;      /* slice.c: where empty arrays point */

static const char *growth_path, *panics_path;

/* ---- Oracle files: one string per line ---- */

#define MAX_LINES 128
struct oracle {
	char *text;
	char *line[MAX_LINES];
	int n;
};
static struct oracle growth_oracle, panics_oracle;

static void load_oracle(const char *path, struct oracle *o)
{
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (f == NULL)
		return;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	rewind(f);
	o->text = calloc(1, (size_t)size + 1);
	if (o->text == NULL || fread(o->text, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		return;
	}
	fclose(f);
	for (char *p = strtok(o->text, "\n"); p && o->n < MAX_LINES;
	     p = strtok(NULL, "\n"))
		o->line[o->n++] = p;
}

/* ---- Growth ---- */

/* The byte j of element i: different for every element and byte. */
static uint8_t pattern(intptr_t i, size_t j)
{
	return (uint8_t)(i * 131 + (i >> 8) * 17 + (intptr_t)j * 7 + 1);
}

static void fill_elem(uint8_t *p, size_t elemsize, intptr_t i)
{
	for (size_t j = 0; j < elemsize; j++)
		p[j] = pattern(i, j);
}

/* Does s hold elements 0 .. len-1 as fill_elem made them? */
static bool holds_pattern(slice_t s, size_t elemsize)
{
	const uint8_t *p = s.array;
	for (intptr_t i = 0; i < s.len; i++)
		for (size_t j = 0; j < elemsize; j++)
			if (p[(size_t)i * elemsize + j] != pattern(i, j)) {
				t_logf("element %ld byte %zu = %#x, want %#x",
				       (long)i, j, p[(size_t)i * elemsize + j],
				       pattern(i, j));
				return false;
			}
	return true;
}

/* The distinct capacities seen, as the Go program prints them. */
struct caps {
	char buf[1024];
	size_t len;
	intptr_t last;
};

static void caps_note(struct caps *c, intptr_t cap)
{
	if (c->len > 0 && cap == c->last)
		return;
	c->len += (size_t)snprintf(c->buf + c->len, sizeof c->buf - c->len,
				   "%s%ld", c->len ? " " : "", (long)cap);
	c->last = cap;
}

/*
 * s = append(s, elems[0:n]...), checked: the length, whether the array
 * moved, and that a new array holds the old elements and is as big as
 * its cap.  Returns false (after saying why) on the first problem.
 */
static bool checked_append(slice_t *s, size_t elemsize, const void *elems,
			   intptr_t n)
{
	slice_t old = *s;
	slice_t t = slice_append_(old, elemsize, elems, n);
	bool ok = EXPECTF(t.len == old.len + n, "len %ld after appending %ld "
			  "to len %ld", (long)t.len, (long)n, (long)old.len);
	if (old.len + n <= old.cap) {
		ok &= EXPECTF(t.array == old.array && t.cap == old.cap,
			      "append with room moved the array or changed cap");
	} else {
		ok &= EXPECTF(t.cap >= t.len, "cap %ld < len %ld", (long)t.cap,
			      (long)t.len);
		ok &= EXPECTF(elemsize == 0 || t.array != old.array,
			      "growth kept the array");
		ok &= EXPECTF(old.len == 0 || elemsize == 0 ||
			      memcmp(t.array, old.array,
				     (size_t)old.len * elemsize) == 0,
			      "growth lost elements");
		if (elemsize > 0 && t.cap > 0) {
			/* ASan: the whole capacity must be there. */
			volatile uint8_t *end = (uint8_t *)t.array +
						(size_t)t.cap * elemsize - 1;
			*end = *end;
		}
	}
	*s = t;
	return ok;
}

/* "elem N:": one at a time to limit; the caps line. */
static void grow_single(size_t elemsize, intptr_t limit, struct caps *c)
{
	slice_t s = { 0 };
	uint8_t elem[64];
	for (intptr_t i = 0; i < limit; i++) {
		fill_elem(elem, elemsize, i);
		if (!checked_append(&s, elemsize, elem, 1))
			return;
		caps_note(c, s.cap);
	}
	EXPECT(holds_pattern(s, elemsize));
}

/* "bulk elem N k K:": K at a time until len >= limit. */
static void grow_bulk(size_t elemsize, intptr_t k, intptr_t limit,
		      struct caps *c)
{
	slice_t s = { 0 };
	uint8_t *batch = malloc((size_t)k * elemsize);
	while (s.len < limit) {
		for (intptr_t i = 0; i < k; i++)
			fill_elem(batch + (size_t)i * elemsize, elemsize, s.len + i);
		if (!checked_append(&s, elemsize, batch, k))
			break;
		caps_note(c, s.cap);
	}
	free(batch);
	EXPECT(holds_pattern(s, elemsize));
}

/* "oneshot elem N len L add A:": cap of append(make([]T, L), A...). */
static intptr_t grow_oneshot(size_t elemsize, intptr_t len, intptr_t add)
{
	slice_t s = slice_make_(elemsize, len, len, false);
	for (intptr_t i = 0; i < len; i++)
		fill_elem((uint8_t *)s.array + (size_t)i * elemsize, elemsize, i);
	uint8_t *more = malloc((size_t)(add ? add : 1) * elemsize);
	for (intptr_t i = 0; i < add; i++)
		fill_elem(more + (size_t)i * elemsize, elemsize, len + i);
	checked_append(&s, elemsize, more, add);
	free(more);
	EXPECT(holds_pattern(s, elemsize));
	return s.cap;
}

/* One line of slicegrow.out: redo it, print it our way, compare. */
static void test_growth_line(const void *arg)
{
	const char *want = arg;
	struct caps c = { .last = -1 };
	char got[sizeof c.buf + 64];
	int e, k, l, a, cap;
	if (sscanf(want, "elem %d:", &e) == 1) {
		grow_single((size_t)e, e == 0 ? 10 : 100000, &c);
		snprintf(got, sizeof got, "elem %d: %s", e, c.buf);
	} else if (sscanf(want, "bulk elem %d k %d:", &e, &k) == 2) {
		grow_bulk((size_t)e, k, 20000, &c);
		snprintf(got, sizeof got, "bulk elem %d k %d: %s", e, k, c.buf);
	} else if (sscanf(want, "oneshot elem %d len %d add %d: cap %d", &e,
			  &l, &a, &cap) == 4) {
		snprintf(got, sizeof got, "oneshot elem %d len %d add %d: cap %ld",
			 e, l, a, (long)grow_oneshot((size_t)e, l, a));
	} else {
		EXPECTF(false, "slicegrow.out line not understood: %s", want);
		return;
	}
	EXPECT_STREQ(got, want);
}

/* The three kinds of line must all be there (the file is not cut short). */
static void test_growth_oracle_complete(void)
{
	int single = 0, bulk = 0, oneshot = 0;
	for (int i = 0; i < growth_oracle.n; i++) {
		const char *l = growth_oracle.line[i];
		single += strncmp(l, "elem ", 5) == 0;
		bulk += strncmp(l, "bulk ", 5) == 0;
		oneshot += strncmp(l, "oneshot ", 8) == 0;
	}
	if (!EXPECTF(growth_path != NULL, "usage: slice_test slicegrow.out "
		     "panics.out"))
		return;
	EXPECT_EQ(single, 8);   /* sizes 1 2 8 16 24 32 64, and 0 */
	EXPECT_EQ(bulk, 15);
	EXPECT_EQ(oneshot, 24);
}

/* ---- Bounds panics against panics.out ---- */

enum pop {
	P_INDEX, P_SLICE2, P_SLICE3, P_MAKE,    /* on s := make([]int, 3, 5) */
	P_STR_INDEX, P_STR_SLICE,               /* str := "abc": message only */
	P_MAP,                                  /* map_test's lines */
};

struct pcase {
	const char *label;      /* the Go expression, as panics.go names it */
	enum pop op;
	intptr_t a, b, c;
};

static const struct pcase pcases[] = {
	{ "s[5]", P_INDEX, 5, 0, 0 },
	{ "s[-1]", P_INDEX, -1, 0, 0 },
	{ "s[3]", P_INDEX, 3, 0, 0 },
	{ "s[:6]", P_SLICE2, 0, 6, 0 },
	{ "s[4:2]", P_SLICE2, 4, 2, 0 },
	{ "s[-1:]", P_SLICE2, -1, 3, 0 },       /* hi = len(s) */
	{ "s[:-1]", P_SLICE2, 0, -1, 0 },
	{ "s[1:2:6]", P_SLICE3, 1, 2, 6 },
	{ "s[1:4:3]", P_SLICE3, 1, 4, 3 },
	{ "s[3:2:4]", P_SLICE3, 3, 2, 4 },
	{ "s[0:0:-1]", P_SLICE3, 0, 0, -1 },
	{ "make([]int, -1)", P_MAKE, -1, -1, 0 }, /* make([]T, n): len = cap */
	{ "make([]int, 3, 2)", P_MAKE, 3, 2, 0 },
	{ "make([]int, 1<<62)", P_MAKE, (intptr_t)1 << 62, (intptr_t)1 << 62, 0 },
	{ "str[5]", P_STR_INDEX, 5, 0, 0 },
	{ "str[:5]", P_STR_SLICE, 5, 0, 0 },
	{ "m[1] = 2 (nil map)", P_MAP, 0, 0, 0 },
	{ "make map hint -1", P_MAP, 0, 0, 0 },
};

static void do_pcase(void *arg)
{
	const struct pcase *pc = arg;
	slice_t s = slice_make(int64_t, 3, 5);
	switch (pc->op) {
	case P_INDEX:
		slice_at(int64_t, s, pc->a) = 1;
		break;
	case P_SLICE2:
		slice_slice(int64_t, s, pc->a, pc->b);
		break;
	case P_SLICE3:
		slice_slice3(int64_t, s, pc->a, pc->b, pc->c);
		break;
	case P_MAKE:
		slice_make(int64_t, pc->a, pc->b);
		break;
	default:
		break;
	}
}

/* The message the pure checks give for pc (strings have length 3). */
static void pure_message(const struct pcase *pc, char *buf, size_t n)
{
	struct bounds_error e = { BOUNDS_OK, 0, 0 };
	switch (pc->op) {
	case P_INDEX:
	case P_STR_INDEX:
		e = (struct bounds_error){ BOUNDS_INDEX, pc->a, 3 };
		break;
	case P_STR_SLICE:
		e = (struct bounds_error){ BOUNDS_SLICE_ALEN, pc->a, 3 };
		break;
	case P_SLICE2:
		e = slice_check2(5, pc->a, pc->b);
		break;
	case P_SLICE3:
		e = slice_check3(5, pc->a, pc->b, pc->c);
		break;
	default:
		buf[0] = '\0';
		return;
	}
	if (!EXPECTF(e.code != BOUNDS_OK, "%s: check passed", pc->label))
		return;
	bounds_error_string(buf, n, e);
}

static void test_panic_line(const void *arg)
{
	const char *line = arg;
	const char *colon = strstr(line, ": ");
	if (!EXPECTF(colon != NULL, "panics.out line without ': ': %s", line))
		return;
	size_t llen = (size_t)(colon - line);
	const char *want = colon + 2;
	const struct pcase *pc = NULL;
	for (int i = 0; i < N(pcases); i++)
		if (strlen(pcases[i].label) == llen &&
		    strncmp(pcases[i].label, line, llen) == 0)
			pc = &pcases[i];
	if (!EXPECTF(pc != NULL, "no case for panics.out line: %s", line))
		return;
	if (pc->op == P_MAP)
		return;         /* map_test checks these */
	char msg[256];
	if (pc->op != P_STR_INDEX && pc->op != P_STR_SLICE) {
		enum stub_end end = stub_catch(do_pcase, (void *)pc, msg, sizeof msg);
		EXPECTF(end == STUB_PANICKED, "%s: did not panic", pc->label);
		EXPECT_STREQ(msg, want);
	}
	if (pc->op != P_MAKE) {
		pure_message(pc, msg, sizeof msg);
		EXPECT_STREQ(msg, want);
	}
}

/* ---- Bounds: every small case against the Go spec ---- */

static struct bounds_error be(enum bounds_code c, intptr_t x, intptr_t y)
{
	return (struct bounds_error){ c, x, y };
}

/* The spec: 0 <= lo <= hi <= cap, reported outermost bound first. */
static struct bounds_error ref_check2(intptr_t cap, intptr_t lo, intptr_t hi)
{
	if (hi < 0 || hi > cap)
		return be(BOUNDS_SLICE_ACAP, hi, cap);
	if (lo < 0 || lo > hi)
		return be(BOUNDS_SLICE_B, lo, hi);
	return be(BOUNDS_OK, 0, 0);
}

static struct bounds_error ref_check3(intptr_t cap, intptr_t lo, intptr_t hi,
				      intptr_t max)
{
	if (max < 0 || max > cap)
		return be(BOUNDS_SLICE3_ACAP, max, cap);
	if (hi < 0 || hi > max)
		return be(BOUNDS_SLICE3_B, hi, max);
	if (lo < 0 || lo > hi)
		return be(BOUNDS_SLICE3_C, lo, hi);
	return be(BOUNDS_OK, 0, 0);
}

static bool same_error(struct bounds_error a, struct bounds_error b)
{
	return a.code == b.code && (a.code == BOUNDS_OK ||
				    (a.x == b.x && a.y == b.y));
}

struct slice_args {
	slice_t s;
	intptr_t lo, hi, max;
	bool three;
	slice_t out;
};

static void do_slice(void *arg)
{
	struct slice_args *a = arg;
	a->out = a->three ? slice_slice3(int32_t, a->s, a->lo, a->hi, a->max)
			  : slice_slice(int32_t, a->s, a->lo, a->hi);
}

/* Slice s (cap c) by a, check against want (the reference's verdict). */
static void check_slicing(struct slice_args *a, struct bounds_error want)
{
	char msg[256], wantmsg[256];
	enum stub_end end = stub_catch(do_slice, a, msg, sizeof msg);
	const char *what = a->three ? "s[lo:hi:max]" : "s[lo:hi]";
	if (want.code != BOUNDS_OK) {
		bounds_error_string(wantmsg, sizeof wantmsg, want);
		EXPECTF(end == STUB_PANICKED && strcmp(msg, wantmsg) == 0,
			"%s cap %ld [%ld:%ld:%ld]: %s, want panic %s", what,
			(long)a->s.cap, (long)a->lo, (long)a->hi, (long)a->max,
			end == STUB_PANICKED ? msg : "no panic", wantmsg);
		return;
	}
	intptr_t max = a->three ? a->max : a->s.cap;
	int32_t *want_array = max - a->lo > 0 ? (int32_t *)a->s.array + a->lo
					       : a->s.array;
	EXPECTF(end == STUB_RETURNED && a->out.len == a->hi - a->lo &&
		a->out.cap == max - a->lo && a->out.array == want_array,
		"%s cap %ld [%ld:%ld:%ld] = {%p, %ld, %ld}, want {%p, %ld, %ld}"
		" (%s)", what, (long)a->s.cap, (long)a->lo, (long)a->hi,
		(long)a->max, a->out.array, (long)a->out.len, (long)a->out.cap,
		(void *)want_array, (long)(a->hi - a->lo), (long)(max - a->lo),
		end == STUB_RETURNED ? "returned" : msg);
}

static void test_slicing_exhaustive(void)
{
	for (intptr_t cap = 0; cap <= 5; cap++) {
		slice_t s = slice_make(int32_t, cap > 2 ? 2 : cap, cap);
		for (intptr_t lo = -2; lo <= 7; lo++)
			for (intptr_t hi = -2; hi <= 7; hi++) {
				struct bounds_error w = ref_check2(cap, lo, hi);
				EXPECTF(same_error(slice_check2(cap, lo, hi), w),
					"slice_check2(%ld, %ld, %ld)", (long)cap,
					(long)lo, (long)hi);
				struct slice_args a = { s, lo, hi, 0, false, { 0 } };
				check_slicing(&a, w);
				for (intptr_t max = -2; max <= 7; max++) {
					w = ref_check3(cap, lo, hi, max);
					EXPECTF(same_error(slice_check3(cap, lo, hi,
									max), w),
						"slice_check3(%ld, %ld, %ld, %ld)",
						(long)cap, (long)lo, (long)hi,
						(long)max);
					a = (struct slice_args){ s, lo, hi, max,
								 true, { 0 } };
					check_slicing(&a, w);
				}
			}
	}
	/* Bounds far out: no overflow on the way to the message. */
	slice_t s = slice_make(int32_t, 3, 5);
	struct slice_args a = { s, INTPTR_MIN, INTPTR_MAX, INTPTR_MAX, true, { 0 } };
	check_slicing(&a, be(BOUNDS_SLICE3_ACAP, INTPTR_MAX, 5));
	a = (struct slice_args){ s, INTPTR_MIN, 2, 0, false, { 0 } };
	check_slicing(&a, be(BOUNDS_SLICE_B, INTPTR_MIN, 2));
}

/* Go's formats (runtime/error.go boundsErrorFmt), written out again. */
static void ref_message(char *buf, size_t n, struct bounds_error e)
{
	long long x = e.x, y = e.y;
	bool neg = x < 0;
	int o = snprintf(buf, n, "runtime error: ");
	buf += o;
	n -= (size_t)o;
	switch (e.code) {
	case BOUNDS_INDEX:
		if (neg)
			snprintf(buf, n, "index out of range [%lld]", x);
		else
			snprintf(buf, n, "index out of range [%lld] with length %lld",
				 x, y);
		break;
	case BOUNDS_SLICE_ALEN:
	case BOUNDS_SLICE_ACAP:
		if (neg)
			snprintf(buf, n, "slice bounds out of range [:%lld]", x);
		else
			snprintf(buf, n, "slice bounds out of range [:%lld] with %s %lld",
				 x, e.code == BOUNDS_SLICE_ALEN ? "length" : "capacity", y);
		break;
	case BOUNDS_SLICE_B:
		if (neg)
			snprintf(buf, n, "slice bounds out of range [%lld:]", x);
		else
			snprintf(buf, n, "slice bounds out of range [%lld:%lld]", x, y);
		break;
	case BOUNDS_SLICE3_ALEN:
	case BOUNDS_SLICE3_ACAP:
		if (neg)
			snprintf(buf, n, "slice bounds out of range [::%lld]", x);
		else
			snprintf(buf, n, "slice bounds out of range [::%lld] with %s %lld",
				 x, e.code == BOUNDS_SLICE3_ALEN ? "length" : "capacity", y);
		break;
	case BOUNDS_SLICE3_B:
		if (neg)
			snprintf(buf, n, "slice bounds out of range [:%lld:]", x);
		else
			snprintf(buf, n, "slice bounds out of range [:%lld:%lld]", x, y);
		break;
	case BOUNDS_SLICE3_C:
		if (neg)
			snprintf(buf, n, "slice bounds out of range [%lld::]", x);
		else
			snprintf(buf, n, "slice bounds out of range [%lld:%lld:]", x, y);
		break;
	default:
		snprintf(buf, n, "?");
	}
}

/* Every code, extreme numbers, and every buffer size (truncation). */
static void test_bounds_messages(void)
{
	static const int64_t v[] = { 0, 1, -1, 5, 1000000007, INT64_MAX, INT64_MIN };
	for (int code = BOUNDS_INDEX; code <= BOUNDS_SLICE3_C; code++)
		for (int i = 0; i < N(v); i++)
			for (int j = 0; j < N(v); j++) {
				struct bounds_error e = { code, v[i], v[j] };
				char want[160], got[160];
				ref_message(want, sizeof want, e);
				bounds_error_string(got, sizeof got, e);
				EXPECT_STREQ(got, want);
				/* Cut short, it must be want's prefix, ended. */
				size_t wl = strlen(want);
				for (size_t n = 1; n <= wl + 1; n++) {
					char *small = malloc(n);
					bounds_error_string(small, n, e);
					EXPECTF(strlen(small) == (n - 1 < wl ? n - 1 : wl) &&
						strncmp(small, want, n - 1) == 0,
						"bounds_error_string(n=%zu) = \"%s\"",
						n, small);
					free(small);
				}
			}
}

/* ---- copy, append, 3-index slices ---- */

/* Reference copy: memmove of min(len) on a plain array. */
static void test_copy_overlap(void)
{
	enum { CAP = 48 };
	uint64_t r = 12345;
	for (int trial = 0; trial < 20000; trial++) {
		slice_t base = slice_make_noscan(int32_t, CAP, CAP);
		slice_t other = slice_make_noscan(int32_t, CAP, CAP);
		int32_t ref[CAP], ref_other[CAP];
		for (int i = 0; i < CAP; i++) {
			slice_at(int32_t, base, i) = ref[i] = i + 1;
			slice_at(int32_t, other, i) = ref_other[i] = -i - 1;
		}
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		int dlo = (int)((r >> 10) % CAP);
		int dhi = dlo + (int)((r >> 20) % (uint64_t)(CAP - dlo + 1));
		int slo = (int)((r >> 30) % CAP);
		int shi = slo + (int)((r >> 40) % (uint64_t)(CAP - slo + 1));
		bool same = (r >> 60) != 0;     /* mostly within one array */
		slice_t dst = slice_slice(int32_t, base, dlo, dhi);
		slice_t src = slice_slice(int32_t, same ? base : other, slo, shi);
		intptr_t n = slice_copy(int32_t, dst, src);
		int want = dhi - dlo < shi - slo ? dhi - dlo : shi - slo;
		memmove(ref + dlo, (same ? ref : ref_other) + slo,
			(size_t)want * sizeof(int32_t));
		EXPECT_EQ(n, want);
		if (!EXPECTF(memcmp(base.array, ref, sizeof ref) == 0,
			     "copy(s[%d:%d], %s[%d:%d]) wrong", dlo, dhi,
			     same ? "s" : "t", slo, shi))
			return;
	}
	/* nil and empty slices, zero-size elements */
	slice_t nil = { 0 }, s = slice_make(int64_t, 4, 4);
	EXPECT_EQ(slice_copy(int64_t, nil, s), 0);
	EXPECT_EQ(slice_copy(int64_t, s, nil), 0);
	EXPECT_EQ(slice_copy(int64_t, slice_slice(int64_t, s, 2, 2), s), 0);
	struct empty { char none[0]; };
	slice_t e1 = slice_make(struct empty, 7, 7), e2 = slice_make(struct empty, 5, 9);
	EXPECT_EQ(slice_copy(struct empty, e1, e2), 5);
}

static bool equals(slice_t s, const int64_t *want, intptr_t n)
{
	if (!EXPECTF(s.len == n, "len %ld, want %ld", (long)s.len, (long)n))
		return false;
	for (intptr_t i = 0; i < n; i++)
		if (!EXPECTF(slice_at(int64_t, s, i) == want[i],
			     "s[%ld] = %ld, want %ld", (long)i,
			     (long)slice_at(int64_t, s, i), (long)want[i]))
			return false;
	return true;
}

static slice_t ints(intptr_t len, intptr_t cap)
{
	slice_t s = slice_make(int64_t, len, cap);
	for (intptr_t i = 0; i < len; i++)
		slice_at(int64_t, s, i) = 10 * (i + 1);
	return s;
}

static void test_append_self(void)
{
	/* s = append(s, s...) without room: from the old array. */
	slice_t s = ints(5, 5);
	s = slice_append_slice(int64_t, s, s);
	equals(s, (int64_t[]){ 10, 20, 30, 40, 50, 10, 20, 30, 40, 50 }, 10);
	/* ... and with room: in place. */
	s = ints(3, 8);
	void *array = s.array;
	s = slice_append_slice(int64_t, s, s);
	EXPECT(s.array == array);
	equals(s, (int64_t[]){ 10, 20, 30, 10, 20, 30 }, 6);
	/* t := s[:2]; t = append(t, s[1:4]...): overlapping, in place. */
	s = ints(6, 6);
	slice_t t = slice_slice(int64_t, s, 0, 2);
	t = slice_append_slice(int64_t, t, slice_slice(int64_t, s, 1, 4));
	equals(t, (int64_t[]){ 10, 20, 20, 30, 40 }, 5);
	equals(s, (int64_t[]){ 10, 20, 20, 30, 40, 60 }, 6);  /* shared */
	/* t = append(s[:1], s[2:]...): Go's delete-one idiom. */
	s = ints(6, 6);
	t = slice_append_slice(int64_t, slice_slice(int64_t, s, 0, 1),
			       slice_slice(int64_t, s, 2, 6));
	equals(t, (int64_t[]){ 10, 30, 40, 50, 60 }, 5);
	EXPECT(t.array == s.array);
	/* Appending a slice to itself again and again. */
	s = ints(1, 1);
	for (int i = 0; i < 16; i++)
		s = slice_append_slice(int64_t, s, s);
	EXPECT_EQ(s.len, 1 << 16);
	EXPECT_EQ(slice_at(int64_t, s, 65535), 10);
}

static void test_append_aliasing(void)
{
	slice_t s = ints(5, 10);
	/* t := s[1:3]; append(t, 99) writes s[3]: they share the array. */
	slice_t t = slice_slice(int64_t, s, 1, 3);
	EXPECT_EQ(t.cap, 9);
	t = slice_append(int64_t, t, 99);
	EXPECT_EQ(slice_at(int64_t, s, 3), 99);
	EXPECT(t.array == (int64_t *)s.array + 1);
	/* u := s[1:3:3]; append(u, 77) must copy: s keeps its element. */
	slice_t u = slice_slice3(int64_t, s, 1, 3, 3);
	EXPECT_EQ(u.len, 2);
	EXPECT_EQ(u.cap, 2);
	u = slice_append(int64_t, u, 77);
	EXPECT_EQ(slice_at(int64_t, s, 3), 99);
	EXPECT(u.array != s.array && u.array != (int64_t *)s.array + 1);
	equals(u, (int64_t[]){ 20, 30, 77 }, 3);
	/* v := s[2:4:6]: len 2 cap 4; two appends fit, the third moves. */
	slice_t v = slice_slice3(int64_t, s, 2, 4, 6);
	EXPECT(v.array == (int64_t *)s.array + 2);
	EXPECT_EQ(v.cap, 4);
	v = slice_append(int64_t, v, 1);
	v = slice_append(int64_t, v, 2);
	EXPECT(v.array == (int64_t *)s.array + 2);
	EXPECT_EQ(slice_at(int64_t, slice_slice(int64_t, s, 0, 10), 5), 2);
	v = slice_append(int64_t, v, 3);
	EXPECT(v.array != (int64_t *)s.array + 2);
	EXPECT_EQ(slice_at(int64_t, slice_slice(int64_t, s, 0, 10), 6), 0);
	equals(v, (int64_t[]){ 30, 99, 1, 2, 3 }, 5);
	/* Reslicing up to cap sees what appends wrote. */
	equals(slice_slice(int64_t, s, 4, 6), (int64_t[]){ 1, 2 }, 2);
}

static void test_empty_keeps_pointer(void)
{
	slice_t s = ints(4, 8);
	/* An empty capacity keeps the array: no pointer past the end. */
	EXPECT(slice_slice(int64_t, s, 8, 8).array == s.array);
	EXPECT(slice_slice3(int64_t, s, 3, 3, 3).array == s.array);
	EXPECT(slice_slice3(int64_t, s, 0, 0, 0).array == s.array);
	/* A non-empty one points at lo, even with len 0. */
	EXPECT(slice_slice(int64_t, s, 4, 4).array == (int64_t *)s.array + 4);
	EXPECT(slice_slice3(int64_t, s, 3, 3, 4).array == (int64_t *)s.array + 3);
	/* make of nothing points at zerobase, never NULL. */
	EXPECT(slice_make(int64_t, 0, 0).array == &zerobase);
	slice_t z = slice_make(struct { char c[0]; }, 1000, (intptr_t)1 << 62);
	EXPECT(z.array == &zerobase);
	EXPECT_EQ(z.cap, (intptr_t)1 << 62);
	/* The nil slice appends fine. */
	slice_t nil = { 0 };
	nil = slice_append(int64_t, nil, 5);
	equals(nil, (int64_t[]){ 5 }, 1);
}

static void test_noscan_kept(void)
{
	slice_t s = slice_make_noscan(int64_t, 0, 2);
	EXPECT(gc_is_noscan(s.array));
	for (int i = 0; i < 1000; i++)
		s = slice_append(int64_t, s, i);
	EXPECT(gc_is_noscan(s.array));
	/* From a slice into the middle of a noscan array. */
	slice_t t = slice_slice(int64_t, s, 500, s.cap);
	t = slice_append(int64_t, t, -1);
	EXPECT(t.array != (int64_t *)s.array + 500);
	EXPECT(gc_is_noscan(t.array));
	EXPECT_EQ(slice_at(int64_t, t, 0), 500);
	/* Scanned stays scanned; a nil slice's array may hold pointers. */
	slice_t p = slice_make(void *, 0, 2);
	EXPECT(!gc_is_noscan(p.array));
	for (int i = 0; i < 100; i++)
		p = slice_append(void *, p, &p);
	EXPECT(!gc_is_noscan(p.array));
	slice_t nil = { 0 };
	nil = slice_append(int64_t, nil, 1);
	EXPECT(!gc_is_noscan(nil.array));
	/* An empty noscan slice has no array to ask, and stays noscan. */
	slice_t e = slice_make_noscan(int64_t, 0, 0);
	e = slice_append(int64_t, e, 1);
	EXPECT(gc_is_noscan(e.array));
	e = slice_make(int64_t, 0, 0);
	e = slice_append(int64_t, e, 1);
	EXPECT(!gc_is_noscan(e.array));
}

/* ---- Panics ---- */

struct grow_args {
	slice_t s;
	intptr_t n;     /* elements to append (may be < 0 or huge) */
	intptr_t cap;   /* for growslice itself, when n == 0 */
};

static void do_append_n(void *arg)
{
	struct grow_args *a = arg;
	int64_t one = 1;
	if (a->n != 0)
		slice_append_n(int64_t, a->s, &one, a->n);
	else
		growslice(sizeof(int64_t), a->s, a->cap);
}

static void expect_panic(void (*fn)(void *), void *arg, const char *want,
			 int line)
{
	char msg[256];
	enum stub_end end = stub_catch(fn, arg, msg, sizeof msg);
	t_expect(end == STUB_PANICKED && strcmp(msg, want) == 0, __FILE__, line,
		 "%s, want panic \"%s\"", end == STUB_PANICKED ? msg : "no panic",
		 want);
}
#define EXPECT_PANIC(fn, arg, want) expect_panic(fn, arg, want, __LINE__)

static void test_growslice_panics(void)
{
	const char *capmsg = "runtime error: growslice: cap out of range";
	slice_t s = ints(3, 5);
	/* A negative count would shrink: growslice refuses. */
	struct grow_args a = { s, -1, 0 };
	EXPECT_PANIC(do_append_n, &a, capmsg);
	a = (struct grow_args){ { 0 }, -1, 0 };
	EXPECT_PANIC(do_append_n, &a, capmsg);
	/* More than the machine can hold. */
	a = (struct grow_args){ s, (intptr_t)1 << 60, 0 };
	EXPECT_PANIC(do_append_n, &a, capmsg);
	a = (struct grow_args){ s, INTPTR_MAX, 0 };
	EXPECT_PANIC(do_append_n, &a, capmsg);
	/* growslice asked to shrink. */
	a = (struct grow_args){ s, 0, 4 };
	EXPECT_PANIC(do_append_n, &a, capmsg);
	a = (struct grow_args){ s, 0, (intptr_t)1 << 46 };
	EXPECT_PANIC(do_append_n, &a, capmsg);
	/* Just enough is fine (2^45 elements would be 256 TiB: not tried). */
	a = (struct grow_args){ s, 0, 6 };
	char msg[64];
	EXPECT_EQ(stub_catch(do_append_n, &a, msg, sizeof msg), STUB_RETURNED);
}

/* Run fn in a child with no catcher: exit status and stderr's first line. */
static void expect_death(void (*fn)(void), int want_status,
			 const char *want_line)
{
	int fd[2];
	if (!EXPECT(pipe(fd) == 0))
		return;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		fn();
		_exit(0);
	}
	close(fd[1]);
	char buf[512];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof buf - 1 && (r = read(fd[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(fd[0]);
	int st;
	waitpid(pid, &st, 0);
	EXPECTF(WIFEXITED(st) && WEXITSTATUS(st) == want_status,
		"status %#x, want exit %d", st, want_status);
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	EXPECT_STREQ(buf, want_line);
}

static void die_index(void)
{
	slice_t s = ints(3, 5);
	slice_at(int64_t, s, 5) = 0;
}

static void die_slice3(void)
{
	slice_t s = ints(3, 5);
	slice_slice3(int64_t, s, 3, 2, 4);
}

static void die_make(void)
{
	slice_make(int64_t, 3, 2);
}

static void test_panic_exits(void)
{
	expect_death(die_index, 2, "panic: runtime error: index out of range "
		     "[5] with length 3");
	expect_death(die_slice3, 2, "panic: runtime error: slice bounds out "
		     "of range [3:2:]");
	expect_death(die_make, 2, "panic: runtime error: makeslice: cap out "
		     "of range");
}

int main(int argc, char **argv)
{
	t_init(&argc, argv);
	growth_path = argc > 1 ? argv[1] : NULL;
	panics_path = argc > 2 ? argv[2] : NULL;
	load_oracle(growth_path, &growth_oracle);
	load_oracle(panics_path, &panics_oracle);

	t_run("growth/oracle_complete", test_growth_oracle_complete);
	for (int i = 0; i < growth_oracle.n; i++) {
		char name[96];
		const char *l = growth_oracle.line[i];
		snprintf(name, sizeof name, "growth/%.*s", (int)strcspn(l, ":"), l);
		for (char *p = name; *p; p++)
			if (*p == ' ')
				*p = '_';
		t_run_arg(name, test_growth_line, l);
	}
	for (int i = 0; i < panics_oracle.n; i++) {
		char name[96];
		const char *l = panics_oracle.line[i];
		const char *c = strstr(l, ": ");
		snprintf(name, sizeof name, "bounds/%.*s",
			 c ? (int)(c - l) : (int)strlen(l), l);
		t_run_arg(name, test_panic_line, l);
	}
	t_run("bounds/exhaustive", test_slicing_exhaustive);
	t_run("bounds/messages", test_bounds_messages);
	t_run("copy/overlap", test_copy_overlap);
	t_run("append/self", test_append_self);
	t_run("append/aliasing_3index", test_append_aliasing);
	t_run("slice/empty_keeps_pointer", test_empty_keeps_pointer);
	t_run("slice/noscan_kept", test_noscan_kept);
	t_run("panic/growslice", test_growslice_panics);
	t_run("panic/exit_status", test_panic_exits);
	int st = t_finish("slice_test");
	free(growth_oracle.text);
	free(panics_oracle.text);
	return st;
}
