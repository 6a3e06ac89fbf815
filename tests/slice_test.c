/*
 * slice_test.c - slices: growth as the Go toolchain grows them, bounds
 * checks with Go's messages, sharing and copying.
 *
 * The growth sequences are the C twin of tests/oracle/slicegrow.go: the
 * output must be byte for byte what `go run` prints.  Appends are real
 * (slice_append_n) until the array would pass GROW_REAL_BYTES; past that
 * the sequence goes on through growslice_cap, the function growslice
 * itself uses, so that the test does not pin tens of megabytes of arrays
 * in a heap that nothing frees yet.  The host test (tests/host) appends
 * for real all the way.
 */
#include <stdio.h>
#include <string.h>

#include "gohart.h"
#include "golden.h"
#include "runtime/slice.h"
#include "testing.h"

GOLDEN(slicegrow);
GOLDEN(panics);

#define GROW_REAL_BYTES (64 * 1024)

/* Prints each distinct cap, as slicegrow.go's caps.note does. */
struct caps {
	intptr_t last;
	bool any;
};

static void caps_note(struct caps *c, intptr_t cap)
{
	if (!c->any || cap != c->last)
		golden_printf(c->any ? " %ld" : "%ld", (long)cap);
	c->any = true;
	c->last = cap;
}

/*
 * Append k zero elements of size es at a time until len >= limit,
 * noting caps.  Real appends while the array is small, then the pure
 * capacity function (see the opening comment).
 */
static void grow_sequence(size_t es, intptr_t k, intptr_t limit)
{
	static char zeros[1000 * 64];
	struct caps c = { 0, false };
	slice_t s = { 0 };
	while (s.len < limit && (uintptr_t)s.cap * es <= GROW_REAL_BYTES) {
		s = slice_append_((s), es, zeros, k);
		caps_note(&c, s.cap);
	}
	intptr_t len = s.len, cap = s.cap;
	while (len < limit) {
		if (len + k > cap) {
			uintptr_t mem;
			cap = growslice_cap(es, cap, len + k, &mem);
		}
		len += k;
		caps_note(&c, cap);
	}
	golden_printf("\n");
}

static intptr_t oneshot(size_t es, intptr_t l, intptr_t n)
{
	static char zeros[5000 * 24];
	slice_t s = slice_make_(es, l, l, true);
	s = slice_append_(s, es, zeros, n);
	return s.cap;
}

TEST(slice_growth_matches_go)
{
	static const size_t all[] = { 1, 2, 8, 16, 24, 32, 64 };
	static const size_t some[] = { 1, 8, 24 };
	static const intptr_t ks[] = { 3, 5, 17, 100, 1000 };
	static const intptr_t cases[][2] = { { 0, 5 }, { 1, 3 }, { 4, 9 },
		{ 10, 100 }, { 300, 301 }, { 300, 1000 }, { 1000, 5000 },
		{ 5, 0 } };
	t_needmem(t, 128);      /* about 4 MiB of arrays: see testing.h */
	golden_reset();
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		golden_printf("elem %lu: ", (unsigned long)all[i]);
		grow_sequence(all[i], 1, 100000);
	}
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
			golden_printf("bulk elem %lu k %ld: ", (unsigned long)some[i], (long)ks[j]);
			grow_sequence(some[i], ks[j], 20000);
		}
	}
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++)
			golden_printf("oneshot elem %lu len %ld add %ld: cap %ld\n",
				      (unsigned long)some[i], (long)cases[j][0], (long)cases[j][1],
				      (long)oneshot(some[i], cases[j][0], cases[j][1]));
	}
	/* struct{}: zero-size elements */
	golden_printf("elem 0: ");
	struct caps c = { 0, false };
	slice_t s = { 0 };
	while (s.len < 10) {
		s = slice_append_(s, 0, NULL, 1);
		caps_note(&c, s.cap);
	}
	golden_printf("\n");
	golden_check(t, golden_slicegrow, golden_slicegrow_end);
}

/*
 * The bounds lines of panics.go: each case's label and the check it
 * makes, on s := make([]int, 3, 5).  Every golden line whose label is
 * here must match what our check says, word for word.
 */
struct bounds_case {
	const char *label;
	int kind;       /* 1: s[i], 2: s[lo:hi], 3: s[lo:hi:max] */
	intptr_t a, b, c;
};

static const struct bounds_case bounds_cases[] = {
	{ "s[5]", 1, 5, 0, 0 },         { "s[-1]", 1, -1, 0, 0 },
	{ "s[3]", 1, 3, 0, 0 },         { "s[:6]", 2, 0, 6, 0 },
	{ "s[4:2]", 2, 4, 2, 0 },       { "s[-1:]", 2, -1, 3, 0 },
	{ "s[:-1]", 2, 0, -1, 0 },      { "s[1:2:6]", 3, 1, 2, 6 },
	{ "s[1:4:3]", 3, 1, 4, 3 },     { "s[3:2:4]", 3, 3, 2, 4 },
	{ "s[0:0:-1]", 3, 0, 0, -1 },
};

