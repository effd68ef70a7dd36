/* Symlinks and the sandbox. The preopen "." is fs/sandbox, next to
 * fs/outside/secret.txt; fs/sandbox holds host-made links: abs ->
 * /etc/passwd, absdir -> /etc, abs_dangling -> /nonexistent, rel_out ->
 * ../outside/secret.txt, rel_in -> f.txt.
 *
 * - readlink shows relative targets (even pointing outside) and refuses
 *   absolute ones (EPERM): host paths are not revealed;
 * - the program may create any relative link, but no link, however made,
 *   moved or combined, lets it read outside: a link made in sub/ pointing
 *   "../outside/secret.txt" and renamed to the top; y -> x/.. with x -> .;
 *   a link made directly pointing outside; absolute targets are refused. */
#include "rights.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *libc_errno(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ELOOP: return "ELOOP";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    default: return "E?";
    }
}

static void readlink_of(const char *path) {
    char buf[128];
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_path_readlink(3, path, (uint8_t *)buf, sizeof buf, &n);
    printf("readlink %s: %s", path, wasi_errno_name(e));
    if (e == 0) printf(" \"%.*s\"", (int)n, buf);
    printf("\n");
}

/* Open `path` (following links) and print what it holds. */
static void read_through(const char *path) {
    char buf[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("read %s: %s\n", path, libc_errno(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0) {
        printf("read %s: %s\n", path, libc_errno(errno));
        return;
    }
    buf[n] = 0;
    if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
    printf("read %s: \"%s\"\n", path, buf);
}

static void make_link(const char *target, const char *path) {
    printf("symlink %s -> %s: %s\n", path, target,
           wasi_errno_name(__wasi_path_symlink(target, 3, path)));
}

int main(void) {
    printf("== links the host made\n");
    const char *host_links[] = {"abs", "absdir", "abs_dangling", "rel_out", "rel_in"};
    for (unsigned i = 0; i < 5; i++) readlink_of(host_links[i]);
    readlink_of("f.txt");
    readlink_of("missing");
    for (unsigned i = 0; i < 5; i++) read_through(host_links[i]);
    read_through("absdir/passwd");

    printf("== creating links\n");
    make_link("/etc/passwd", "new_abs");
    make_link("/", "new_root");
    make_link("", "new_empty");
    make_link("f.txt", "new_in");
    read_through("new_in");
    make_link("../outside/secret.txt", "direct_out");
    readlink_of("direct_out");
    read_through("direct_out");

    printf("== a link made in a subdirectory, then moved up\n");
    show("mkdir sub", __wasi_path_create_directory(3, "sub"));
    make_link("../outside/secret.txt", "sub/l");
    read_through("sub/l");
    show("rename sub/l -> l", __wasi_path_rename(3, "sub/l", 3, "l"));
    readlink_of("l");
    read_through("l");
    __wasi_filestat_t st;
    show("stat l (no follow)", __wasi_path_filestat_get(3, 0, "l", &st));
    printf("  is a symlink: %d\n", st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
    show("stat l (follow)", __wasi_path_filestat_get(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "l", &st));
    __wasi_fd_t fd;
    show("path_open l (no follow)",
         __wasi_path_open(3, 0, "l", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    show("path_open l (follow)", __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "l", 0,
                                                  __WASI_RIGHTS_FD_READ, 0, 0, &fd));

    printf("== y -> x/.. with x -> .\n");
    make_link(".", "x");
    make_link("x/..", "y");
    readlink_of("y");
    read_through("y/outside/secret.txt");
    read_through("y/sandbox/f.txt");
    read_through("x/f.txt");
    read_through("x/x/x/f.txt");
    make_link("y/outside/secret.txt", "z");
    read_through("z");
    show("mkdir through y", __wasi_path_create_directory(3, "y/made"));
    show("stat y/. (follow)",
         __wasi_path_filestat_get(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "y/.", &st));

    printf("== the same pair made in a subdirectory and moved up\n");
    show("mkdir sub2", __wasi_path_create_directory(3, "sub2"));
    make_link(".", "sub2/x");
    make_link("x/..", "sub2/y");
    read_through("sub2/y/f.txt");
    show("rename sub2/y -> y2", __wasi_path_rename(3, "sub2/y", 3, "y2"));
    read_through("y2/f.txt");
    read_through("y2/outside/secret.txt");
    return 0;
}
