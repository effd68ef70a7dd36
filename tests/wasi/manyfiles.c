/* A directory with more entries than one fd_readdir buffer holds: every
 * entry must be listed exactly once (cookies continue where the last call
 * stopped), then removed. Names are long to fill buffers quickly. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define N 400

int main(void) {
    char name[128];
    report("mkdir many", mkdir("many", 0755));
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "many/entry_%03d_with_a_rather_long_name_to_fill_readdir_buffers.txt", i);
        int fd = open(name, O_CREAT | O_WRONLY, 0644);
        if (fd < 0) {
            printf("create %s: %s (%d)\n", name, errno_name(errno), errno);
            return 1;
        }
        write(fd, name, (size_t)i % 7);
        close(fd);
    }
    static int seen[N];
    int entries = 0, dots = 0, unknown = 0, dups = 0, wrong_type = 0;
    DIR *d = opendir("many");
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
            dots++;
            continue;
        }
        int i;
        if (sscanf(e->d_name, "entry_%d_", &i) != 1 || i < 0 || i >= N) {
            unknown++;
            continue;
        }
        if (seen[i]++) dups++;
        if (e->d_type != DT_REG) wrong_type++;
        entries++;
    }
    closedir(d);
    int missing = 0;
    for (int i = 0; i < N; i++) missing += !seen[i];
    printf("entries: %d, missing: %d, duplicates: %d, unknown: %d, not regular: %d\n",
           entries, missing, dups, unknown, wrong_type);

    /* rewinddir / telldir+seekdir */
    d = opendir("many");
    int first_pass = 0;
    while (readdir(d)) first_pass++;
    rewinddir(d);
    int second_pass = 0;
    while (readdir(d)) second_pass++;
    printf("rewinddir gives the same count: %s\n", first_pass == second_pass ? "yes" : "no");
    closedir(d);

    long total = 0;
    for (int i = 0; i < N; i++) {
        struct stat st;
        snprintf(name, sizeof name, "many/entry_%03d_with_a_rather_long_name_to_fill_readdir_buffers.txt", i);
        if (stat(name, &st) == 0) total += st.st_size;
        if (unlink(name) != 0) printf("unlink %s: %s\n", name, errno_name(errno));
    }
    printf("total size: %ld\n", total);
    report("rmdir many", rmdir("many"));
    return 0;
}
