/* Helpers shared by the rights test programs (rights_*.c): WASI errno
 * names for results of the raw __wasi_* calls, rights printed by name, and
 * small wrappers that open descriptors with chosen rights. */
#ifndef WASI_RIGHTS_H
#define WASI_RIGHTS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static const char *const WASI_ERRNO_NAMES[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN",
    "ALREADY", "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED",
    "CONNREFUSED", "CONNRESET", "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST",
    "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ", "INPROGRESS", "INTR", "INVAL",
    "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK", "MSGSIZE", "MULTIHOP",
    "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS", "NODEV",
    "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC",
    "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP",
    "NOTTY", "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO",
    "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE",
    "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
};

/* The name of a WASI errno ("SUCCESS" for 0). */
static inline const char *wasi_errno_name(__wasi_errno_t e) {
    if (e < sizeof WASI_ERRNO_NAMES / sizeof WASI_ERRNO_NAMES[0])
        return WASI_ERRNO_NAMES[e];
    return "?";
}

static const char *const WASI_RIGHT_NAMES[] = {
    "FD_DATASYNC", "FD_READ", "FD_SEEK", "FD_FDSTAT_SET_FLAGS", "FD_SYNC", "FD_TELL",
    "FD_WRITE", "FD_ADVISE", "FD_ALLOCATE", "PATH_CREATE_DIRECTORY", "PATH_CREATE_FILE",
    "PATH_LINK_SOURCE", "PATH_LINK_TARGET", "PATH_OPEN", "FD_READDIR", "PATH_READLINK",
    "PATH_RENAME_SOURCE", "PATH_RENAME_TARGET", "PATH_FILESTAT_GET",
    "PATH_FILESTAT_SET_SIZE", "PATH_FILESTAT_SET_TIMES", "FD_FILESTAT_GET",
    "FD_FILESTAT_SET_SIZE", "FD_FILESTAT_SET_TIMES", "PATH_SYMLINK",
    "PATH_REMOVE_DIRECTORY", "PATH_UNLINK_FILE", "POLL_FD_READWRITE", "SOCK_SHUTDOWN",
    "SOCK_ACCEPT",
};

/* Every right preview 1 defines. */
#define RIGHTS_ALL ((__wasi_rights_t)((1u << 30) - 1))

/* Print a rights set: "all", "none", "all except A B", or "A B C". */
static inline void print_rights(__wasi_rights_t r) {
    if (r == RIGHTS_ALL) {
        printf("all");
        return;
    }
    if (r == 0) {
        printf("none");
        return;
    }
    int missing = 0, present = 0;
    for (int i = 0; i < 30; i++) {
        if (r & ((__wasi_rights_t)1 << i))
            present++;
        else
            missing++;
    }
    if (r & ~RIGHTS_ALL) printf("unknown bits 0x%llx + ", (unsigned long long)(r & ~RIGHTS_ALL));
    int except = missing < present;
    if (except) printf("all except");
    for (int i = 0, first = 1; i < 30; i++) {
        int has = !!(r & ((__wasi_rights_t)1 << i));
        if (has != except) {
            printf(first && !except ? "%s" : " %s", WASI_RIGHT_NAMES[i]);
            first = 0;
        }
    }
}

static const char *const FILETYPE_NAMES[] = {
    "unknown", "block_device", "character_device", "directory", "regular_file",
    "socket_dgram", "socket_stream", "symbolic_link",
};

/* "fdstat <what>: <filetype> flags=<n> base=<rights> inheriting=<rights>" */
static inline void print_fdstat(const char *what, __wasi_fd_t fd) {
    __wasi_fdstat_t st;
    __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
    printf("fdstat %s: ", what);
    if (e != 0) {
        printf("%s\n", wasi_errno_name(e));
        return;
    }
    printf("%s flags=%u\n  base: ",
           st.fs_filetype < 8 ? FILETYPE_NAMES[st.fs_filetype] : "?", st.fs_flags);
    print_rights(st.fs_rights_base);
    printf("\n  inheriting: ");
    print_rights(st.fs_rights_inheriting);
    printf("\n");
}

/* path_open with explicit rights; returns the fd or -errno. */
static inline int open_with(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
                     __wasi_rights_t base, __wasi_rights_t inheriting, __wasi_fdflags_t fdflags) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, base,
                                        inheriting, fdflags, &fd);
    return e ? -(int)e : (int)fd;
}

/* Print "<what>: <ERRNO>" for a raw call's result. */
static inline void show(const char *what, __wasi_errno_t e) {
    printf("%s: %s\n", what, wasi_errno_name(e));
}

#endif
