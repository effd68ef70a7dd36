/* Embedded files: the program reads a data directory it was built with.
 *
 *   embed walk DIR…    every preopen (fd, name); then each DIR walked
 *                      depth first, entries sorted: type, size, contents
 *                      (length, a checksum and the first bytes) of files,
 *                      targets of links and what they lead to
 *   embed read FILE    reads FILE every way preview 1 allows: read in
 *                      small pieces, lseek (SET, CUR, END, past the end,
 *                      before the start), pread across the whole file,
 *                      fstat against stat, poll
 *   embed write DIR    tries to change DIR every way: each must fail as on
 *                      a read-only file system; and to leave it
 *   embed peek FILE AT LEN
 *                      prints LEN bytes (at most 64) of FILE at offset AT,
 *                      in hex, reading nothing else
 *
 * Output is independent of the runtime (no inode numbers, devices or
 * times), so the walk and the reads can be compared with the same program
 * under wasmtime on the host copy of the directory. */
#include "rights.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *err(int e) {
    switch (e) {
    case 0: return "OK";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case EXDEV: return "EXDEV";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    default: return "E?";
    }
}

/* Print "<what>: ok" or "<what>: <ENAME>". */
static void says(const char *what, int rc) {
    if (rc >= 0)
        printf("%s: ok\n", what);
    else
        printf("%s: %s\n", what, err(errno));
}

/* FNV-1a: a checksum of contents that every runtime computes the same. */
static uint32_t fnv(const unsigned char *p, size_t n, uint32_t h) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show_file(const char *path, int depth) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%*s  open: %s\n", depth * 2, "", err(errno));
        return;
    }
    unsigned char buf[1000];
    size_t total = 0;
    uint32_t h = 2166136261u;
    char first[17] = {0};
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (total < 16)
            for (ssize_t i = 0; i < n && total + i < 16; i++)
                first[total + i] = (buf[i] >= 32 && buf[i] < 127) ? buf[i] : '.';
        h = fnv(buf, n, h);
        total += n;
    }
    if (n < 0) printf("%*s  read: %s\n", depth * 2, "", err(errno));
    close(fd);
    printf("%*s  %zu bytes, fnv %08x, \"%s\"\n", depth * 2, "", total, h, first);
}

static void walk(const char *dir, int depth) {
    DIR *d = opendir(dir);
    if (!d) {
        printf("%*sopendir %s: %s\n", depth * 2, "", dir, err(errno));
        return;
    }
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (n == cap) names = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    for (int i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) {
            printf("%*s%s: lstat %s\n", depth * 2, "", names[i], err(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            printf("%*s%s/\n", depth * 2, "", names[i]);
            walk(path, depth + 1);
        } else if (S_ISLNK(st.st_mode)) {
            char target[256];
            ssize_t len = readlink(path, target, sizeof target - 1);
            target[len < 0 ? 0 : len] = 0;
            struct stat to;
            int rc = stat(path, &to);
            printf("%*s%s -> %s (size %lld): %s\n", depth * 2, "", names[i], target,
                   (long long)st.st_size,
                   rc != 0 ? err(errno) : S_ISDIR(to.st_mode) ? "a directory" : "a file");
        } else {
            printf("%*s%s (%lld bytes, nlink %llu)\n", depth * 2, "", names[i],
                   (long long)st.st_size, (unsigned long long)st.st_nlink);
            show_file(path, depth);
        }
        free(names[i]);
    }
    free(names);
}

static void preopens(void) {
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t st;
        if (__wasi_fd_prestat_get(fd, &st) != 0) break;
        char name[256];
        size_t len = st.u.dir.pr_name_len;
        if (len >= sizeof name || __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) != 0)
            continue;
        name[len] = 0;
        printf("preopen fd %u: \"%s\"\n", fd, name);
    }
}

/* The preopen called `name`, or -1. */
static int preopen_fd(const char *name) {
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t st;
        if (__wasi_fd_prestat_get(fd, &st) != 0) return -1;
        char buf[256];
        size_t len = st.u.dir.pr_name_len;
        if (len < sizeof buf && __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, len) == 0) {
            buf[len] = 0;
            if (!strcmp(buf, name)) return fd;
        }
    }
}