static struct bounds_error check_case(const struct bounds_case *bc)
{
	const intptr_t len = 3, cap = 5;
	switch (bc->kind) {
	case 1:
		if ((uintptr_t)bc->a >= (uintptr_t)len)
			return (struct bounds_error){ BOUNDS_INDEX, bc->a, len };
		return (struct bounds_error){ BOUNDS_OK, 0, 0 };
	case 2:
		return slice_check2(cap, bc->a, bc->b);
	default:
		return slice_check3(cap, bc->a, bc->b, bc->c);
	}
}

TEST(slice_bounds_messages_match_go)
{
	size_t n = sizeof bounds_cases / sizeof bounds_cases[0], seen = 0;
	const char *line = golden_panics;
	while (line < golden_panics_end) {
		const char *end = memchr(line, '\n', (size_t)(golden_panics_end - line));
		if (end == NULL)
			end = golden_panics_end;
		for (size_t i = 0; i < n; i++) {
			const struct bounds_case *bc = &bounds_cases[i];
			size_t ll = strlen(bc->label);
			if ((size_t)(end - line) < ll + 2 || memcmp(line, bc->label, ll) != 0 ||
			    line[ll] != ':')
				continue;
			char got[160], msg[128];
			struct bounds_error e = check_case(bc);
			REQUIRE(t, e.code != BOUNDS_OK);
			bounds_error_string(msg, sizeof msg, e);
			snprintf(got, sizeof got, "%s: %s", bc->label, msg);
			if (strlen(got) != (size_t)(end - line) ||
			    memcmp(got, line, (size_t)(end - line)) != 0)
				t_errorf(t, "got \"%s\", Go says \"%.*s\"", got,
					 (int)(end - line), line);
			seen++;
		}
		line = end + 1;
	}
	EXPECT_EQ(t, seen, n);
}

/* ---- Semantics ---- */

TEST(slice_append_shares_array_until_full)
{
	slice_t a = slice_make(int, 2, 4);
	slice_t b = slice_append(int, a, 7);      /* room: same array */
	slice_t c = slice_append(int, a, 8);      /* overwrites b's slot 2 */
	EXPECT(t, a.array == b.array && b.array == c.array);
	EXPECT_EQ(t, slice_at(int, b, 2), 8);
	slice_t d = slice_append(int, slice_append(int, c, 9), 10); /* grows */
	EXPECT(t, d.array != c.array);
	EXPECT_EQ(t, d.len, 5);
	EXPECT_EQ(t, d.cap, 8);
	slice_at(int, d, 0) = 99;
	EXPECT_EQ(t, slice_at(int, c, 0), 0);     /* c still sees the old array */
}

TEST(slice_three_index_limits_capacity)
{
	slice_t s = slice_make(int64_t, 5, 5);
	for (int i = 0; i < 5; i++)
		slice_at(int64_t, s, i) = i;
	slice_t t2 = slice_slice3(int64_t, s, 1, 3, 3);
	EXPECT_EQ(t, t2.len, 2);
	EXPECT_EQ(t, t2.cap, 2);
	EXPECT_EQ(t, slice_at(int64_t, t2, 0), 1);
	slice_t u = slice_append(int64_t, t2, 100);  /* must not clobber s[3] */
	EXPECT_EQ(t, slice_at(int64_t, s, 3), 3);
	EXPECT_EQ(t, slice_at(int64_t, u, 2), 100);
	slice_t v = slice_slice(int64_t, s, 2, 4);   /* cap runs to s's end */
	EXPECT_EQ(t, v.cap, 3);
	slice_t e = slice_slice(int64_t, s, 5, 5);   /* empty: keeps array */
	EXPECT(t, e.array == s.array);
	EXPECT_EQ(t, e.len, 0);
	EXPECT_EQ(t, e.cap, 0);
}

TEST(slice_copy_overlapping_and_short)
{
	slice_t s = slice_make(char, 6, 6);
	memcpy(s.array, "abcdef", 6);
	EXPECT_EQ(t, slice_copy(char, slice_slice(char, s, 1, 6), s), 5);
	EXPECT(t, memcmp(s.array, "aabcde", 6) == 0);
	slice_t two = slice_make(char, 2, 2);
	EXPECT_EQ(t, slice_copy(char, two, s), 2);
	EXPECT(t, memcmp(two.array, "aa", 2) == 0);
	slice_t nil = { 0 };
	EXPECT_EQ(t, slice_copy(char, nil, s), 0);
}

