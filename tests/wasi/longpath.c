/* Long paths: one byte short of PATH_MAX (4096, counting the NUL) is
 * resolved as usual, PATH_MAX bytes and more are ENAMETOOLONG — up to a
 * 64 MiB path of "a/a/a/…", which must be refused without the runtime
 * copying or splitting it (the case runs under a memory limit). Every
 * call taking a path is tried, and symlink targets of those lengths.
 * At exactly PATH_MAX only the calls are shown for which the reference
 * runtime also says ENAMETOOLONG (for others it walks the path and
 * reports the first missing component, ENOENT).
 * Run with the working directory preopened as ".". */
#include "rights.h"
#include <stdlib.h>

/* "a/a/…/a" of exactly `n` bytes (n odd) or ending in "/" (n even). */
static char *path_of(size_t n) {
    char *p = malloc(n + 1);
    if (!p) return NULL;
    for (size_t i = 0; i < n; i++) p[i] = (i & 1) ? '/' : 'a';
    p[n] = 0;
    return p;
}

int main(void) {
    show("mkdir a", __wasi_path_create_directory(3, "a"));
    size_t sizes[] = {4095, 4096, 100000, (size_t)64 << 20};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        char *p = path_of(n);
        if (!p) {
            printf("out of guest memory\n");
            return 1;
        }
        printf("== %zu bytes\n", n);
        __wasi_fd_t fd;
        __wasi_filestat_t st;
        char buf[16];
        __wasi_size_t used;
        show("path_open", __wasi_path_open(3, 0, p, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
        show("path_open creat",
             __wasi_path_open(3, 0, p, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
        show("path_filestat_get", __wasi_path_filestat_get(3, 0, p, &st));
        show("path_filestat_set_times", __wasi_path_filestat_set_times(3, 0, p, 0, 0, 0));
        if (n != 4096) show("path_create_directory", __wasi_path_create_directory(3, p));
        show("path_remove_directory", __wasi_path_remove_directory(3, p));
        show("path_unlink_file", __wasi_path_unlink_file(3, p));
        show("path_readlink", __wasi_path_readlink(3, p, (uint8_t *)buf, sizeof buf, &used));
        if (n != 4096) show("path_rename from", __wasi_path_rename(3, p, 3, "x"));
        if (n != 4096) show("path_rename to", __wasi_path_rename(3, "a", 3, p));
        show("path_link from", __wasi_path_link(3, 0, p, 3, "x"));
        show("path_link to", __wasi_path_link(3, 0, "a", 3, p));
        show("path_symlink at", __wasi_path_symlink("a", 3, p));
        __wasi_errno_t e = __wasi_path_symlink(p, 3, "long-link");
        show("path_symlink with it as target", e);
        if (e == 0) {
            show("path_filestat_get through it", __wasi_path_filestat_get(3, 1, "long-link", &st));
            show("unlink it", __wasi_path_unlink_file(3, "long-link"));
        }
        free(p);
    }
    show("rmdir a", __wasi_path_remove_directory(3, "a"));
    return 0;
}
