/* Replay driver: runs a fuzz target's LLVMFuzzerTestOneInput() over files
 * without libFuzzer, so `make check` (and its sanitizer and valgrind runs)
 * keeps every corpus entry and every crash reproducer passing.
 *
 *     replay_TARGET              replay the committed inputs of TARGET:
 *                                FUZZ_DIR/corpus/TARGET/ and
 *                                FUZZ_DIR/crashes/TARGET/ (never pending/)
 *     replay_TARGET PATH...      replay these files or directories
 *
 * Output is TAP, one test per file, in sorted order. A file is announced
 * on stdout (flushed) before it runs, so when a sanitizer or FUZZ_CHECK()
 * aborts the process the log names the input. A crash ends the process:
 * the TAP driver then reports the missing results as an error. Finding no
 * input at all is a failure too: an empty replay would prove nothing. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET must name the target"
#endif
#ifndef FUZZ_DIR
#error "FUZZ_DIR must be the absolute path of tests/fuzz"
#endif

static unsigned replay_n;
static unsigned replay_failed;

/* Paths under FUZZ_DIR are shown relative to it ("corpus/rdf/pg11.rdf"). */
static const char *replay_name(const char *path)
{
	size_t n = strlen(FUZZ_DIR);

	if (strncmp(path, FUZZ_DIR, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

static void replay_result(int ok, const char *path, const char *why)
{
	path = replay_name(path);
	replay_n++;
	if (!ok)
		replay_failed++;
	printf("%sok %u - %s%s%s\n", ok ? "" : "not ", replay_n, path,
	       why ? ": " : "", why ? why : "");
	fflush(stdout);
}

/* Read a whole file into a buffer of exactly its size (at least one byte
 * allocated), so that ASan sees any read past the input's end. */
static unsigned char *replay_read(const char *path, size_t *size)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (len == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	{
		unsigned char *exact = malloc(len ? len : 1);

		if (!exact) {
			free(buf);
			return NULL;
		}
		memcpy(exact, buf, len);
		free(buf);
		*size = len;
		return exact;
	}
}

static void replay_file(const char *path)
{
	unsigned char *data;
	size_t size = 0;

	data = replay_read(path, &size);
	if (!data) {
		replay_result(0, path, strerror(errno));
		return;
	}
	printf("# %s (%zu bytes)\n", path, size);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	replay_result(1, path, NULL);
}

static int replay_skip(const char *name)
{
	/* Hidden files (.gitignore, editor droppings) and documentation. */
	size_t len = strlen(name);

	return name[0] == '.' ||
	       (len > 3 && strcmp(name + len - 3, ".md") == 0);
}

/* Replay PATH: a file, or every regular file of a directory (not
 * recursive), sorted by name. Returns how many files ran; a missing
 * directory counts as none when optional. */
static unsigned replay_path(const char *path, int optional)
{
	struct dirent **list;
	struct stat st;
	unsigned ran = 0;
	int n, i;

	if (stat(path, &st) != 0) {
		if (!optional)
			replay_result(0, path, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path);
		return 1;
	}
	n = scandir(path, &list, NULL, alphasort);
	if (n < 0) {
		replay_result(0, path, strerror(errno));
		return 0;
	}
	for (i = 0; i < n; i++) {
		char *full;
		struct stat fst;

		if (!replay_skip(list[i]->d_name) &&
		    asprintf(&full, "%s/%s", path, list[i]->d_name) >= 0) {
			if (stat(full, &fst) == 0 && S_ISREG(fst.st_mode)) {
				replay_file(full);
				ran++;
			}
			free(full);
		}
		free(list[i]);
	}
	free(list);
	return ran;
}

int main(int argc, char **argv)
{
	unsigned ran = 0;
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			ran += replay_path(argv[i], 0);
	} else {
		ran += replay_path(FUZZ_DIR "/corpus/" FUZZ_TARGET, 0);
		ran += replay_path(FUZZ_DIR "/crashes/" FUZZ_TARGET, 1);
	}
	if (ran == 0 && replay_failed == 0)
		replay_result(0, FUZZ_TARGET, "no input to replay");
	printf("1..%u\n", replay_n);
	return replay_failed ? 1 : 0;
}
