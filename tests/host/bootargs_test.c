/*
 * bootargs_test.c - runtime/bootargs.c: splitting the kernel command line
 * into key=value words, and the integer and duration parsers.
 *
 * Rules under test (runtime/bootargs.h): words are separated by spaces or
 * tabs; the first '=' splits key from value ("k=a=b" has value "a=b"); a
 * bare key has value ""; the last of repeated keys wins.  Integers are
 * decimal or 0x hex with an optional k/K, M or G suffix (powers of two);
 * durations are digits with ns, us, ms, s or m (plain digits are ns).
 * Anything else is rejected and the caller's default is used.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "runtime/bootargs.h"

/* ---- Splitting --------------------------------------------------------- */

static void test_split(void)
{
	bootargs_init("test.run=^timer_ test.timeout=30s maxprocs=2");
	EXPECT_STREQ(bootarg("test.run"), "^timer_");
	EXPECT_STREQ(bootarg("test.timeout"), "30s");
	EXPECT_STREQ(bootarg("maxprocs"), "2");
	EXPECT_STREQ(bootarg("test"), NULL);
	EXPECT_STREQ(bootarg("maxproc"), NULL);
	EXPECT_STREQ(bootarg("maxprocs=2"), NULL);
}

static void test_whitespace(void)
{
	bootargs_init("  \t a=1 \t\tb=2   c=3\t");
	EXPECT_STREQ(bootarg("a"), "1");
	EXPECT_STREQ(bootarg("b"), "2");
	EXPECT_STREQ(bootarg("c"), "3");
	EXPECT_STREQ(bootarg(""), NULL);
}

static void test_value_with_equals(void)
{
	bootargs_init("key=value=more x==y");
	EXPECT_STREQ(bootarg("key"), "value=more");
	EXPECT_STREQ(bootarg("x"), "=y");
}

static void test_bare_keys(void)
{
	bootargs_init("test.list quiet empty= v=1");
	EXPECT_STREQ(bootarg("test.list"), "");
	EXPECT_STREQ(bootarg("quiet"), "");
	EXPECT_STREQ(bootarg("empty"), "");
	EXPECT_STREQ(bootarg("v"), "1");
}

static void test_last_wins(void)
{
	bootargs_init("a=1 b=x a=2 b a=3");
	EXPECT_STREQ(bootarg("a"), "3");
	EXPECT_STREQ(bootarg("b"), "");
	EXPECT_EQ(bootarg_int("a", -1), 3);
}

static void test_empty_line(void)
{
	bootargs_init("");
	EXPECT_STREQ(bootarg("a"), NULL);
	bootargs_init("   \t ");
	EXPECT_STREQ(bootarg(""), NULL);
	EXPECT_EQ(bootarg_int("a", 42), 42);
	EXPECT_EQ(bootarg_duration("a", 7), 7);
}

/* A second bootargs_init replaces the first line completely. */
static void test_reinit(void)
{
	bootargs_init("a=1 b=2");
	bootargs_init("c=3");
	EXPECT_STREQ(bootarg("a"), NULL);
	EXPECT_STREQ(bootarg("b"), NULL);
	EXPECT_STREQ(bootarg("c"), "3");
}

/* The caller's string is copied: changing it later changes nothing. */
static void test_copied(void)
{
	char line[] = "k=v";
	bootargs_init(line);
	line[2] = 'X';
	EXPECT_STREQ(bootarg("k"), "v");
}

/* A line longer than CONFIG_DT_STRMAX - 1 bytes is cut there. */
static void test_long_line(void)
{
	char line[CONFIG_DT_STRMAX + 100], x[201], y[101];
	memset(x, 'x', 200);
	x[200] = 0;
	memset(y, 'y', 100);
	y[100] = 0;
	snprintf(line, sizeof line, "a=%s b=1 c=%s d=2", x, y);
	bootargs_init(line);
	EXPECT_STREQ(bootarg("a"), x);
	EXPECT_STREQ(bootarg("b"), "1");
	const char *c = bootarg("c");
	EXPECT(c != NULL);
	size_t room = CONFIG_DT_STRMAX - 1 - strlen("a= b=1 c=") - 200;
	EXPECT_EQ(c ? strlen(c) : 0, room);
	EXPECT_STREQ(bootarg("d"), NULL);
}

