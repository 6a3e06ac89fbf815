/*
 * sizeclass_test.c - mm/sizeclasses.c and mm/sizeclasses.h, against Go's
 * own runtime/sizeclasses.go.
 *
 *     sizeclass_test [-v] GOROOT/src/runtime/sizeclasses.go GENERATED.c
 *
 * GENERATED.c is a fresh `python3 tools/mksizeclasses.py` (the Makefile
 * makes build/host/sizeclasses.c).  The cases:
 *
 *   go/...            Go's file is the oracle: its constants and every
 *                     array literal (class_to_divmagic written as
 *                     ^uint32(0)/N + 1 is evaluated) must equal ours, and
 *                     the table in its opening comment must be the one in
 *                     ours, line for line.
 *   generated         GENERATED.c is byte for byte mm/sizeclasses.c: the
 *                     committed tables are what the generator prints.
 *   size_to_class     every size 1..32768 gets the smallest class that
 *                     holds it.
 *   divide_by_elemsize  offset / size for every offset in every span,
 *                     and for i*size + {0, 1, size-1}.
 *   spans             objects = pages * 8192 / size, tail within 1/8.
 *   alignment         what mksizeclasses.go promises: every object is
 *                     8-aligned, sizes that are multiples of 16 and all
 *                     sizes >= 32 are 16-aligned, power-of-two sizes are
 *                     naturally aligned (up to a page), and every row of
 *                     Go's alignment table holds for our classes.
 *
 * mm/sizeclasses.c is looked for at ../../mm (the Makefile runs us in
 * tests/host) and at mm (run from the repo root); a third argument
 * names it explicitly.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mm/sizeclasses.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_ELEMS 512           /* more than any array has */
#define MAX_LINES 128           /* more than the comment tables have */

static char *go_src;            /* Go's sizeclasses.go, NUL-terminated */
static const char *go_path;
static const char *gen_path;    /* the generator's fresh output */
static const char *mm_path;     /* our committed mm/sizeclasses.c */

/* The whole file, NUL-terminated (malloc'd), or NULL. */
static char *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap + 1);
	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			char *nbuf = realloc(buf, cap + 1);
			if (nbuf == NULL)
				free(buf);
			buf = nbuf;
		}
	}
	fclose(f);
	if (buf == NULL)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static bool have_go(void)
{
	return EXPECTF(go_src != NULL, "cannot read Go's sizeclasses.go (%s)",
		       go_path ? go_path : "no argument");
}

/* ---- Parsing Go's sizeclasses.go --------------------------------------- */

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return p;
}

/*
 * One array element: a decimal number, or Go 1.19's divmagic expression
 * `^uint32(0)/N + 1`, evaluated in 32 bits as Go does.
 */
static bool parse_elem(const char **pp, uint64_t *v)
{
	static const char magic[] = "^uint32(0)/";
	const char *p = skip_space(*pp);
	char *end;
	if (strncmp(p, magic, sizeof magic - 1) == 0) {
		p += sizeof magic - 1;
		unsigned long d = strtoul(p, &end, 10);
		if (end == p || d == 0)
			return false;
		p = skip_space(end);
		if (*p != '+')
			return false;
		p = skip_space(p + 1);
		if (p[0] != '1' || isdigit((unsigned char)p[1]))
			return false;
		*v = (uint32_t)(UINT32_MAX / d + 1);
		p++;
	} else if (isdigit((unsigned char)*p)) {
		*v = strtoull(p, &end, 10);
		p = end;
	} else {
		return false;
	}
	*pp = p;
	return true;
}

/*
 * The elements of Go's `var name = [len]type{e, e, ...}` into out[];
 * returns how many, or -1 (with a failure recorded) if it is not there
 * or does not parse.
 */
static int go_array(const char *name, uint64_t *out, int max)
{
	char key[64];
	snprintf(key, sizeof key, "\nvar %s = [", name);
	const char *p = strstr(go_src, key);
	if (!EXPECTF(p != NULL, "Go's file has no array %s", name))
		return -1;
	p = strchr(p, '{');
	if (!EXPECTF(p != NULL, "Go's %s: no '{'", name))
		return -1;
	p++;
	int n = 0;
	for (;;) {
		p = skip_space(p);
		if (*p == '}')
			return n;
		if (!EXPECTF(n < max && parse_elem(&p, &out[n]),
			     "Go's %s: cannot parse element %d at \"%.20s\"",
			     name, n, p))
			return -1;
		n++;
		p = skip_space(p);
		if (*p == ',')
			p++;
		else if (!EXPECTF(*p == '}', "Go's %s: junk after element %d",
				  name, n - 1))
			return -1;
	}
}

