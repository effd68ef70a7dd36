/* Less common file-system calls: timestamps, links and symlinks inside the
 * sandbox, fd renumbering, fd flags, sync, advise, and what stdio
 * descriptors are. Run with the working directory preopened as ".". */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <wasi/api.h>

static void slurp(const char *path) {
    char buf[64];
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

int main(void) {
    struct stat st;
    int fd = open("f.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "content\n", 8);

    /* timestamps */
    struct timespec times[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
    report("futimens", futimens(fd, times));
    fstat(fd, &st);
    printf("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec t2[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
    report("utimensat (omit atime)", utimensat(AT_FDCWD, "f.txt", t2, 0));
    stat("f.txt", &st);
    printf("atime %lld mtime %lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);

    /* flags: O_APPEND through fcntl */
    int fl = fcntl(fd, F_GETFL);
    printf("O_APPEND before: %d, access mode rdwr: %d\n", !!(fl & O_APPEND), (fl & O_ACCMODE) == O_RDWR);
    report("fcntl F_SETFL O_APPEND", fcntl(fd, F_SETFL, fl | O_APPEND));
    lseek(fd, 0, SEEK_SET);
    write(fd, "appended\n", 9);
    printf("O_APPEND after: %d, size %ld\n", !!(fcntl(fd, F_GETFL) & O_APPEND),
           (long)lseek(fd, 0, SEEK_END));

    report("fsync", fsync(fd));
    report("fdatasync", fdatasync(fd));
    printf("posix_fadvise: %s\n", errno_name(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)));

    /* fd_renumber(f, g): g becomes f, f is closed */
    int fd2 = open("g.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    __wasi_errno_t e = __wasi_fd_renumber(fd, fd2);
    printf("fd_renumber(f, g): %s\n", errno_name(e));
    report("fstat old fd after renumber", fstat(fd, &st));
    report("fstat new fd after renumber", fstat(fd2, &st));
    printf("new fd size: %ld\n", (long)st.st_size);
    close(fd2);
    printf("fd_renumber(99, 0): %s\n", errno_name(__wasi_fd_renumber(99, 0)));

    /* hard link and symlinks inside the sandbox */
    report("link f.txt h.txt", link("f.txt", "h.txt"));
    stat("f.txt", &st);
    printf("nlink: %ld\n", (long)st.st_nlink);
    slurp("h.txt");
    report("symlink f.txt s.txt", symlink("f.txt", "s.txt"));
    report("mkdir d", mkdir("d", 0755));
    report("symlink ../f.txt d/up.txt", symlink("../f.txt", "d/up.txt"));
    slurp("d/up.txt");
    char target[64];
    ssize_t n = readlink("d/up.txt", target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    printf("readlink d/up.txt: %zd \"%s\"\n", n, target);
    report("readlink on a file", (int)readlink("f.txt", target, sizeof target));
    report("lstat s.txt", lstat("s.txt", &st));
    printf("s.txt is a symlink: %d\n", S_ISLNK(st.st_mode));
    report("symlink over existing", symlink("f.txt", "h.txt"));
    report("symlink to absolute path", symlink("/etc/passwd", "abs.txt"));
    report("unlink s.txt", unlink("s.txt"));
    report("unlink d/up.txt", unlink("d/up.txt"));
    unlink("abs.txt");
    report("rmdir d", rmdir("d"));
    unlink("h.txt");
    unlink("g.txt");
    unlink("f.txt");

    /* descriptors: stdout, the preopen (a directory: no read/write), none */
    __wasi_fdstat_t fs;
    printf("fdstat(1): %s\n", errno_name(__wasi_fd_fdstat_get(1, &fs)));
    printf("fdstat(3) is a directory: %d\n",
           __wasi_fd_fdstat_get(3, &fs) == 0 && fs.fs_filetype == __WASI_FILETYPE_DIRECTORY);
    printf("fdstat(42): %s\n", errno_name(__wasi_fd_fdstat_get(42, &fs)));
    errno = 0;
    report("read from a directory fd", (int)read(3, target, 1));
    report("write to a directory fd", (int)write(3, "x", 1));
    report("close(3) (the preopen)", close(3));
    report("open after closing the preopen", open("x.txt", O_CREAT | O_WRONLY, 0644));
    return 0;
}
