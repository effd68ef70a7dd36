/* Directories: mkdir, readdir (listing sorted by the program), rmdir,
 * unlink, rename of files and directories, and their errors. Run with the
 * working directory preopened as "."; the setup provides tree/ with a few
 * entries. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Print the entries of `path` (without . and ..) sorted, with their type. */
static void list(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        printf("opendir %s: %s (%d)\n", path, errno_name(errno), errno);
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *s = malloc(strlen(e->d_name) + 3);
        const char *t = e->d_type == DT_DIR ? "/" : e->d_type == DT_REG ? "" : "?";
        sprintf(s, "%s%s", e->d_name, t);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("ls %s:", path);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void touch(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) {
        printf("create %s: %s (%d)\n", path, errno_name(errno), errno);
        return;
    }
    write(fd, text, strlen(text));
    close(fd);
}

static void kind(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0)
        printf("stat %s: %s (%d)\n", path, errno_name(errno), errno);
    else
        printf("stat %s: %s size=%ld\n", path,
               S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other",
               S_ISDIR(st.st_mode) ? 0L : (long)st.st_size);
}

int main(void) {
    /* the tree prepared by the setup */
    list("tree");
    list("tree/sub");
    kind("tree");
    kind("tree/one.txt");

    report("mkdir d", mkdir("d", 0755));
    report("mkdir d again", mkdir("d", 0755));
    report("mkdir d/sub", mkdir("d/sub", 0755));
    report("mkdir missing/x", mkdir("missing/x", 0755));
    touch("d/b.txt", "bb");
    touch("d/a.txt", "a");
    touch("d/c", "cccc");
    touch("d/sub/deep.txt", "deep");
    list("d");
    list("d/sub");
    kind("d");
    kind("d/c");

    report("rmdir non-empty d", rmdir("d"));
    report("rmdir a file", rmdir("d/a.txt"));
    report("unlink a directory", unlink("d/sub"));
    report("mkdir over a file", mkdir("d/a.txt", 0755));
    report("open dir/file as dir", open("d/a.txt/x", O_RDONLY));
    report("opendir on a file", opendir("d/a.txt") ? 0 : -1);

    report("rename d/a.txt -> d/z.txt", rename("d/a.txt", "d/z.txt"));
    kind("d/a.txt");
    kind("d/z.txt");
    report("rename file over file", rename("d/b.txt", "d/c"));
    kind("d/c");
    report("rename missing", rename("d/nope", "d/nope2"));
    report("rename dir d/sub -> d/sub2", rename("d/sub", "d/sub2"));
    list("d");
    list("d/sub2");

    report("unlink d/z.txt", unlink("d/z.txt"));
    report("unlink d/c", unlink("d/c"));
    report("unlink missing", unlink("d/c"));
    report("unlink d/sub2/deep.txt", unlink("d/sub2/deep.txt"));
    report("rmdir d/sub2", rmdir("d/sub2"));
    list("d");
    report("rmdir d", rmdir("d"));
    report("rmdir d again", rmdir("d"));
    list(".");
    return 0;
}