/* The value of `name = N` in Go's `const ( ... )` block; false if absent. */
static bool go_const(const char *name, uint64_t *v)
{
	static const char open[] = "\nconst (\n";
	const char *block = strstr(go_src, open);
	const char *end = block ? strstr(block + 1, "\n)") : NULL;
	size_t len = strlen(name);
	if (end == NULL)
		return false;
	/* Each line ends in '\n' before `end`, which starts with one. */
	for (const char *line = block + sizeof open - 1; line < end;
	     line = strchr(line, '\n') + 1) {
		const char *q = line;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, name, len) != 0 ||
		    (q[len] != ' ' && q[len] != '\t' && q[len] != '='))
			continue;
		q = skip_space(q + len);
		if (*q != '=')
			return false;
		q = skip_space(q + 1);
		char *e;
		*v = strtoull(q, &e, 10);
		return e != q;
	}
	return false;
}

/*
 * The comment tables: lines of text from the one starting with `start`
 * up to (not including) `stop`, each with `prefix` taken off; lines that
 * are empty or just the comment marker are skipped.  Returns the count
 * (the lines are copied into lines[], MAX_LINES of up to 127 chars).
 */
static int comment_lines(const char *src, const char *start,
			 const char *stop, const char *prefix,
			 char lines[][128])
{
	const char *p = strstr(src, start);
	size_t plen = strlen(prefix);
	int n = 0;
	while (p != NULL && *p != '\0' && strncmp(p, stop, strlen(stop)) != 0) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > plen && strncmp(p, prefix, plen) == 0 &&
		    n < MAX_LINES) {
			size_t k = len - plen < 127 ? len - plen : 127;
			memcpy(lines[n], p + plen, k);
			lines[n++][k] = '\0';
		}
		p = eol ? eol + 1 : NULL;
	}
	return n;
}

/* ---- go/...: Go's file against ours ------------------------------------ */

static void test_go_constants(void)
{
	static const struct {
		const char *name;
		uint64_t ours;
	} consts[] = {
		{ "_MaxSmallSize", MAX_SMALL_SIZE },
		{ "smallSizeDiv", SMALL_SIZE_DIV },
		{ "smallSizeMax", SMALL_SIZE_MAX },
		{ "largeSizeDiv", LARGE_SIZE_DIV },
		{ "_NumSizeClasses", NUM_SIZE_CLASSES },
		{ "_PageShift", PAGE_SHIFT },
	};
	if (!have_go())
		return;
	for (int i = 0; i < N(consts); i++) {
		uint64_t v = 0;
		if (EXPECTF(go_const(consts[i].name, &v),
			    "Go's const block has no %s", consts[i].name))
			EXPECTF(v == consts[i].ours, "Go's %s = %llu, ours %llu",
				consts[i].name, (unsigned long long)v,
				(unsigned long long)consts[i].ours);
	}
	EXPECT_EQ(PAGE_SIZE, 1 << PAGE_SHIFT);
}

/* One of our arrays, to hold beside Go's array of the same name. */
struct our_array {
	const char *name;
	const void *elems;
	int elem_size;          /* 1, 2 or 4 bytes */
	int len;
};

static uint64_t elem(const struct our_array *a, int i)
{
	switch (a->elem_size) {
	case 1:
		return ((const uint8_t *)a->elems)[i];
	case 2:
		return ((const uint16_t *)a->elems)[i];
	default:
		return ((const uint32_t *)a->elems)[i];
	}
}

#define OUR_ARRAY(a) { #a, a, (int)sizeof(a[0]), N(a) }

static const struct our_array arrays[] = {
	OUR_ARRAY(class_to_size),
	OUR_ARRAY(class_to_allocnpages),
	OUR_ARRAY(class_to_divmagic),
	OUR_ARRAY(size_to_class8),
	OUR_ARRAY(size_to_class128),
};

static void test_go_array(const void *arg)
{
	const struct our_array *a = arg;
	uint64_t go[MAX_ELEMS];
	if (!have_go())
		return;
	int n = go_array(a->name, go, MAX_ELEMS);
	if (n < 0)
		return;
	EXPECTF(n == a->len, "Go's %s has %d elements, ours %d", a->name, n,
		a->len);
	int bad = 0;
	for (int i = 0; i < n && i < a->len && bad < 5; i++)
		if (!EXPECTF(elem(a, i) == go[i], "%s[%d] = %llu, Go's %llu",
			     a->name, i, (unsigned long long)elem(a, i),
			     (unsigned long long)go[i]))
			bad++;
}

