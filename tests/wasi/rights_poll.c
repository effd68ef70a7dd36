/* poll_oneoff: which descriptors may be polled for reading and for writing
 * (a subscription that cannot be served fails the whole call), and which
 * clock subscriptions are accepted. Each poll carries a 5-second clock so
 * nothing can hang; only the fd events are printed.
 * Run with the working directory preopened as ".". */
#include "rights.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define R(x) __WASI_RIGHTS_##x

static const char *type_name(__wasi_eventtype_t t) {
    switch (t) {
    case __WASI_EVENTTYPE_CLOCK: return "clock";
    case __WASI_EVENTTYPE_FD_READ: return "fd_read";
    case __WASI_EVENTTYPE_FD_WRITE: return "fd_write";
    default: return "?";
    }
}

static void poll_fd(const char *what, int fd, __wasi_eventtype_t type) {
    __wasi_subscription_t subs[2];
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 1;
    subs[0].u.tag = type;
    if (type == __WASI_EVENTTYPE_FD_READ)
        subs[0].u.u.fd_read.file_descriptor = (__wasi_fd_t)fd;
    else
        subs[0].u.u.fd_write.file_descriptor = (__wasi_fd_t)fd;
    subs[1].userdata = 2;
    subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[1].u.u.clock.timeout = 5000000000ull;
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, 2, &n);
    printf("%-10s %-8s %s", what, type_name(type), wasi_errno_name(e));
    for (__wasi_size_t i = 0; e == 0 && i < n; i++)
        printf(" [event %llu %s %s]", (unsigned long long)ev[i].userdata, type_name(ev[i].type),
               wasi_errno_name(ev[i].error));
    printf("\n");
}

/* One clock subscription, alone or (`pair`) next to a second, identical
 * one: a lone relative clock is a plain sleep, whatever its clock. */
static void poll_clock(const char *what, __wasi_clockid_t id, __wasi_subclockflags_t flags,
                       __wasi_timestamp_t timeout, int pair) {
    __wasi_subscription_t sub[2];
    memset(sub, 0, sizeof sub);
    for (int i = 0; i < 2; i++) {
        sub[i].userdata = 7;
        sub[i].u.tag = __WASI_EVENTTYPE_CLOCK;
        sub[i].u.u.clock.id = id;
        sub[i].u.u.clock.timeout = timeout;
        sub[i].u.u.clock.flags = flags;
    }
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_poll_oneoff(sub, ev, pair ? 2 : 1, &n);
    printf("clock %-24s %s %s", what, pair ? "x2" : "x1", wasi_errno_name(e));
    if (e == 0) printf(" [%s]", n ? wasi_errno_name(ev[0].error) : "no event");
    printf("\n");
}

int main(void) {
    int f = open("f.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(f, "data", 4);
    close(f);
    mkdir("d", 0755);
    struct {
        const char *name;
        int fd;
    } kinds[] = {
        {"stdin", 0},
        {"stdout", 1},
        {"stderr", 2},
        {"preopen", 3},
        {"dir", open_with(3, "d", __WASI_OFLAGS_DIRECTORY, R(FD_READDIR), 0, 0)},
        {"file-ro", open_with(3, "f.txt", 0, R(FD_READ), 0, 0)},
        {"file-wo", open_with(3, "f.txt", 0, R(FD_WRITE), 0, 0)},
        {"file-rw", open_with(3, "f.txt", 0, R(FD_READ) | R(FD_WRITE), 0, 0)},
        {"closed", 99},
    };
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        poll_fd(kinds[i].name, kinds[i].fd, __WASI_EVENTTYPE_FD_READ);
        poll_fd(kinds[i].name, kinds[i].fd, __WASI_EVENTTYPE_FD_WRITE);
    }
    for (int pair = 0; pair < 2; pair++) {
        poll_clock("monotonic", __WASI_CLOCKID_MONOTONIC, 0, 1000, pair);
        poll_clock("realtime", __WASI_CLOCKID_REALTIME, 0, 1000, pair);
        poll_clock("realtime, absolute past", __WASI_CLOCKID_REALTIME,
                   __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME, 1, pair);
        poll_clock("monotonic, absolute past", __WASI_CLOCKID_MONOTONIC,
                   __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME, 1, pair);
        poll_clock("process cputime", __WASI_CLOCKID_PROCESS_CPUTIME_ID, 0, 1000, pair);
        poll_clock("thread cputime", __WASI_CLOCKID_THREAD_CPUTIME_ID, 0, 1000, pair);
        poll_clock("cputime, absolute", __WASI_CLOCKID_PROCESS_CPUTIME_ID,
                   __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME, 1, pair);
        poll_clock("unknown id 9", 9, 0, 1000, pair);
        poll_clock("unknown flag 2", __WASI_CLOCKID_MONOTONIC, 2, 1000, pair);
    }
    __wasi_event_t ev;
    __wasi_size_t n;
    show("no subscriptions", __wasi_poll_oneoff(NULL, &ev, 0, &n));
    return 0;
}
