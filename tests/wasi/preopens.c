/* Several preopened directories under absolute guest paths (/data, /out):
 * their file descriptors and names, reading from one and writing to the
 * other, paths that would cross from one to the other through "..", and
 * paths under no preopen at all. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static void cat(const char *path) {
    char buf[128];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("read %s: %s (%d)\n", path, errno_name(errno), errno);
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
    printf("read %s: \"%s\"\n", path, buf);
    close(fd);
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ls(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        printf("ls %s: %s (%d)\n", path, errno_name(errno), errno);
        return;
    }
    char *names[32];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 32)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("ls %s:", path);
    for (int i = 0; i < n; i++) printf(" %s", names[i]);
    printf("\n");
}

int main(void) {
    for (int fd = 3; fd < 10; fd++) {
        __wasi_prestat_t pre;
        __wasi_errno_t e = __wasi_fd_prestat_get(fd, &pre);
        if (e) {
            printf("fd %d: %s\n", fd, errno_name(e));
            break;
        }
        char name[64] = "";
        e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, pre.u.dir.pr_name_len);
        printf("fd %d: preopen \"%.*s\"\n", fd, (int)pre.u.dir.pr_name_len, name);
    }
    ls("/data");
    ls("/out");
    cat("/data/input.txt");

    int fd = open("/out/result.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    report("create /out/result.txt", fd);
    write(fd, "result\n", 7);
    close(fd);
    cat("/out/result.txt");
    ls("/out");

    cat("/data/../out/result.txt");
    cat("/out/../data/input.txt");
    cat("/data/./input.txt");
    cat("/elsewhere/x");
    cat("input.txt");
    report("mkdir /newdir", mkdir("/newdir", 0755));
    report("rename /out/result.txt -> /data/moved.txt",
           rename("/out/result.txt", "/data/moved.txt"));
    cat("/data/moved.txt");
    report("chdir /data", chdir("/data"));
    cat("input.txt");
    cat("moved.txt");
    report("unlink moved.txt", unlink("moved.txt"));
    ls("/data");
    ls("/out");
    return 0;
}
