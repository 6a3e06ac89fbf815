/*
 * match_test.c - tests/match.c, the regexp behind test.run= and bench=,
 * against Go's regexp.MatchString.
 *
 * match_regexp(re, s) is an unanchored search, like Go's: it reports
 * whether s contains a match of re.  The table below lists, for the
 * syntax match.c supports (literals, '.', '*', '+', '?', '^', '$',
 * classes "[a-z]" and "[^x]", backslash escapes and top-level '|'), what
 * regexp.MatchString(re, s) returns in Go.  Patterns Go rejects as
 * invalid ("a**", "[a") are left out: match.c has no way to report them.
 *
 * The rows at the end are where an earlier match.c differed from Go.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

/* tests/match.c (declared in tests/testing.h for the kernel build). */
bool match_regexp(const char *re, const char *s);

struct match_case {
	const char *re, *s;
	bool want;      /* Go: regexp.MatchString(re, s) */
};

static const struct match_case cases[] = {
	/* Literals; the empty pattern matches everything. */
	{ "", "", true },
	{ "", "abc", true },
	{ "abc", "abc", true },
	{ "abc", "xabcx", true },
	{ "abc", "ab", false },
	{ "abc", "", false },
	{ "b", "abc", true },
	{ "memory", "boot_memory_map", true },
	{ "abd", "abcabd", true },
	/* Dot. */
	{ ".", "", false },
	{ ".", "x", true },
	{ "a.c", "abc", true },
	{ "a.c", "a.c", true },
	{ "a.c", "ac", false },
	{ "...", "ab", false },
	/* Star. */
	{ "a*", "", true },
	{ "a*", "bbb", true },
	{ "ab*c", "ac", true },
	{ "ab*c", "abbbc", true },
	{ "ab*c", "abxc", false },
	{ "^a*$", "aaa", true },
	{ "^a*$", "aab", false },
	{ "^.*$", "", true },
	{ ".*", "anything", true },
	{ "^a*b", "aaab", true },
	{ "^a*b", "xaab", false },
	{ "^a*ab$", "aaab", true },
	{ "a.*b.*c", "aXbYc", true },
	{ "a.*b.*c", "acb", false },
	{ "^.*_x_.*$", "a_x_b_x_c", true },
	{ "a*a*a*b", "aaaaaaaaaaaaaaaaaaaa", false },
	/* Plus. */
	{ "ab+c", "ac", false },
	{ "ab+c", "abc", true },
	{ "ab+c", "abbbbc", true },
	{ "a+", "baaab", true },
	{ "^a+$", "", false },
	{ "^a+$", "aaaa", true },
	{ "^.+$", "", false },
	{ "^.+$", "x", true },
	{ "^a+ab$", "aab", true },
	{ "^a+ab$", "ab", false },
	/* Question mark. */
	{ "colou?r", "color", true },
	{ "colou?r", "colour", true },
	{ "colou?r", "colouur", false },
	{ "^a?$", "", true },
	{ "^a?$", "aa", false },
	{ "^ab?c", "ac", true },
	{ "ab?", "a", true },
	{ "^a?a$", "a", true },
	/* Anchors. */
	{ "^abc", "abcd", true },
	{ "^abc", "xabc", false },
	{ "abc$", "xabc", true },
	{ "abc$", "abcx", false },
	{ "^abc$", "abc", true },
	{ "^abc$", "abcabc", false },
	{ "^$", "", true },
	{ "^$", "a", false },
	{ "$", "abc", true },
	{ "^", "abc", true },
	{ "^boot_", "boot_memory_map", true },
	{ "^memory", "boot_memory_map", false },
	{ "map$", "boot_memory_map", true },
	/* Classes. */
	{ "[abc]", "xbx", true },
	{ "[abc]", "xyz", false },
	{ "^[a-z]+$", "hello", true },
	{ "^[a-z]+$", "Hello", false },
	{ "^[a-z_0-9]+$", "timer_test_1", true },
	{ "^[A-Z][a-z]*$", "Timer", true },
	{ "[^a]", "aaa", false },
	{ "[^a]", "aab", true },
	{ "^[^0-9]*$", "abc", true },
	{ "^[^0-9]*$", "ab1", false },
	{ "[a-cx-z]", "y", true },
	{ "[a-cx-z]", "m", false },
	{ "[]a]", "]", true },
	{ "[]a]", "b", false },
	{ "[^]a]", "]", false },
	{ "[^]a]", "b", true },
	{ "[a-]", "-", true },
	{ "[-a]", "-", true },
	{ "[$]", "$", true },
	{ "[.]", "x", false },
	{ "[*]", "a*", true },
	{ "^b[a-o]+t_", "boot_x", true },
	{ "^b[^o]", "boot_x", false },
	{ "[0-9]+ms$", "took 15ms", true },
	/* Escapes. */
	{ "a\\.b", "a.b", true },
	{ "a\\.b", "axb", false },
	{ "\\$", "a$", true },
	{ "^\\^", "^a", true },
	{ "a\\*", "aa", false },
	{ "a\\*", "a*", true },
	/* Top-level alternation; '^' and '$' bind to one alternative. */
	{ "a|b", "b", true },
	{ "a|b", "c", false },
	{ "a|", "zzz", true },
	{ "|", "", true },
	{ "^timer|ipi$", "timer_x", true },
	{ "^timer|ipi$", "x_ipi", true },
	{ "^timer|ipi$", "x_timer", false },
	{ "^timer|ipi$", "ipi_x", false },
	{ "x|boot_m.*y_map", "boot_memory_map", true },
	{ "^a$|^b$", "b", true },
	{ "^a$|^b$", "ab", false },
	{ "x|^b", "ab", false },
};