static void read_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("open %s: %s\n", path, err(errno));
        return;
    }
    struct stat a, b;
    stat(path, &a);
    fstat(fd, &b);
    printf("size %lld, fstat %s, regular %d\n", (long long)a.st_size,
           a.st_size == b.st_size && a.st_ino == b.st_ino && a.st_dev == b.st_dev ? "agrees"
                                                                                 : "differs",
           S_ISREG(b.st_mode));
    /* Pieces of 7 bytes. */
    unsigned char piece[7];
    uint32_t h = 2166136261u;
    size_t total = 0, reads = 0;
    ssize_t n;
    while ((n = read(fd, piece, sizeof piece)) > 0) {
        h = fnv(piece, n, h);
        total += n;
        reads++;
    }
    printf("read in pieces: %zu bytes in %zu reads, fnv %08x, then %zd\n", total, reads, h, n);
    off_t end = lseek(fd, 0, SEEK_END);
    off_t cur = lseek(fd, -3, SEEK_CUR);
    n = read(fd, piece, sizeof piece);
    printf("lseek END %lld, CUR-3 %lld, read %zd\n", (long long)end, (long long)cur, n);
    printf("lseek SET 10 %lld, tell %lld\n", (long long)lseek(fd, 10, SEEK_SET),
           (long long)lseek(fd, 0, SEEK_CUR));
    printf("lseek past the end %lld, read %zd\n", (long long)lseek(fd, end + 100, SEEK_SET),
           read(fd, piece, sizeof piece));
    off_t before = lseek(fd, -1, SEEK_SET);
    printf("lseek before the start: %lld %s\n", (long long)before, before < 0 ? err(errno) : "");
    /* pread in 4096-byte steps at odd offsets: the whole file again. */
    unsigned char *big = malloc(4096);
    uint32_t h2 = 2166136261u;
    size_t got = 0;
    for (off_t at = 0; at < end;) {
        ssize_t k = pread(fd, big, at % 3 == 0 ? 4096 : 1001, at);
        if (k <= 0) break;
        h2 = fnv(big, k, h2);
        got += k;
        at += k;
    }
    printf("pread: %zu bytes, fnv %s, at the end %zd\n", got, h2 == h ? "the same" : "different",
           pread(fd, big, 10, end));
    free(big);
    printf("position after pread: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    printf("poll: %d, revents %s\n", poll(&p, 1, 1000), p.revents & POLLIN ? "POLLIN" : "none");
    close(fd);
}

static void try_writes(const char *dir) {
    char a[512], b[512], file[512], sub[512];
    snprintf(a, sizeof a, "%s/new.txt", dir);
    snprintf(b, sizeof b, "%s/new-dir", dir);
    /* The first regular file and the first directory of DIR. */
    file[0] = sub[0] = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[256];
    int n = 0;
    while (d && (e = readdir(d)) && n < 256)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, n, sizeof *names, cmp);
    for (int i = 0; i < n; i++) {
        char p[512];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && !file[0]) strcpy(file, p);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && !sub[0]) strcpy(sub, p);
    }
    printf("file %s, directory %s\n", file + strlen(dir), sub + strlen(dir));
    says("create new.txt", open(a, O_WRONLY | O_CREAT, 0644));
    says("create existing, exclusive", open(file, O_WRONLY | O_CREAT | O_EXCL, 0644));
    says("open for writing", open(file, O_WRONLY));
    says("open for reading and writing", open(file, O_RDWR));
    says("truncate on open", open(file, O_RDONLY | O_TRUNC));
    says("open a directory for writing", open(sub, O_WRONLY));
    says("mkdir new-dir", mkdir(b, 0755));
    says("mkdir existing", mkdir(sub, 0755));
    says("unlink file", unlink(file));
    says("unlink directory", unlink(sub));
    says("rmdir directory", rmdir(sub));
    says("rmdir file", rmdir(file));
    says("rename file", rename(file, a));
    says("link file", link(file, a));
    says("symlink", symlink("x", a));
    says("utimes", utimensat(AT_FDCWD, file, NULL, 0));
    says("unlink missing", unlink(a));
    int fd = open(file, O_RDONLY);
    says("write to a file open for reading", write(fd, "x", 1));
    says("pwrite", pwrite(fd, "x", 1, 0));
    says("ftruncate", ftruncate(fd, 0));
    says("futimens", futimens(fd, NULL));
    says("fsync", fsync(fd));
    says("posix_fadvise", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0 ? 0 : -1);
    close(fd);
    /* Leaving the directory. */
    char out[512];
    snprintf(out, sizeof out, "%s/../x", dir);
    says("open DIR/../x", open(out, O_RDONLY));
    snprintf(out, sizeof out, "%s/%s/../../x", dir, sub + strlen(dir) + 1);
    says("open DIR/sub/../../x", open(out, O_RDONLY));
    /* The raw calls on the preopen, for the exact WASI errno. */
    int pre = preopen_fd(dir);
    __wasi_fd_t opened;
    printf("path_open .. : %s\n",
           wasi_errno_name(__wasi_path_open(pre, 0, "..", 0, __WASI_RIGHTS_FD_READ, 0, 0, &opened)));
    printf("path_create_directory: %s\n", wasi_errno_name(__wasi_path_create_directory(pre, "zz")));
    printf("path_unlink_file: %s\n",
           wasi_errno_name(__wasi_path_unlink_file(pre, file + strlen(dir) + 1)));
    for (int i = 0; i < n; i++) free(names[i]);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: embed walk|read|write PATH…\n");
        return 2;
    }
    if (!strcmp(argv[1], "walk")) {
        preopens();
        for (int i = 2; i < argc; i++) {
            printf("%s/\n", argv[i]);
            walk(argv[i], 1);
        }
    } else if (!strcmp(argv[1], "read")) {
        for (int i = 2; i < argc; i++) {
            printf("== %s\n", argv[i]);
            read_file(argv[i]);
        }
    } else if (!strcmp(argv[1], "write")) {
        try_writes(argv[2]);
    } else if (!strcmp(argv[1], "peek") && argc == 5) {
        int fd = open(argv[2], O_RDONLY);
        unsigned char buf[64];
        size_t len = strtoul(argv[4], NULL, 10);
        ssize_t n = fd < 0 ? -1 : pread(fd, buf, len < 64 ? len : 64, strtoll(argv[3], NULL, 10));
        if (n < 0) {
            printf("peek: %s\n", err(errno));
            return 1;
        }
        for (ssize_t i = 0; i < n; i++) printf("%02x", buf[i]);
        printf("\n");
    }
    return 0;
}
