/* The rights a descriptor gets, and keeps: path_open with every access
 * mode and oflag combination (which rights and inheriting rights are asked
 * for, which are reported), opening beneath a directory opened with
 * path_open and beneath one whose rights the program tried to narrow,
 * re-opening the preopen with its own rights, attempts to narrow and to
 * widen, fd_renumber (the rights move with the descriptor), and what
 * wasi-libc derives from the rights (open flags, isatty, lseek).
 * Run with the working directory preopened as ".". */
#include "rights.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define R(x) __WASI_RIGHTS_##x

static void opened(const char *what, int fd) {
    if (fd < 0) {
        printf("fdstat %s: open failed: %s\n", what, wasi_errno_name((__wasi_errno_t)-fd));
        return;
    }
    print_fdstat(what, (__wasi_fd_t)fd);
    (void)__wasi_fd_close((__wasi_fd_t)fd);
}

/* Can `fd` be read and written? (Answers by errno, after the call.) */
static void try_io(const char *what, int fd) {
    char c;
    __wasi_iovec_t iov = {(uint8_t *)&c, 1};
    __wasi_ciovec_t ciov = {(const uint8_t *)"z", 1};
    __wasi_size_t n;
    printf("%s: read %s, write %s\n", what, wasi_errno_name(__wasi_fd_read(fd, &iov, 1, &n)),
           wasi_errno_name(__wasi_fd_pwrite(fd, &ciov, 1, 100, &n)));
}

static const char *accmode(int fl) {
    switch (fl & O_ACCMODE) {
    case O_RDONLY: return "O_RDONLY";
    case O_WRONLY: return "O_WRONLY";
    case O_RDWR: return "O_RDWR";
    default: return "other";
    }
}

