/* Every fd_* and path_* call on every kind of descriptor: stdio, the
 * preopened directory, a directory opened with and without read rights,
 * files opened read-only, write-only, read-write and with no rights, and a
 * closed number. Prints the WASI errno of each raw call, so what a
 * descriptor may do (its effective rights) is compared call by call with
 * the reference runtime. Run with the working directory preopened as ".". */
#include "rights.h"
#include <stdlib.h>

#define R(x) __WASI_RIGHTS_##x

/* What wasi-libc asks for on open(O_RDONLY) / open(O_WRONLY) of a file. */
#define FILE_READ_RIGHTS                                                                         \
    (R(FD_READ) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_GET) | R(FD_READDIR) | R(FD_ADVISE) |  \
     R(FD_FDSTAT_SET_FLAGS) | R(FD_SYNC) | R(FD_DATASYNC) | R(POLL_FD_READWRITE))
#define FILE_WRITE_RIGHTS                                                                        \
    (R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL) | R(FD_FILESTAT_GET) | R(FD_ADVISE) |                 \
     R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE) | R(FD_FILESTAT_SET_TIMES) |                      \
     R(FD_FDSTAT_SET_FLAGS) | R(FD_SYNC) | R(FD_DATASYNC) | R(POLL_FD_READWRITE))

struct kind {
    const char *name;
    int fd;
    int is_stdio; /* writes of zero bytes only, so nothing reaches the output */
};

static void line(const struct kind *k, const char *call, __wasi_errno_t e) {
    printf("%-10s %-26s %s\n", k->name, call, wasi_errno_name(e));
}

static void fd_calls(const struct kind *k) {
    __wasi_fd_t fd = (__wasi_fd_t)k->fd;
    char buf[256];
    __wasi_size_t n;
    __wasi_filesize_t pos;
    __wasi_iovec_t iov = {(uint8_t *)buf, 1};
    __wasi_ciovec_t ciov = {(const uint8_t *)"x", k->is_stdio ? 0 : 1};
    __wasi_filestat_t fst;
    __wasi_prestat_t pst;

    line(k, "fd_advise", __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_NORMAL));
    line(k, "fd_allocate", __wasi_fd_allocate(fd, 0, 1));
    line(k, "fd_datasync", __wasi_fd_datasync(fd));
    line(k, "fd_sync", __wasi_fd_sync(fd));
    line(k, "fd_fdstat_set_flags(0)", __wasi_fd_fdstat_set_flags(fd, 0));
    __wasi_fdstat_t st;
    if (__wasi_fd_fdstat_get(fd, &st) != 0) st.fs_rights_base = st.fs_rights_inheriting = 0;
    line(k, "fd_fdstat_set_rights(same)",
         __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base, st.fs_rights_inheriting));
    line(k, "fd_fdstat_set_rights(less)",
         __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~R(FD_SEEK), 0));
    line(k, "fd_fdstat_set_rights(more)", __wasi_fd_fdstat_set_rights(fd, RIGHTS_ALL, RIGHTS_ALL));
    line(k, "fd_filestat_get", __wasi_fd_filestat_get(fd, &fst));
    line(k, "fd_filestat_set_size", __wasi_fd_filestat_set_size(fd, 10));
    line(k, "fd_filestat_set_times", __wasi_fd_filestat_set_times(fd, 0, 0, 0));
    line(k, "fd_read", __wasi_fd_read(fd, &iov, 1, &n));
    line(k, "fd_pread", __wasi_fd_pread(fd, &iov, 1, 0, &n));
    line(k, "fd_write", __wasi_fd_write(fd, &ciov, 1, &n));
    line(k, "fd_pwrite", __wasi_fd_pwrite(fd, &ciov, 1, 0, &n));
    line(k, "fd_readdir", __wasi_fd_readdir(fd, (uint8_t *)buf, sizeof buf, 0, &n));
    line(k, "fd_seek(0, cur)", __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos));
    line(k, "fd_seek(2, set)", __wasi_fd_seek(fd, 2, __WASI_WHENCE_SET, &pos));
    line(k, "fd_tell", __wasi_fd_tell(fd, &pos));
    line(k, "fd_prestat_get", __wasi_fd_prestat_get(fd, &pst));
}