/* Cases where an earlier match.c differed from Go. */
static const struct match_case bug_class_bar[] = {
	{ "[a|b]", "b", true },
	{ "x[|]y", "x|y", true },
	{ "[a|b]", "a", true },
};
static const struct match_case bug_escaped_bar[] = {
	{ "a\\|b", "b", false },
	{ "a\\|b", "a|b", true },
	{ "a\\|b", "a", false },
};
static const struct match_case bug_inner_anchor[] = {
	{ "a$b", "a$b", false },
	{ "a^b", "a^b", false },
	{ "a$b", "xa$bx", false },
};
static const struct match_case bug_dot_newline[] = {
	{ "a.b", "a\nb", false },
	{ "^.*$", "a\nb", false },
	{ "a.b", "a\nb a-b", true },
};

/* s with newlines shown as \n, for one-line messages. */
static const char *esc(const char *s, char *buf, size_t n)
{
	size_t j = 0;
	for (; *s && j + 3 < n; s++) {
		if (*s == '\n') {
			buf[j++] = '\\';
			buf[j++] = 'n';
		} else {
			buf[j++] = *s;
		}
	}
	buf[j] = 0;
	return buf;
}

static void check_row(const struct match_case *c)
{
	char b1[128], b2[128];
	bool got = match_regexp(c->re, c->s);
	EXPECTF(got == c->want, "match_regexp(\"%s\", \"%s\") = %s, want %s",
		esc(c->re, b1, sizeof b1), esc(c->s, b2, sizeof b2),
		got ? "true" : "false", c->want ? "true" : "false");
}

static void test_row(const void *arg)
{
	check_row(arg);
}

static void test_rows3(const void *arg)
{
	const struct match_case *c = arg;
	for (int i = 0; i < 3; i++)
		check_row(&c[i]);
}

/* Names long and odd: the matcher is not confused by the text. */
static void test_long_subject(void)
{
	char s[4096];
	memset(s, 'a', sizeof s - 1);
	s[sizeof s - 1] = 0;
	EXPECT(match_regexp("^a*$", s));
	EXPECT(match_regexp("a$", s));
	EXPECT(!match_regexp("b", s));
	EXPECT(!match_regexp("^a*b", s));
	s[2000] = 'b';
	EXPECT(match_regexp("^a+ba+$", s));
	EXPECT(match_regexp("[^a]", s));
}

/* Both arguments are only read, and the pattern string is reusable. */
static void test_const(void)
{
	static const char re[] = "^t[a-z]*_.+$|x";
	static const char s[] = "timer_fires";
	EXPECT(match_regexp(re, s));
	EXPECT(match_regexp(re, s));
	EXPECT_STREQ(re, "^t[a-z]*_.+$|x");
	EXPECT_STREQ(s, "timer_fires");
}

int main(int argc, char **argv)
{
	t_init(&argc, argv);
	char name[128];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(name, sizeof name, "match/%zu(\"%s\",\"%s\")", i,
			 cases[i].re, cases[i].s);
		t_run_arg(name, test_row, &cases[i]);
	}
	t_run("long_subject", test_long_subject);
	t_run("const_args", test_const);
	t_run_arg("bar_inside_class", test_rows3, bug_class_bar);
	t_run_arg("escaped_bar", test_rows3,
			bug_escaped_bar);
	t_run_arg("anchor_inside_pattern", test_rows3, bug_inner_anchor);
	t_run_arg("dot_newline", test_rows3, bug_dot_newline);
	return t_finish("match_test");
}
