// The `app` component: a command (preview1 program made a component with
// the official adapter) that calls every function of test:compose/types,
// provided by the `lib` component, and prints what comes back.
#include "app.h"
#include <stdio.h>
#include <string.h>

static void print_str(const char *label, const app_string_t *s) {
    printf("%s: \"%.*s\" (%zu bytes)\n", label, (int)s->len, (const char *)s->ptr, s->len);
}

static app_string_t str(const char *s) {
    app_string_t r = {(uint8_t *)s, strlen(s)};
    return r;
}

int main(void) {
    // Unbuffered: each printf is one write, made before the next call into
    // `lib` (this wasi-libc's buffered stdout loses its first line when
    // wrapped by the preview1 adapter, in wasmtime as here).
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("echo-bool(true): %d\n", test_compose_types_echo_bool(true));
    printf("sum-ints: %lld\n", (long long)test_compose_types_sum_ints(200, -100, 60000, -30000, 4000000000u,
                                                                    -2000000000, 1ull << 40, -(1ll << 41)));
    printf("mul-floats: %.6f\n", test_compose_types_mul_floats(1.5f, 2.25));
    printf("next-char(U+1F600): U+%X\n", (unsigned)test_compose_types_next_char(0x1F600));

    app_string_t name = str("wörld ✓ 😀"), greeting;
    test_compose_types_greet(&name, &greeting);
    print_str("greet", &greeting);
    app_string_free(&greeting);

    test_compose_types_item_t items[3] = {
        {str("apple"), 3, 0.5}, {str("pear"), 4, 1.25}, {str("fig ü"), 5, 2.0}};
    test_compose_types_list_item_t list = {items, 3};
    app_tuple3_u32_f64_string_t t;
    test_compose_types_totals(&list, &t);
    printf("totals: count %u weight %.3f ", t.f0, t.f1);
    print_str("names", &t.f2);
    app_string_free(&t.f2);
    test_compose_types_list_item_t empty = {NULL, 0};
    test_compose_types_totals(&empty, &t);
    printf("totals of nothing: count %u weight %.3f names %zu bytes\n", t.f0, t.f1, t.f2.len);
    app_string_free(&t.f2);

    test_compose_types_shape_t shapes[3];
    shapes[0].tag = TEST_COMPOSE_TYPES_SHAPE_CIRCLE;
    shapes[0].val.circle = 2.0f;
    shapes[1].tag = TEST_COMPOSE_TYPES_SHAPE_RECT;
    shapes[1].val.rect.x = 6;
    shapes[1].val.rect.y = -7;
    shapes[2].tag = TEST_COMPOSE_TYPES_SHAPE_DOT;
    for (int i = 0; i < 3; i++) printf("area %d: %.2f\n", i, test_compose_types_area(&shapes[i]));

    test_compose_types_tuple2_color_perms_t cp;
    test_compose_types_rotate(TEST_COMPOSE_TYPES_COLOR_BLUE,
                              TEST_COMPOSE_TYPES_PERMS_READ | TEST_COMPOSE_TYPES_PERMS_EXEC, &cp);
    printf("rotate: color %u perms %u\n", cp.f0, cp.f1);

    const char *wanted[2] = {"pear", "plum"};
    for (int i = 0; i < 2; i++) {
        test_compose_types_item_t found;
        app_string_t w = str(wanted[i]);
        if (test_compose_types_find(&list, &w, &found)) {
            printf("find %s: count %u weight %.3f ", wanted[i], found.count, found.weight);
            print_str("name", &found.name);
            app_string_free(&found.name);
        } else {
            printf("find %s: none\n", wanted[i]);
        }
    }

    const char *inputs[3] = {"-1234", "12x", ""};
    for (int i = 0; i < 3; i++) {
        int32_t v;
        app_string_t e, in = str(inputs[i]);
        if (test_compose_types_parse(&in, &v, &e)) {
            printf("parse \"%s\": ok %d\n", inputs[i], v);
        } else {
            printf("parse \"%s\": err ", inputs[i]);
            print_str("message", &e);
            app_string_free(&e);
        }
    }

    uint8_t bytes[300];
    for (int i = 0; i < 300; i++) bytes[i] = (uint8_t)i;
    app_list_u8_t in = {bytes, 300}, out;
    test_compose_types_reverse(&in, &out);
    printf("reverse: %zu bytes, first %u last %u\n", out.len, out.ptr[0], out.ptr[out.len - 1]);
    app_list_u8_free(&out);

    app_string_t sentence = str("  the quick  brown ƒox ");
    app_list_string_t words;
    test_compose_types_words(&sentence, &words);
    printf("words: %zu\n", words.len);
    for (size_t i = 0; i < words.len; i++) print_str("  word", &words.ptr[i]);
    app_list_string_free(&words);
    return 0;
}
