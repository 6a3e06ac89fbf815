/*
 * match.c - the tiny regular expressions test.run= and bench= take.
 *
 * Enough of Go's regexp syntax for selecting tests: literals, '.', '*',
 * '+', '?', '^', '$' (anywhere, as assertions), character classes
 * "[a-z_]" (with "[^...]"), escapes "\\." and top-level alternation "a|b".  The matcher is Kernighan and Pike's
 * (The Practice of Programming, ch. 9), extended with classes and + ?.
 */
#include <stdbool.h>
#include <string.h>

bool match_regexp(const char *re, const char *s);

/* Length of the atom at re: a char, '.', or a [class]. */
static int atom_len(const char *re)
{
	if (*re == '[') {
		const char *p = re + 1;
		if (*p == '^')
			p++;
		if (*p == ']')
			p++;
		while (*p && *p != ']')
			p++;
		return *p ? (int)(p - re + 1) : 1;
	}
	if (*re == '\\' && re[1])
		return 2;
	return 1;
}

static bool atom_match(const char *re, int len, char c)
{
	if (c == 0)
		return false;
	if (*re == '.' && len == 1)
		return c != '\n';      /* as Go's . without the s flag */
	if (*re == '\\')
		return re[1] == c;
	if (*re != '[')
		return *re == c;
	const char *p = re + 1, *end = re + len - 1;
	bool neg = *p == '^', in = false;
	if (neg)
		p++;
	for (; p < end; p++) {
		if (p + 2 < end && p[1] == '-') {
			if (c >= p[0] && c <= p[2])
				in = true;
			p += 2;
		} else if (*p == c) {
			in = true;
		}
	}
	return in != neg;
}

static const char *text_start;  /* for '^' inside a pattern */

static bool match_here(const char *re, const char *end, const char *s)
{
	if (re == end)
		return true;
	if (*re == '$')                 /* assertions: end, beginning of text */
		return *s == 0 && match_here(re + 1, end, s);
	if (*re == '^')
		return s == text_start && match_here(re + 1, end, s);
	int n = atom_len(re);
	char op = re + n < end ? re[n] : 0;
	if (op == '*' || op == '+' || op == '?') {
		const char *t = s;
		int max = op == '?' ? 1 : 1 << 30, count = 0;
		while (count < max && atom_match(re, n, *t)) {
			t++;
			count++;
		}
		/* longest first, then back off */
		for (;; t--, count--) {
			if (count >= (op == '+') && match_here(re + n + 1, end, t))
				return true;
			if (t == s)
				return false;
		}
	}
	if (atom_match(re, n, *s))
		return match_here(re + n, end, s + 1);
	return false;
}

static bool match_one(const char *re, const char *end, const char *s)
{
	text_start = s;
	do {
		if (match_here(re, end, s))
			return true;
	} while (*s++);
	return false;
}

/* The next top-level '|' (not inside [...] or after '\\'), or NULL. */
static const char *next_bar(const char *re)
{
	while (*re) {
		if (*re == '|')
			return re;
		re += atom_len(re);
	}
	return NULL;
}

bool match_regexp(const char *re, const char *s)
{
	for (;;) {
		const char *bar = next_bar(re);
		const char *end = bar ? bar : re + strlen(re);
		if (match_one(re, end, s))
			return true;
		if (!bar)
			return false;
		re = bar + 1;
	}
}
