// The `lib` component: implements the `counter` resource. Every counter
// is a heap object; its handle's representation is the pointer. The
// destructor runs when the last owner drops it, and `live` says how many
// counters exist.
#include "lib.h"
#include <stdlib.h>

struct exports_test_res_counters_counter_t {
    uint32_t value;
};

static uint32_t live_counters;

exports_test_res_counters_own_counter_t exports_test_res_counters_constructor_counter(uint32_t start) {
    exports_test_res_counters_counter_t *c = malloc(sizeof *c);
    c->value = start;
    live_counters++;
    return exports_test_res_counters_counter_new(c);
}

uint32_t exports_test_res_counters_method_counter_incr(exports_test_res_counters_borrow_counter_t self) {
    return ++self->value;
}

uint32_t exports_test_res_counters_method_counter_value(exports_test_res_counters_borrow_counter_t self) {
    return self->value;
}

uint32_t exports_test_res_counters_sum(exports_test_res_counters_borrow_counter_t a,
                                       exports_test_res_counters_borrow_counter_t b) {
    return a->value + b->value;
}

// Takes both counters (they are dropped here: their destructors run) and
// makes a new one holding the sum.
exports_test_res_counters_own_counter_t exports_test_res_counters_merge(exports_test_res_counters_own_counter_t a,
                                                                      exports_test_res_counters_own_counter_t b) {
    uint32_t v = exports_test_res_counters_counter_rep(a)->value + exports_test_res_counters_counter_rep(b)->value;
    exports_test_res_counters_counter_drop_own(a);
    exports_test_res_counters_counter_drop_own(b);
    return exports_test_res_counters_constructor_counter(v);
}

uint32_t exports_test_res_counters_live(void) { return live_counters; }

void exports_test_res_counters_counter_destructor(exports_test_res_counters_counter_t *rep) {
    live_counters--;
    free(rep);
}
