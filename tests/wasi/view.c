/* View: everything the program is given at start-up, in a stable form:
 * every argument (argv[0] included), the environment sorted, and each
 * preopened directory (fd, name, and its entries sorted). Used to check
 * how the manifest's `wasi` settings and WASMLINK_FLAGS combine. */
#include "common.h"
#include <dirent.h>
#include <stdlib.h>
#include <wasi/api.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        report("  list", -1);
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("  entries:");
    for (int i = 0; i < n; i++) printf(" %s", names[i]);
    printf("\n");
}

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=\"%s\"\n", i, argv[i]);

    int n = 0;
    while (environ[n]) n++;
    char **v = malloc((n + 1) * sizeof *v);
    memcpy(v, environ, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp);
    printf("env: %d variables\n", n);
    for (int i = 0; i < n; i++) printf("  %s\n", v[i]);

    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t st;
        if (__wasi_fd_prestat_get(fd, &st) != 0) break;
        char name[256];
        size_t len = st.u.dir.pr_name_len;
        if (len >= sizeof name || __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) != 0) {
            printf("preopen fd %u: unreadable name\n", fd);
            continue;
        }
        name[len] = 0;
        printf("preopen fd %u: \"%s\"\n", fd, name);
        list_dir(name);
    }
    return 0;
}