int main(void) {
    int f = open("f.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(f, "0123456789", 10);
    close(f);
    mkdir("d", 0755);

    printf("== path_open: base rights choose the access mode\n");
    opened("FD_READ", open_with(3, "f.txt", 0, R(FD_READ), 0, 0));
    opened("FD_WRITE", open_with(3, "f.txt", 0, R(FD_WRITE), 0, 0));
    opened("FD_READ|FD_WRITE", open_with(3, "f.txt", 0, R(FD_READ) | R(FD_WRITE), 0, 0));
    opened("none", open_with(3, "f.txt", 0, 0, 0, 0));
    opened("FD_SEEK only", open_with(3, "f.txt", 0, R(FD_SEEK), 0, 0));
    opened("all", open_with(3, "f.txt", 0, RIGHTS_ALL, RIGHTS_ALL, 0));
    opened("FD_READ + TRUNC", open_with(3, "f.txt", __WASI_OFLAGS_TRUNC, R(FD_READ), 0, 0));
    opened("FD_READ + CREAT", open_with(3, "g.txt", __WASI_OFLAGS_CREAT, R(FD_READ), 0, 0));
    opened("none + CREAT", open_with(3, "g.txt", __WASI_OFLAGS_CREAT, 0, 0, 0));
    opened("FD_WRITE + CREAT", open_with(3, "g.txt", __WASI_OFLAGS_CREAT, R(FD_WRITE), 0, 0));
    opened("APPEND", open_with(3, "g.txt", 0, R(FD_WRITE), 0, __WASI_FDFLAGS_APPEND));
    opened("NONBLOCK", open_with(3, "g.txt", 0, R(FD_READ), 0, __WASI_FDFLAGS_NONBLOCK));
    opened("SYNC", open_with(3, "g.txt", 0, R(FD_WRITE), 0, __WASI_FDFLAGS_SYNC));
    opened("DSYNC", open_with(3, "g.txt", 0, R(FD_WRITE), 0, __WASI_FDFLAGS_DSYNC));
    opened("RSYNC", open_with(3, "g.txt", 0, R(FD_READ), 0, __WASI_FDFLAGS_RSYNC));

    printf("== path_open: the inheriting rights asked for do not matter\n");
    opened("inheriting none", open_with(3, "f.txt", 0, R(FD_READ) | R(FD_WRITE), 0, 0));
    opened("inheriting FD_READ", open_with(3, "f.txt", 0, R(FD_READ) | R(FD_WRITE), R(FD_READ), 0));
    opened("base beyond the preopen's inheriting",
           open_with(3, "f.txt", 0, R(SOCK_ACCEPT) | R(FD_READ), R(SOCK_ACCEPT), 0));

    printf("== directories\n");
    opened("dir, FD_READDIR", open_with(3, "d", __WASI_OFLAGS_DIRECTORY, R(FD_READDIR), 0, 0));
    opened("dir, no rights", open_with(3, "d", 0, 0, 0, 0));
    opened("dir, FD_WRITE", open_with(3, "d", __WASI_OFLAGS_DIRECTORY, R(FD_WRITE), 0, 0));
    opened("dir, FD_READ|FD_WRITE", open_with(3, "d", 0, R(FD_READ) | R(FD_WRITE), 0, 0));
    opened("dir + CREAT", open_with(3, "d", __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_CREAT,
                                    R(FD_READDIR), 0, 0));
    opened("dir + TRUNC", open_with(3, "d", __WASI_OFLAGS_DIRECTORY | __WASI_OFLAGS_TRUNC,
                                    R(FD_READDIR), 0, 0));
    opened("file + DIRECTORY", open_with(3, "f.txt", __WASI_OFLAGS_DIRECTORY, R(FD_READ), 0, 0));

    printf("== re-opening the preopen with its own rights\n");
    __wasi_fdstat_t pre;
    show("fdstat 3", __wasi_fd_fdstat_get(3, &pre));
    int again = open_with(3, ".", __WASI_OFLAGS_DIRECTORY, pre.fs_rights_base,
                          pre.fs_rights_inheriting, 0);
    print_fdstat("preopen re-opened", again < 0 ? 99 : (__wasi_fd_t)again);
    if (again >= 0) {
        __wasi_prestat_t ps;
        show("  prestat of the re-opened preopen", __wasi_fd_prestat_get(again, &ps));
        opened("  a file beneath it", open_with(again, "f.txt", 0, R(FD_READ), 0, 0));
        opened("  its parent", open_with(again, "..", __WASI_OFLAGS_DIRECTORY, 0, 0, 0));
    }

    printf("== narrowing and widening\n");
    show("narrow the preopen to FD_READDIR",
         __wasi_fd_fdstat_set_rights(3, R(FD_READDIR), R(FD_READ)));
    show("widen the preopen to all", __wasi_fd_fdstat_set_rights(3, RIGHTS_ALL, RIGHTS_ALL));
    print_fdstat("preopen after both", 3);
    opened("a file beneath the narrowed preopen",
           open_with(3, "f.txt", 0, R(FD_READ) | R(FD_WRITE), R(FD_READ), 0));
    int d = open_with(3, "d", __WASI_OFLAGS_DIRECTORY, R(FD_READDIR) | R(PATH_OPEN), 0, 0);
    show("narrow a directory to nothing", __wasi_fd_fdstat_set_rights(d, 0, 0));
    opened("a file created beneath it",
           open_with(d, "h.txt", __WASI_OFLAGS_CREAT, R(FD_READ) | R(FD_WRITE), 0, 0));
    show("mkdir beneath it", __wasi_path_create_directory(d, "sub"));
    int ro = open_with(3, "f.txt", 0, R(FD_READ), 0, 0);
    show("narrow a read-only file to FD_READ", __wasi_fd_fdstat_set_rights(ro, R(FD_READ), 0));
    show("widen it to FD_WRITE", __wasi_fd_fdstat_set_rights(ro, R(FD_READ) | R(FD_WRITE), 0));
    try_io("the read-only file", ro);
    show("narrow stdout", __wasi_fd_fdstat_set_rights(1, 0, 0));
    print_fdstat("stdout after", 1);

    printf("== fd_renumber moves the rights with the descriptor\n");
    int wo = open_with(3, "f.txt", 0, R(FD_WRITE), 0, 0);
    show("renumber read-only file over the write-only one", __wasi_fd_renumber(ro, wo));
    print_fdstat("renumbered", wo);
    try_io("renumbered", wo);
    show("renumber the directory over it", __wasi_fd_renumber(d, wo));
    print_fdstat("renumbered directory", wo);
    opened("a file beneath the renumbered directory", open_with(wo, "h.txt", 0, R(FD_READ), 0, 0));
    /* stderr moves over a file (and stays there: fd 2 is free after). */
    int spare = open_with(3, "f.txt", 0, R(FD_READ), 0, 0);
    show("renumber stderr over a file", __wasi_fd_renumber(2, spare));
    print_fdstat("the moved stderr", spare);
    __wasi_filesize_t pos;
    show("seek on it", __wasi_fd_seek(spare, 0, __WASI_WHENCE_CUR, &pos));
    __wasi_ciovec_t hello = {(const uint8_t *)"written through the moved stderr\n", 33};
    __wasi_size_t n;
    show("write to it", __wasi_fd_write(spare, &hello, 1, &n));
    show("fdstat 2", __wasi_fd_fdstat_get(2, &pre));
    show("renumber onto 2, now closed", __wasi_fd_renumber(spare, 2));
    show("renumber onto a closed number", __wasi_fd_renumber(3, 77));

    printf("== what wasi-libc makes of the rights\n");
    int rd = open("f.txt", O_RDONLY), wr = open("f.txt", O_WRONLY), rw = open("f.txt", O_RDWR);
    printf("fcntl F_GETFL: %s %s %s\n", accmode(fcntl(rd, F_GETFL)), accmode(fcntl(wr, F_GETFL)),
           accmode(fcntl(rw, F_GETFL)));
    print_fdstat("open(O_RDONLY)", rd);
    print_fdstat("open(O_WRONLY)", wr);
    DIR *dir = opendir("d");
    print_fdstat("opendir", dir ? dirfd(dir) : 99);
    printf("fcntl F_GETFL of stdin %s, stdout %s\n", accmode(fcntl(0, F_GETFL)),
           accmode(fcntl(1, F_GETFL)));
    printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));
    errno = 0;
    off_t o = lseek(1, 0, SEEK_CUR);
    printf("lseek(stdout): %lld %s\n", (long long)o, o < 0 ? strerror(errno) : "");
    errno = 0;
    o = lseek(3, 0, SEEK_CUR);
    printf("lseek(preopen): %lld %s\n", (long long)o, o < 0 ? strerror(errno) : "");
    return 0;
}
