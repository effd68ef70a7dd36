/* Closedfds: what the standard descriptors are, then a file written in the
 * preopened directory and a trap. Run with some of fds 0-2 closed by the
 * caller (`exec app <&- 2>&-`): they must be /dev/null, never the
 * preopened directory or a file the program opens. */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <wasi/api.h>

static const char *filetype(__wasi_fd_t fd) {
    __wasi_fdstat_t st;
    if (__wasi_fd_fdstat_get(fd, &st) != 0) return "closed";
    switch (st.fs_filetype) {
    case __WASI_FILETYPE_CHARACTER_DEVICE: return "character device";
    case __WASI_FILETYPE_DIRECTORY: return "directory";
    case __WASI_FILETYPE_REGULAR_FILE: return "regular file";
    case __WASI_FILETYPE_SOCKET_STREAM: return "socket";
    default: return "other";
    }
}

int main(void) {
    for (int fd = 0; fd < 3; fd++) printf("fd %d: %s\n", fd, filetype(fd));
    char buf[16];
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0)
        printf("read stdin: %s (%d)\n", errno_name(errno), errno);
    else
        printf("read stdin: %zd bytes\n", n);
    fflush(stdout);
    int fd = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (report("open out.txt", fd) < 0) return 1;
    write(fd, "written by the program\n", 23);
    printf("wrote out.txt, now trapping\n");
    fflush(stdout);
    abort();
}
