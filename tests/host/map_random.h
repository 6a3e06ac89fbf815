/*
 * map_random.h - map_test's randomized runs (map_random.c): maps of
 * several key and value kinds against a reference, with live iterators.
 */
#ifndef GOHART_HOST_MAP_RANDOM_H
#define GOHART_HOST_MAP_RANDOM_H

#include <stdbool.h>
#include <stdint.h>

/* One randomized run: a key kind, a seed for everything, how long. */
struct map_random_row {
	const char *name;       /* the case name */
	int kind;               /* index into map_random.c's kinds[] */
	uint64_t seed;          /* hashkey, map_fastrand and the operations */
	uint64_t ops;
	bool grow;              /* fill up: no clears, puts outweigh deletes */
};

extern const struct map_random_row map_random_rows[];
extern const int map_random_nrows;

/* The case: run row (a struct map_random_row *). */
void map_random_run(const void *row);

#endif