/* Line of n words "w0 w1 ... w31=v ...", then `tail`. */
static void init_words(int n, const char *tail)
{
	char line[CONFIG_DT_STRMAX];
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(line + len, sizeof line - len,
					i == 31 ? "%sw%d=v" : "%sw%d",
					i ? " " : "", i);
	snprintf(line + len, sizeof line - len, "%s", tail);
	bootargs_init(line);
}

/* 32 words (the most kept): all there. */
static void test_32_words(void)
{
	init_words(32, "");
	EXPECT_STREQ(bootarg("w0"), "");
	EXPECT_STREQ(bootarg("w30"), "");
	EXPECT_STREQ(bootarg("w31"), "v");
}

/* 32 words and a blank, or more words: the first 32 kept, intact. */
static void test_32nd_word(const void *arg)
{
	(void)arg;
	init_words(32, " ");
	EXPECT_STREQ(bootarg("w31"), "v");
	init_words(32, "\t");
	EXPECT_STREQ(bootarg("w31"), "v");
	init_words(40, "");
	EXPECT_STREQ(bootarg("w0"), "");
	EXPECT_STREQ(bootarg("w30"), "");
	EXPECT_STREQ(bootarg("w31"), "v");
}

/* ---- Integers ---------------------------------------------------------- */

struct int_case {
	const char *s;
	bool ok;
	long want;
};

static const struct int_case int_cases[] = {
	{ "0", true, 0 },
	{ "7", true, 7 },
	{ "007", true, 7 },                     /* decimal, not octal */
	{ "123456789", true, 123456789 },
	{ "-5", true, -5 },
	{ "0x10", true, 16 },
	{ "0X1f", true, 31 },
	{ "0xABCdef", true, 0xabcdef },
	{ "1k", true, 1024 },
	{ "2K", true, 2048 },
	{ "64M", true, 64L << 20 },
	{ "4G", true, 4L << 30 },
	{ "0x10M", true, 16L << 20 },
	{ "-1k", true, -1024 },
	{ "9223372036854775807", true, 9223372036854775807L },
	{ "", false, 0 },
	{ "-", false, 0 },
	{ "0x", false, 0 },
	{ "abc", false, 0 },
	{ "12x", false, 0 },
	{ "1kk", false, 0 },
	{ "1m", false, 0 },
	{ "1T", false, 0 },
	{ "1 ", false, 0 },
	{ " 1", false, 0 },
	{ "+1", false, 0 },
	{ "1.5", false, 0 },
	{ "0x1g", false, 0 },
	{ "--1", false, 0 },
};

static void check_int(const struct int_case *c)
{
	long got = -12345;
	bool ok = parse_int(c->s, &got);
	if (c->ok)
		EXPECTF(ok && got == c->want, "parse_int(\"%s\") = %d, %ld; want "
			"true, %ld", c->s, ok, got, c->want);
	else
		EXPECTF(!ok && got == -12345, "parse_int(\"%s\") = %d, %ld; want "
			"false, out untouched", c->s, ok, got);
}

static void test_int_table(void)
{
	for (size_t i = 0; i < sizeof int_cases / sizeof int_cases[0]; i++)
		check_int(&int_cases[i]);
}

static void test_bootarg_int(void)
{
	bootargs_init("maxprocs=4 mem=64M hex=0x10 bad=4x empty= bare");
	EXPECT_EQ(bootarg_int("maxprocs", -1), 4);
	EXPECT_EQ(bootarg_int("mem", -1), 64L << 20);
	EXPECT_EQ(bootarg_int("hex", -1), 16);
	EXPECT_EQ(bootarg_int("bad", -1), -1);
	EXPECT_EQ(bootarg_int("empty", -1), -1);
	EXPECT_EQ(bootarg_int("bare", -1), -1);
	EXPECT_EQ(bootarg_int("absent", 99), 99);
}

/* Bad input the parser must reject (each once slipped through). */
static const struct int_case int_bug_suffix[] = {
	{ "k", false, 0 }, { "M", false, 0 }, { "0xG", false, 0 },
	{ "-k", false, 0 },
};
static const struct int_case int_bug_overflow[] = {
	{ "9223372036854775808", false, 0 },
	{ "99999999999999999999", false, 0 },
	{ "0x10000000000000000", false, 0 },
	{ "8796093022208G", false, 0 },         /* 2^43 << 30 */
};

