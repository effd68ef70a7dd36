/* Clocks: the monotonic clock increases, a 20 ms sleep (poll_oneoff) takes at
 * least 20 ms, the realtime clock is after 2020, resolutions are sane.
 * Prints only yes/no facts so the output is deterministic. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static int64_t ns(clockid_t c) {
    struct timespec t;
    if (clock_gettime(c, &t) != 0) return -1;
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static const char *yn(int b) { return b ? "yes" : "no"; }

int main(void) {
    int64_t a = ns(CLOCK_MONOTONIC), b = a;
    for (int i = 0; i < 1000000 && b == a; i++) b = ns(CLOCK_MONOTONIC);
    printf("monotonic readable: %s\n", yn(a >= 0));
    printf("monotonic increases: %s\n", yn(b > a));

    int never_back = 1;
    int64_t prev = ns(CLOCK_MONOTONIC);
    for (int i = 0; i < 10000; i++) {
        int64_t t = ns(CLOCK_MONOTONIC);
        if (t < prev) never_back = 0;
        prev = t;
    }
    printf("monotonic never goes back: %s\n", yn(never_back));

    struct timespec req = {0, 20 * 1000 * 1000};
    int64_t before = ns(CLOCK_MONOTONIC);
    int rc = nanosleep(&req, NULL);
    int64_t slept = ns(CLOCK_MONOTONIC) - before;
    printf("nanosleep 20ms: rc=%d at least 20ms: %s under 5s: %s\n", rc,
           yn(slept >= 20 * 1000 * 1000), yn(slept < 5000000000LL));

    int64_t real = ns(CLOCK_REALTIME);
    printf("realtime after 2020: %s\n", yn(real / 1000000000 > 1577836800LL));
    printf("time() agrees with realtime: %s\n",
           yn((int64_t)time(NULL) - real / 1000000000 <= 2 &&
              real / 1000000000 - (int64_t)time(NULL) <= 2));

    struct timespec res;
    rc = clock_getres(CLOCK_MONOTONIC, &res);
    printf("monotonic resolution: rc=%d positive and <= 1ms: %s\n", rc,
           yn((res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000)));
    rc = clock_getres(CLOCK_REALTIME, &res);
    printf("realtime resolution: rc=%d positive and <= 1ms: %s\n", rc,
           yn((res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000)));

    return 0;
}
