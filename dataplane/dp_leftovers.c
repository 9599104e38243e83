/* SPDX-License-Identifier: BSD-3-Clause */
#include <dirent.h>
#include <limits.h>
#include <mntent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dp_leftovers.h"

/* What the exit handler removes: set once before it is registered, read only at exit. */
static char exit_prefix[NAME_MAX];
static bool exit_hugefiles;
static char exit_runtime_dir[PATH_MAX];

/* "<prefix>map_<digits>": the names DPDK 22.11 gives hugepage files. */
static bool
is_hugefile_of(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(name, prefix, n) != 0 || strncmp(name + n, "map_", 4) != 0)
		return false;
	name += n + 4;
	if (*name == '\0')
		return false;
	for (; *name != '\0'; name++)
		if (*name < '0' || *name > '9')
			return false;
	return true;
}

static int
remove_in_dir(const char *dir, const char *prefix)
{
	char path[PATH_MAX];
	struct dirent *e;
	int removed = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (prefix != NULL && !is_hugefile_of(e->d_name, prefix))
			continue;
		if (prefix == NULL && e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path) &&
		    unlink(path) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int
dp_leftovers_remove(const char *prefix, const char *runtime_dir)
{
	struct mntent *me;
	int removed = 0;
	FILE *mounts = prefix != NULL ? setmntent("/proc/mounts", "r") : NULL;

	if (mounts != NULL) {
		while ((me = getmntent(mounts)) != NULL)
			if (strcmp(me->mnt_type, "hugetlbfs") == 0)
				removed += remove_in_dir(me->mnt_dir, prefix);
		endmntent(mounts);
	}
	if (runtime_dir != NULL && runtime_dir[0] != '\0') {
		removed += remove_in_dir(runtime_dir, NULL);
		(void)rmdir(runtime_dir);
	}
	return removed;
}

static void
remove_at_exit(void)
{
	dp_leftovers_remove(exit_hugefiles ? exit_prefix : NULL, exit_runtime_dir);
}

int
dp_leftovers_at_exit(int argc, char **argv, const char *runtime_dir)
{
	const char *prefix = "rte";

	exit_hugefiles = true;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--in-memory") == 0)
			return 0; /* neither hugepage files nor a runtime directory */
		if (strcmp(argv[i], "--no-huge") == 0)
			exit_hugefiles = false;
		if (strcmp(argv[i], "--file-prefix") == 0 && i + 1 < argc)
			prefix = argv[++i];
		else if (strncmp(argv[i], "--file-prefix=", 14) == 0)
			prefix = argv[i] + 14;
	}
	if (strlen(prefix) >= sizeof(exit_prefix) ||
	    strlen(runtime_dir) >= sizeof(exit_runtime_dir))
		return -1;
	strcpy(exit_prefix, prefix);
	strcpy(exit_runtime_dir, runtime_dir);
	return atexit(remove_at_exit) == 0 ? 0 : -1;
}