TEST(slice_append_to_itself)
{
	slice_t s = { 0 };
	for (int i = 0; i < 3; i++)
		s = slice_append(int, s, i);
	for (int r = 0; r < 4; r++)
		s = slice_append_slice(int, s, s);        /* s = append(s, s...) */
	EXPECT_EQ(t, s.len, 48);
	for (int i = 0; i < 48; i++)
		EXPECT_EQ(t, slice_at(int, s, i), i % 3);
}

TEST(slice_noscan_survives_growth)
{
	slice_t s = slice_make_noscan(uint64_t, 0, 1);
	for (uint64_t i = 0; i < 1000; i++)
		s = slice_append(uint64_t, s, i);
	EXPECT(t, gc_is_noscan(s.array));
	slice_t p = { 0 };
	for (int i = 0; i < 1000; i++)
		p = slice_append(void *, p, &p);
	EXPECT(t, !gc_is_noscan(p.array));
}

struct big {
	char name[40];
	int64_t n;
};

TEST(slice_of_structs)
{
	slice_t s = { 0 };
	for (int i = 0; i < 500; i++) {
		struct big b = { .n = i };
		snprintf(b.name, sizeof b.name, "item %d", i);
		s = slice_append(struct big, s, b);
	}
	EXPECT_EQ(t, s.len, 500);
	EXPECT(t, strcmp(slice_at(struct big, s, 499).name, "item 499") == 0);
	int64_t sum = 0;
	for (intptr_t i = 0; i < slice_len(s); i++)
		sum += slice_at(struct big, s, i).n;
	EXPECT_EQ(t, sum, 499 * 500 / 2);
}

/* Each goroutine grows its own slice; slices cross harts over a channel. */
static void appender(void *arg)
{
	chan_t out = arg;
	slice_t s = { 0 };
	for (int64_t i = 0; i < 1000; i++)
		s = slice_append(int64_t, s, i);
	chan_send(out, &s);
}

TEST(slice_appends_on_every_cpu)
{
	t_needmem(t, 128);      /* leaves over 100 KiB: see testing.h */
	enum { N = 8 };
	chan_t c = chan_make(slice_t, N);
	for (int i = 0; i < N; i++)
		go(appender, c);
	for (int i = 0; i < N; i++) {
		slice_t s;
		chan_recv(c, &s);
		int64_t sum = 0;
		for (intptr_t j = 0; j < s.len; j++)
			sum += slice_at(int64_t, s, j);
		EXPECT_EQ(t, sum, 999 * 1000 / 2);
	}
}

/* ---- Misuse: Go's messages (tests/oracle/panics.out) ---- */

TEST_FATAL(slice_index_out_of_range_panics, 2,
	   "panic: runtime error: index out of range [5] with length 3\n\n"
	   "goroutine 1 [running]:")
{
	slice_t s = slice_make(int, 3, 5);
	volatile intptr_t i = 5;
	slice_at(int, s, i) = 1;
}

TEST_FATAL(slice_negative_index_panics, 2,
	   "panic: runtime error: index out of range [-1]\n")
{
	slice_t s = slice_make(int, 3, 5);
	volatile intptr_t i = -1;
	slice_at(int, s, i) = 1;
}

TEST_FATAL(slice_bounds_past_cap_panics, 2,
	   "panic: runtime error: slice bounds out of range [:6] with capacity 5\n")
{
	slice_t s = slice_make(int, 3, 5);
	slice_slice(int, s, 0, 6);
}

TEST_FATAL(slice_bounds_inverted_panics, 2,
	   "panic: runtime error: slice bounds out of range [4:2]\n")
{
	slice_slice(int, slice_make(int, 3, 5), 4, 2);
}

TEST_FATAL(slice3_bounds_panics, 2,
	   "panic: runtime error: slice bounds out of range [:4:3]\n")
{
	slice_slice3(int, slice_make(int, 3, 5), 1, 4, 3);
}

TEST_FATAL(slice_make_negative_len_panics, 2,
	   "panic: runtime error: makeslice: len out of range\n")
{
	volatile intptr_t n = -1;
	slice_make(int, n, 0);
}

TEST_FATAL(slice_make_cap_below_len_panics, 2,
	   "panic: runtime error: makeslice: cap out of range\n")
{
	slice_make(int, 3, 2);
}

TEST_FATAL(slice_make_huge_panics, 2,
	   "panic: runtime error: makeslice: len out of range\n")
{
	slice_make(int, (intptr_t)1 << 62, (intptr_t)1 << 62);
}

TEST_FATAL(slice_append_negative_count_panics, 2,
	   "panic: runtime error: growslice: cap out of range\n")
{
	slice_t s = slice_make(int, 2, 4);
	int v = 0;
	volatile intptr_t n = -3;
	slice_append_n(int, s, &v, n);
}
