/* A directory tree 300 levels deep (d/d/…/d), made and used with paths
 * from the preopen: create it level by level, make and read back a file
 * at the bottom, come back up with 300 ".." (and one too many), follow a
 * symlink at the bottom that climbs back to the top, remove it all. The
 * case runs with at most 256 open descriptors, so resolution may not keep
 * one descriptor per level. Run with the working directory preopened as ".". */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEPTH 300

/* "d/d/…/d" with `levels` components, then `tail`. */
static char *nested(int levels, const char *tail) {
    size_t n = 2 * (size_t)levels + strlen(tail) + 1;
    char *p = malloc(n);
    p[0] = 0;
    for (int i = 0; i < levels; i++) strcat(p, i ? "/d" : "d");
    if (*tail) strcat(p, levels ? "/" : ""), strcat(p, tail);
    return p;
}

static void slurp(const char *what, const char *path) {
    char buf[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: %s (%d)\n", what, errno_name(errno), errno);
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
    printf("%s: \"%s\"\n", what, buf);
    close(fd);
}

static char *ups(int n, const char *tail) {
    char *p = malloc(3 * (size_t)n + strlen(tail) + 1);
    p[0] = 0;
    for (int i = 0; i < n; i++) strcat(p, "../");
    strcat(p, tail);
    return p;
}

int main(void) {
    int fd = open("top.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(fd, "top\n", 4);
    close(fd);

    int made = 0;
    for (int i = 1; i <= DEPTH; i++) {
        char *p = nested(i, "");
        if (mkdir(p, 0755) != 0) {
            printf("mkdir level %d: %s (%d)\n", i, errno_name(errno), errno);
            free(p);
            break;
        }
        made = i;
        free(p);
    }
    printf("levels made: %d\n", made);

    char *bottom = nested(DEPTH, "file.txt");
    fd = open(bottom, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    report("create a file at the bottom", fd);
    if (fd >= 0) {
        write(fd, "bottom\n", 7);
        close(fd);
    }
    slurp("read it back", bottom);
    struct stat st;
    report("stat it", stat(bottom, &st));
    printf("size: %lld\n", (long long)st.st_size);

    char *up_tail = ups(DEPTH, "top.txt");
    char *up = nested(DEPTH, up_tail);
    slurp("300 levels down and 300 up", up);
    char *too_far_tail = ups(DEPTH + 1, "top.txt");
    char *too_far = nested(DEPTH, too_far_tail);
    slurp("300 levels down and 301 up", too_far);

    /* A symlink at the bottom that climbs to the top. */
    char *link = nested(DEPTH, "to-top");
    report("symlink at the bottom to the top", symlink(up_tail, link));
    slurp("read through it", link);
    char *link_out = nested(DEPTH, "out");
    report("symlink at the bottom to beyond the top", symlink(too_far_tail, link_out));
    slurp("read through that", link_out);

    report("unlink the links", unlink(link) | unlink(link_out));
    report("unlink the file", unlink(bottom));
    int removed = 0;
    for (int i = DEPTH; i >= 1; i--) {
        char *p = nested(i, "");
        int r = rmdir(p);
        free(p);
        if (r != 0) {
            printf("rmdir level %d: %s (%d)\n", i, errno_name(errno), errno);
            break;
        }
        removed++;
    }
    printf("levels removed: %d\n", removed);
    unlink("top.txt");
    return 0;
}
