/* bench/threads: the threaded counter of counter.wat in C with pthreads.
 *   counter THREADS TOTAL PRIVATE
 * THREADS threads together add 1 TOTAL times with an atomic fetch-add:
 * all to one shared counter (PRIVATE = 0) or each to a counter on its own
 * cache line (PRIVATE = 1); the main thread joins them and prints the sum. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct slot {
    _Alignas(64) unsigned value;
};

static struct slot counters[64];
static unsigned per_thread;
static int private_counters;

static void *work(void *arg) {
    unsigned *at = private_counters ? &counters[(size_t)arg].value : &counters[0].value;
    for (unsigned i = 0; i < per_thread; i++)
        __atomic_fetch_add(at, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4)
        return 2;
    int threads = atoi(argv[1]);
    if (threads < 1 || threads > 64)
        return 2;
    per_thread = (unsigned)strtoul(argv[2], NULL, 10) / (unsigned)threads;
    private_counters = atoi(argv[3]);
    pthread_t t[64];
    for (int k = 0; k < threads; k++)
        if (pthread_create(&t[k], NULL, work, (void *)(size_t)k) != 0)
            return 1;
    for (int k = 0; k < threads; k++)
        pthread_join(t[k], NULL);
    unsigned sum = 0;
    for (int k = 0; k < threads; k++)
        sum += __atomic_load_n(&counters[k].value, __ATOMIC_SEQ_CST);
    printf("%u\n", sum);
    return 0;
}