/* The path calls with `fd` as the directory; each creates what the next
 * needs and removes it again, so a directory ends as it started. */
static void path_calls(const struct kind *k) {
    __wasi_fd_t fd = (__wasi_fd_t)k->fd;
    __wasi_filestat_t fst;
    char buf[64];
    __wasi_size_t n;
    __wasi_fd_t opened;
    __wasi_errno_t e;

    line(k, "path_create_directory", __wasi_path_create_directory(fd, "m"));
    line(k, "path_filestat_get", __wasi_path_filestat_get(fd, 0, "m", &fst));
    line(k, "path_filestat_set_times", __wasi_path_filestat_set_times(fd, 0, "m", 0, 0, 0));
    line(k, "path_rename", __wasi_path_rename(fd, "m", fd, "m2"));
    line(k, "path_remove_directory", __wasi_path_remove_directory(fd, "m2"));
    e = __wasi_path_open(fd, 0, "p", __WASI_OFLAGS_CREAT, FILE_WRITE_RIGHTS, 0, 0, &opened);
    line(k, "path_open(creat)", e);
    if (e == 0) (void)__wasi_fd_close(opened);
    line(k, "path_link", __wasi_path_link(fd, 0, "p", fd, "p2"));
    line(k, "path_symlink", __wasi_path_symlink("p", fd, "s"));
    line(k, "path_readlink", __wasi_path_readlink(fd, "s", (uint8_t *)buf, sizeof buf, &n));
    line(k, "path_unlink_file(s)", __wasi_path_unlink_file(fd, "s"));
    line(k, "path_unlink_file(p2)", __wasi_path_unlink_file(fd, "p2"));
    line(k, "path_unlink_file(p)", __wasi_path_unlink_file(fd, "p"));
}

int main(void) {
    /* The objects: a 10-byte file and a directory. */
    int f = open_with(3, "f.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                      FILE_WRITE_RIGHTS, 0, 0);
    __wasi_ciovec_t c = {(const uint8_t *)"0123456789", 10};
    __wasi_size_t n;
    if (f < 0 || __wasi_fd_write((__wasi_fd_t)f, &c, 1, &n) || __wasi_fd_close((__wasi_fd_t)f)) {
        printf("setup failed\n");
        return 1;
    }
    show("path_create_directory d", __wasi_path_create_directory(3, "d"));

    struct kind kinds[] = {
        {"stdin", 0, 1},
        {"stdout", 1, 1},
        {"stderr", 2, 1},
        {"preopen", 3, 0},
        {"dir-read", open_with(3, "d", __WASI_OFLAGS_DIRECTORY, FILE_READ_RIGHTS, RIGHTS_ALL, 0), 0},
        {"dir-none", open_with(3, "d", __WASI_OFLAGS_DIRECTORY, 0, 0, 0), 0},
        {"file-ro", open_with(3, "f.txt", 0, FILE_READ_RIGHTS, 0, 0), 0},
        {"file-wo", open_with(3, "f.txt", 0, FILE_WRITE_RIGHTS, 0, 0), 0},
        {"file-rw", open_with(3, "f.txt", 0, FILE_READ_RIGHTS | FILE_WRITE_RIGHTS, 0, 0), 0},
        {"file-none", open_with(3, "f.txt", 0, 0, 0, 0), 0},
        {"closed", 99, 0},
    };
    int count = sizeof kinds / sizeof kinds[0];
    for (int i = 0; i < count; i++) {
        if (kinds[i].fd < 0) {
            printf("open %s: %s\n", kinds[i].name, wasi_errno_name((__wasi_errno_t)-kinds[i].fd));
            kinds[i].fd = 98; /* a closed number: the rows then show BADF */
        }
    }
    for (int i = 0; i < count; i++) print_fdstat(kinds[i].name, (__wasi_fd_t)kinds[i].fd);
    for (int i = 0; i < count; i++) fd_calls(&kinds[i]);
    for (int i = 0; i < count; i++) path_calls(&kinds[i]);
    return 0;
}
