/* Escape attempts: a program must never reach outside its preopened
 * directory. The setup preopens host `sandbox/` as guest "."; next to it
 * (outside) is `outside.txt`. Inside the sandbox the setup has created:
 *   inside.txt, sub/, sub/link_up -> ../inside.txt   (legal)
 *   link_in -> inside.txt                            (legal)
 *   link_out -> ../outside.txt, link_abs -> /etc/passwd,
 *   link_dir_out -> ..                               (escapes)
 * Each attempt is made twice: through libc (which maps paths onto the
 * preopens itself) and straight through the WASI calls on the preopen fd 3,
 * so the runtime's own checks are exercised. Errors print as NAME (number). */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static void libc_open(const char *path, int flags) {
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        printf("open(%s): %s (%d)\n", path, errno_name(errno), errno);
        return;
    }
    char buf[32];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
    printf("open(%s): ok, read \"%s\"\n", path, buf);
    close(fd);
}

static void wasi_open(const char *path, __wasi_lookupflags_t lookup, __wasi_oflags_t oflags) {
    __wasi_fd_t fd;
    __wasi_rights_t rights = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                             __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET;
    __wasi_errno_t e = __wasi_path_open(3, lookup, path, oflags, rights, rights, 0, &fd);
    printf("path_open(3, %s%s%s): ", path, lookup ? ", follow" : "",
           oflags & __WASI_OFLAGS_CREAT ? ", creat" : "");
    if (e) {
        printf("%s (%d)\n", errno_name(e), e);
        return;
    }
    char buf[32];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    e = __wasi_fd_read(fd, &iov, 1, &n);
    buf[e ? 0 : n] = 0;
    if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
    printf("ok, read \"%s\"\n", buf);
    (void)__wasi_fd_close(fd);
}

static void wasi_stat(const char *path, __wasi_lookupflags_t lookup) {
    __wasi_filestat_t st;
    __wasi_errno_t e = __wasi_path_filestat_get(3, lookup, path, &st);
    printf("path_filestat_get(3, %s%s): ", path, lookup ? ", follow" : "");
    if (e)
        printf("%s (%d)\n", errno_name(e), e);
    else
        printf("ok, filetype %d\n", st.filetype);
}

static void wasi_result(const char *what, __wasi_errno_t e) {
    if (e)
        printf("%s: %s (%d)\n", what, errno_name(e), e);
    else
        printf("%s: ok\n", what);
}

