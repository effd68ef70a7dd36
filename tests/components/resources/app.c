// The `app` component: makes counters in `lib`, lends them (borrow),
// gives them away (own), drops them, and prints what `lib` reports.
#include "app.h"
#include <stdio.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    test_res_counters_own_counter_t a = test_res_counters_constructor_counter(10);
    test_res_counters_own_counter_t b = test_res_counters_constructor_counter(20);
    printf("live after two constructors: %u\n", test_res_counters_live());
    printf("a.incr: %u\n", test_res_counters_method_counter_incr(test_res_counters_borrow_counter(a)));
    printf("b.value: %u\n", test_res_counters_method_counter_value(test_res_counters_borrow_counter(b)));
    printf("sum(a, b) with borrows: %u\n",
           test_res_counters_sum(test_res_counters_borrow_counter(a), test_res_counters_borrow_counter(b)));
    printf("sum(a, a): %u\n",
           test_res_counters_sum(test_res_counters_borrow_counter(a), test_res_counters_borrow_counter(a)));
    test_res_counters_own_counter_t m = test_res_counters_merge(a, b);
    printf("live after merge (a and b moved and dropped in lib): %u\n", test_res_counters_live());
    printf("merged value: %u\n", test_res_counters_method_counter_value(test_res_counters_borrow_counter(m)));
    test_res_counters_own_counter_t more[3];
    for (int i = 0; i < 3; i++) more[i] = test_res_counters_constructor_counter(100 * i);
    printf("live with three more: %u\n", test_res_counters_live());
    for (int i = 0; i < 3; i++) test_res_counters_counter_drop_own(more[i]);
    printf("live after dropping them (destructors ran): %u\n", test_res_counters_live());
    test_res_counters_counter_drop_own(m);
    printf("live at the end: %u\n", test_res_counters_live());
    return 0;
}