/* Go has no class_to_objects: derive it from Go's sizes and pages. */
static void test_go_objects(void)
{
	uint64_t size[MAX_ELEMS], npages[MAX_ELEMS];
	if (!have_go())
		return;
	int ns = go_array("class_to_size", size, MAX_ELEMS);
	int np = go_array("class_to_allocnpages", npages, MAX_ELEMS);
	if (!EXPECT(ns == NUM_SIZE_CLASSES && np == NUM_SIZE_CLASSES))
		return;
	EXPECT_EQ(class_to_objects[0], 0);
	for (int c = 1; c < NUM_SIZE_CLASSES; c++)
		EXPECTF(class_to_objects[c] == npages[c] * PAGE_SIZE / size[c],
			"class_to_objects[%d] = %u, Go's sizes give %llu", c,
			class_to_objects[c],
			(unsigned long long)(npages[c] * PAGE_SIZE / size[c]));
}

/* The table in Go's opening comment, line for line in ours. */
static void test_go_table_comment(void)
{
	static char go[MAX_LINES][128], ours[MAX_LINES][128];
	if (!have_go())
		return;
	char *mm = load(mm_path, NULL);
	if (!EXPECTF(mm != NULL, "cannot read %s", mm_path))
		return;
	int ngo = comment_lines(go_src, "// class ", "const (", "// ", go);
	int nours = comment_lines(mm, " * class ", " */", " * ", ours);
	free(mm);
	EXPECTF(ngo == 1 + 67 + 1 + 7, "Go's comment has %d table lines", ngo);
	EXPECTF(nours == ngo, "our comment has %d table lines, Go's %d",
		nours, ngo);
	int bad = 0;
	for (int i = 0; i < ngo && i < nours && bad < 5; i++)
		if (!EXPECTF(strcmp(ours[i], go[i]) == 0,
			     "table line %d:\n\tours \"%s\"\n\tGo's \"%s\"", i,
			     ours[i], go[i]))
			bad++;
}

/* ---- generated: the committed file is the generator's output ----------- */

static void test_generated_identical(void)
{
	size_t glen = 0, mlen = 0;
	char *gen = load(gen_path, &glen);
	char *mm = load(mm_path, &mlen);
	EXPECTF(gen != NULL, "cannot read the generator's output %s",
		gen_path ? gen_path : "(no argument)");
	EXPECTF(mm != NULL, "cannot read %s", mm_path);
	if (gen != NULL && mm != NULL && (glen != mlen ||
					  memcmp(gen, mm, glen) != 0)) {
		int line = 1;
		size_t i = 0;
		for (; i < glen && i < mlen && gen[i] == mm[i]; i++)
			line += gen[i] == '\n';
		EXPECTF(false, "%s (%zu bytes) differs from %s (%zu bytes) at "
			"line %d: run python3 tools/mksizeclasses.py > "
			"mm/sizeclasses.c", mm_path, mlen, gen_path, glen, line);
	}
	free(gen);
	free(mm);
}

/* ---- The classes themselves -------------------------------------------- */

/* Every size gets the smallest class that holds it. */
static void test_size_to_class_smallest(void)
{
	int bad = 0;
	for (size_t size = 1; size <= MAX_SMALL_SIZE && bad < 5; size++) {
		unsigned c = size_to_class(size);
		bool ok = c >= 1 && c < NUM_SIZE_CLASSES &&
			  class_to_size[c] >= size &&
			  class_to_size[c - 1] < size;
		if (!EXPECTF(ok, "size_to_class(%zu) = %u (size %u, the class "
			     "below %u)", size, c,
			     c < NUM_SIZE_CLASSES ? class_to_size[c] : 0,
			     c >= 1 && c < NUM_SIZE_CLASSES ?
			     class_to_size[c - 1] : 0))
			bad++;
	}
	EXPECT_EQ(size_to_class(0), 0);
	EXPECT_EQ(size_to_class(MAX_SMALL_SIZE), NUM_SIZE_CLASSES - 1);
	/* Both sides of the switch between the tables. */
	EXPECT_EQ(class_to_size[size_to_class(SMALL_SIZE_MAX - 8)], 1024);
	EXPECT_EQ(class_to_size[size_to_class(SMALL_SIZE_MAX - 7)], 1024);
	EXPECT_EQ(class_to_size[size_to_class(SMALL_SIZE_MAX + 1)], 1152);
}