static void test_int_bug(const void *arg)
{
	const struct int_case *c = arg;
	for (int i = 0; i < 4; i++)
		check_int(&c[i]);
}

/* ---- Durations --------------------------------------------------------- */

struct dur_case {
	const char *s;
	bool ok;
	uint64_t want;
};

static const struct dur_case dur_cases[] = {
	{ "0", true, 0 },
	{ "100", true, 100 },
	{ "100ns", true, 100 },
	{ "500us", true, 500000 },
	{ "10ms", true, 10000000 },
	{ "2s", true, 2000000000 },
	{ "30s", true, 30000000000ull },
	{ "3m", true, 180000000000ull },
	{ "0m", true, 0 },
	{ "18446744073709551615", true, 18446744073709551615ull },
	{ "", false, 0 },
	{ "ms", false, 0 },
	{ "s", false, 0 },
	{ "10h", false, 0 },
	{ "10S", false, 0 },
	{ "10MS", false, 0 },
	{ "1.5s", false, 0 },
	{ "-1s", false, 0 },
	{ "10 s", false, 0 },
	{ "10s ", false, 0 },
	{ "10sec", false, 0 },
	{ "1s500ms", false, 0 },
	{ "0x10", false, 0 },
};

static void check_dur(const struct dur_case *c)
{
	uint64_t got = 12345;
	bool ok = parse_duration(c->s, &got);
	if (c->ok)
		EXPECTF(ok && got == c->want, "parse_duration(\"%s\") = %d, %llu; "
			"want true, %llu", c->s, ok, (unsigned long long)got,
			(unsigned long long)c->want);
	else
		EXPECTF(!ok && got == 12345, "parse_duration(\"%s\") = %d, %llu; "
			"want false, out untouched", c->s, ok,
			(unsigned long long)got);
}

static void test_dur_table(void)
{
	for (size_t i = 0; i < sizeof dur_cases / sizeof dur_cases[0]; i++)
		check_dur(&dur_cases[i]);
}

static const struct dur_case dur_bug_overflow[] = {
	{ "18446744073709551616", false, 0 },   /* 2^64 ns */
	{ "99999999999999999999ns", false, 0 },
	{ "18446744073709552us", false, 0 },    /* > 2^64 ns */
	{ "307445735m", false, 0 },             /* > 2^64 ns */
};

static void test_dur_bug(const void *arg)
{
	const struct dur_case *c = arg;
	for (int i = 0; i < 4; i++)
		check_dur(&c[i]);
}

static void test_bootarg_duration(void)
{
	bootargs_init("test.timeout=30s tick=10ms raw=250 bad=5h bare");
	EXPECT_EQ(bootarg_duration("test.timeout", 1), 30000000000ull);
	EXPECT_EQ(bootarg_duration("tick", 1), 10000000);
	EXPECT_EQ(bootarg_duration("raw", 1), 250);
	EXPECT_EQ(bootarg_duration("bad", 1), 1);
	EXPECT_EQ(bootarg_duration("bare", 1), 1);
	EXPECT_EQ(bootarg_duration("absent", 120000000000ull), 120000000000ull);
}

int main(int argc, char **argv)
{
	t_init(&argc, argv);
	t_run("split", test_split);
	t_run("whitespace", test_whitespace);
	t_run("value_with_equals", test_value_with_equals);
	t_run("bare_keys", test_bare_keys);
	t_run("last_wins", test_last_wins);
	t_run("empty_line", test_empty_line);
	t_run("reinit", test_reinit);
	t_run("copied", test_copied);
	t_run("long_line", test_long_line);
	t_run("32_words", test_32_words);
	t_run("parse_int", test_int_table);
	t_run("bootarg_int", test_bootarg_int);
	t_run("parse_duration", test_dur_table);
	t_run("bootarg_duration", test_bootarg_duration);
	t_run_arg("parse_int/suffix_without_digits", test_int_bug, int_bug_suffix);
	t_run_arg("parse_int/overflow", test_int_bug, int_bug_overflow);
	t_run_arg("parse_duration/overflow", test_dur_bug, dur_bug_overflow);
	t_run_arg("32nd_word_unterminated", test_32nd_word, NULL);
	return t_finish("bootargs_test");
}