int main(void) {
    const __wasi_lookupflags_t F = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;

    /* the preopen */
    __wasi_prestat_t pre;
    __wasi_errno_t e = __wasi_fd_prestat_get(3, &pre);
    char name[64] = "";
    if (!e) e = __wasi_fd_prestat_dir_name(3, (uint8_t *)name, pre.u.dir.pr_name_len);
    printf("fd 3 preopen: %s \"%.*s\"\n", e ? errno_name(e) : "ok",
           (int)pre.u.dir.pr_name_len, name);
    wasi_result("fd_prestat_get(4)", __wasi_fd_prestat_get(4, &pre));

    printf("-- libc\n");
    libc_open("inside.txt", O_RDONLY);
    libc_open("sub/../inside.txt", O_RDONLY);
    libc_open("./sub/./link_up", O_RDONLY);
    libc_open("link_in", O_RDONLY);
    libc_open("../outside.txt", O_RDONLY);
    libc_open("/etc/passwd", O_RDONLY);
    libc_open("sub/../../outside.txt", O_RDONLY);
    libc_open("a/../../x", O_RDONLY);
    libc_open("link_out", O_RDONLY);
    libc_open("link_abs", O_RDONLY);
    libc_open("link_dir_out/outside.txt", O_RDONLY);
    libc_open("../created.txt", O_CREAT | O_WRONLY);
    libc_open("link_out", O_WRONLY | O_TRUNC);
    report("mkdir(../newdir)", mkdir("../newdir", 0755));
    report("mkdir(link_dir_out/newdir)", mkdir("link_dir_out/newdir", 0755));
    report("rename(inside.txt, ../moved.txt)", rename("inside.txt", "../moved.txt"));
    report("unlink(../outside.txt)", unlink("../outside.txt"));
    report("unlink(link_dir_out/outside.txt)", unlink("link_dir_out/outside.txt"));
    struct stat st;
    report("stat(../outside.txt)", stat("../outside.txt", &st));
    report("stat(link_out)", stat("link_out", &st));
    report("lstat(link_out)", lstat("link_out", &st));
    report("opendir(..)", opendir("..") ? 0 : -1);
    report("opendir(link_dir_out)", opendir("link_dir_out") ? 0 : -1);
    report("chdir(..)", chdir(".."));
    libc_open("../outside.txt", O_RDONLY);

    printf("-- wasi\n");
    wasi_open("inside.txt", 0, 0);
    wasi_open("sub/../inside.txt", 0, 0);
    wasi_open("sub/link_up", F, 0);
    wasi_open("link_in", F, 0);
    wasi_open("link_in", 0, 0);
    wasi_open("../outside.txt", 0, 0);
    wasi_open("/etc/passwd", 0, 0);
    wasi_open("sub/../../outside.txt", 0, 0);
    wasi_open("a/../../x", 0, 0);
    wasi_open("link_out", F, 0);
    wasi_open("link_out", 0, 0);
    wasi_open("link_abs", F, 0);
    wasi_open("link_dir_out/outside.txt", F, 0);
    wasi_open("link_dir_out/outside.txt", 0, 0);
    wasi_open("../created.txt", 0, __WASI_OFLAGS_CREAT);
    wasi_open("link_out", F, __WASI_OFLAGS_CREAT);
    wasi_stat("..", 0);
    wasi_stat("/", 0);
    wasi_stat("link_out", 0);
    wasi_stat("link_out", F);
    wasi_stat("link_dir_out", F);
    wasi_result("path_create_directory(3, ../newdir)", __wasi_path_create_directory(3, "../newdir"));
    wasi_result("path_create_directory(3, /tmp/newdir)", __wasi_path_create_directory(3, "/tmp/newdir"));
    wasi_result("path_unlink_file(3, ../outside.txt)", __wasi_path_unlink_file(3, "../outside.txt"));
    wasi_result("path_remove_directory(3, ..)", __wasi_path_remove_directory(3, ".."));
    wasi_result("path_rename(3, inside.txt, 3, ../moved.txt)",
                __wasi_path_rename(3, "inside.txt", 3, "../moved.txt"));
    wasi_result("path_rename(3, ../outside.txt, 3, stolen.txt)",
                __wasi_path_rename(3, "../outside.txt", 3, "stolen.txt"));
    wasi_result("path_link(3, ../outside.txt, 3, hard)",
                __wasi_path_link(3, 0, "../outside.txt", 3, "hard"));
    wasi_result("path_open on fd 99", __wasi_path_open(99, 0, "inside.txt", 0, 0, 0, 0, (__wasi_fd_t[1]){0}));

    /* a symlink the program makes itself: creating may or may not be
       allowed, following it out must not be */
    e = __wasi_path_symlink("../outside.txt", 3, "made_link");
    if (!e) {
        __wasi_fd_t fd;
        __wasi_errno_t e2 = __wasi_path_open(3, F, "made_link", 0, __WASI_RIGHTS_FD_READ,
                                             __WASI_RIGHTS_FD_READ, 0, &fd);
        printf("path_symlink(../outside.txt, 3, made_link) then follow: %s\n",
               e2 ? "refused" : "ESCAPED");
        wasi_result("path_unlink_file(3, made_link)", __wasi_path_unlink_file(3, "made_link"));
    } else {
        printf("path_symlink(../outside.txt, 3, made_link) then follow: refused\n");
        printf("path_unlink_file(3, made_link): ok\n");
    }

    printf("-- still there\n");
    libc_open("inside.txt", O_RDONLY);
    report("stat(created.txt) in sandbox", stat("created.txt", &st));
    report("stat(stolen.txt) in sandbox", stat("stolen.txt", &st));
    return 0;
}