/* Sizes grow, the last is MAX_SMALL_SIZE, class 0 is all zeros. */
static void test_classes_sorted(void)
{
	EXPECT_EQ(class_to_size[0], 0);
	EXPECT_EQ(class_to_allocnpages[0], 0);
	EXPECT_EQ(class_to_divmagic[0], 0);
	EXPECT_EQ(class_to_size[NUM_SIZE_CLASSES - 1], MAX_SMALL_SIZE);
	for (int c = 1; c < NUM_SIZE_CLASSES; c++) {
		EXPECTF(class_to_size[c] > class_to_size[c - 1],
			"class_to_size[%d] = %u <= class_to_size[%d] = %u", c,
			class_to_size[c], c - 1, class_to_size[c - 1]);
		EXPECTF(class_to_allocnpages[c] >= 1, "class %d: 0 pages", c);
		EXPECTF(class_to_divmagic[c] == UINT32_MAX / class_to_size[c] + 1,
			"class_to_divmagic[%d] = %#x", c, class_to_divmagic[c]);
	}
}

/* i*size + k for k in {0, 1, size-1}, and every offset up to the end. */
static void test_divide_by_elemsize(void)
{
	int bad = 0;
	for (unsigned c = 1; c < NUM_SIZE_CLASSES && bad < 5; c++) {
		uint32_t size = class_to_size[c];
		uint32_t span = class_to_allocnpages[c] * PAGE_SIZE;
		for (uint32_t i = 0; i < class_to_objects[c]; i++) {
			const uint32_t ks[] = { 0, 1, size - 1 };
			for (int k = 0; k < N(ks); k++) {
				uint32_t q = divide_by_elemsize(i * size + ks[k],
								c);
				if (q != i && bad++ < 5)
					EXPECTF(false, "class %u: divide_by_elemsize"
						"(%u) = %u, want %u", c,
						i * size + ks[k], q, i);
			}
		}
		for (uint32_t off = 0; off <= span; off++) {
			uint32_t q = divide_by_elemsize(off, c);
			if (q != off / size && bad++ < 5)
				EXPECTF(false, "class %u: divide_by_elemsize(%u) "
					"= %u, want %u", c, off, q, off / size);
		}
	}
	EXPECT_EQ(divide_by_elemsize(12345, 0), 0);
}

/* objects = pages * PAGE_SIZE / size; the tail is at most 1/8. */
static void test_spans(void)
{
	EXPECT_EQ(class_to_objects[0], 0);
	for (int c = 1; c < NUM_SIZE_CLASSES; c++) {
		uint32_t span = class_to_allocnpages[c] * PAGE_SIZE;
		uint32_t size = class_to_size[c];
		EXPECTF(class_to_objects[c] == span / size,
			"class_to_objects[%d] = %u, want %u * %u / %u = %u", c,
			class_to_objects[c], class_to_allocnpages[c], PAGE_SIZE,
			size, span / size);
		EXPECTF(span % size <= span / 8, "class %d: tail %u of %u "
			"bytes, more than 1/8", c, span % size, span);
	}
}

/* ---- alignment: what mksizeclasses.go promises ------------------------- */

/* The alignment every object of class c has: spans start on a page. */
static uint32_t class_align(unsigned c)
{
	uint32_t size = class_to_size[c];
	uint32_t a = size & -size;
	return a < PAGE_SIZE ? a : PAGE_SIZE;
}

/* Is every object of class c (in a page-aligned span) a-aligned? */
static bool objects_aligned(unsigned c, uint32_t a)
{
	for (uint32_t i = 0; i < class_to_objects[c]; i++)
		if ((i * class_to_size[c]) % a != 0)
			return false;
	return true;
}

/*
 * Every request gets an 8-aligned object; one whose size is a multiple
 * of 16 a 16-aligned one; and every class of 32 bytes or more is
 * 16-aligned (mksizeclasses.go: the heap bitmap assumes it).
 */
static void test_alignment_8_16(void)
{
	int bad = 0;
	for (size_t size = 8; size <= MAX_SMALL_SIZE && bad < 5; size += 8) {
		unsigned c = size_to_class(size);
		uint32_t want = size % 16 == 0 ? 16 : 8;
		if (!EXPECTF(objects_aligned(c, want), "size %zu: class %u "
			     "(%u bytes) objects not %u-aligned", size, c,
			     class_to_size[c], want))
			bad++;
	}
	for (unsigned c = 1; c < NUM_SIZE_CLASSES; c++)
		if (class_to_size[c] >= 32)
			EXPECTF(class_to_size[c] % 16 == 0, "class %u: %u bytes, "
				"not a multiple of 16", c, class_to_size[c]);
}

