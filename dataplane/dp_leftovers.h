/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * What a DPDK primary leaves on the machine after it exits: its hugepage files
 * (`<hugetlbfs mount>/<file-prefix>map_<n>`, which keep their pages reserved) and its
 * runtime directory (`/var/run/dpdk/<file-prefix>`). DPDK 22.11 removes neither on
 * rte_eal_cleanup(), so the next process finds fewer free hugepages (issue 9). guardd
 * removes its own when it exits, cleanly or through rte_exit(); a process killed with
 * SIGKILL leaves them (docs/operator.md gives the command that removes them).
 */
#ifndef DP_LEFTOVERS_H
#define DP_LEFTOVERS_H

/**
 * Remember what to remove at exit for the EAL command line @p argc/@p argv (as given, before
 * rte_eal_init()): the hugepage files of its --file-prefix (default "rte"; none with
 * --no-huge) and @p runtime_dir; nothing with --in-memory, which creates neither. Call after
 * rte_eal_init() succeeded, with rte_eal_get_runtime_dir().
 * @return 0, or -1 if the exit handler could not be registered.
 */
int dp_leftovers_at_exit(int argc, char **argv, const char *runtime_dir);

/**
 * Remove the hugepage files of @p prefix (NULL: none) in every hugetlbfs mount and the
 * runtime directory @p runtime_dir (NULL: none). Only for a prefix no process uses.
 * @return the number of files removed.
 */
int dp_leftovers_remove(const char *prefix, const char *runtime_dir);

#endif