/* Power-of-two sizes are classes, naturally aligned up to a page. */
static void test_alignment_pow2(void)
{
	for (uint32_t p = 8; p <= MAX_SMALL_SIZE; p *= 2) {
		unsigned c = size_to_class(p);
		uint32_t want = p < PAGE_SIZE ? p : PAGE_SIZE;
		EXPECTF(class_to_size[c] == p, "size %u gets class %u of %u "
			"bytes", p, c, class_to_size[c]);
		EXPECTF(objects_aligned(c, want), "size %u: objects not "
			"%u-aligned", p, want);
	}
}

/* The lookup tables rely on these (mksizeclasses.go, step 4). */
static void test_alignment_lookup_grain(void)
{
	for (unsigned c = 1; c < NUM_SIZE_CLASSES; c++) {
		uint32_t grain = class_to_size[c] <= SMALL_SIZE_MAX ?
				 SMALL_SIZE_DIV : LARGE_SIZE_DIV;
		EXPECTF(class_to_size[c] % grain == 0, "class %u: %u bytes, "
			"not a multiple of %u", c, class_to_size[c], grain);
	}
}

/*
 * Go's second table: each row `alignment bits min-obj-size` says every
 * class of min-obj-size bytes or more is that aligned.  Check each row
 * on our classes, and that it is tight: the class just below is not.
 */
static void test_alignment_go_table(void)
{
	static char rows[MAX_LINES][128];
	if (!have_go())
		return;
	int n = comment_lines(go_src, "// alignment ", "const (", "// ", rows);
	EXPECTF(n >= 2, "Go's alignment table has %d lines", n);
	for (int r = 1; r < n; r++) {
		unsigned align, bits, min_size;
		if (!EXPECTF(sscanf(rows[r], "%u %u %u", &align, &bits,
				    &min_size) == 3, "Go's alignment row "
			     "\"%s\"", rows[r]))
			continue;
		EXPECT_EQ(align, 1u << bits);
		for (unsigned c = 1; c < NUM_SIZE_CLASSES; c++) {
			if (class_to_size[c] == min_size && c > 1)
				EXPECTF(class_align(c - 1) < align, "class %u "
					"(%u bytes) is already %u-aligned", c - 1,
					class_to_size[c - 1], align);
			if (class_to_size[c] >= min_size)
				EXPECTF(class_align(c) >= align &&
					objects_aligned(c, align), "class %u (%u "
					"bytes) not %u-aligned", c,
					class_to_size[c], align);
		}
	}
}

/* ---- main -------------------------------------------------------------- */

/* mm/sizeclasses.c: argv[3], or where it is from tests/host or the root. */
static const char *find_mm(int argc, char **argv)
{
	static const char *const where[] = { "../../mm/sizeclasses.c",
					     "mm/sizeclasses.c" };
	if (argc > 3)
		return argv[3];
	for (int i = 0; i < N(where); i++) {
		FILE *f = fopen(where[i], "rb");
		if (f != NULL) {
			fclose(f);
			return where[i];
		}
	}
	return where[0];
}

int main(int argc, char **argv)
{
	t_init(&argc, argv);
	go_path = argc > 1 ? argv[1] : NULL;
	gen_path = argc > 2 ? argv[2] : NULL;
	mm_path = find_mm(argc, argv);
	go_src = go_path ? load(go_path, NULL) : NULL;

	t_run("go/constants", test_go_constants);
	for (int i = 0; i < N(arrays); i++) {
		char name[64];
		snprintf(name, sizeof name, "go/%s", arrays[i].name);
		t_run_arg(name, test_go_array, &arrays[i]);
	}
	t_run("go/class_to_objects", test_go_objects);
	t_run("go/table_comment", test_go_table_comment);
	t_run("generated/identical", test_generated_identical);
	t_run("size_to_class/smallest_fit", test_size_to_class_smallest);
	t_run("classes/sorted", test_classes_sorted);
	t_run("divide_by_elemsize", test_divide_by_elemsize);
	t_run("spans/objects_tail", test_spans);
	t_run("alignment/8_16", test_alignment_8_16);
	t_run("alignment/pow2", test_alignment_pow2);
	t_run("alignment/lookup_grain", test_alignment_lookup_grain);
	t_run("alignment/go_table", test_alignment_go_table);
	int st = t_finish("sizeclass_test");
	free(go_src);
	return st;
}
