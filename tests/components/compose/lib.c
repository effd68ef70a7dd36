// The `lib` component: implements test:compose/types with UTF-16 strings
// (bindings made with `wit-bindgen c --string-encoding utf16`), so every
// string that crosses from `app` (UTF-8) is transcoded by the adapter.
#include "lib.h"
#include <stdlib.h>
#include <string.h>

static void u16_from_ascii(lib_string_t *out, const char *a, const uint16_t *tail, size_t tail_len) {
    size_t n = strlen(a);
    out->len = n + tail_len;
    out->ptr = malloc(2 * (out->len ? out->len : 1));
    for (size_t i = 0; i < n; i++) out->ptr[i] = (uint8_t)a[i];
    memcpy(out->ptr + n, tail, 2 * tail_len);
}

// An empty string's pointer is not from malloc (the canonical ABI's
// realloc of 0 bytes returns the alignment): free only real ones.
static void free_str(lib_string_t *s) {
    if (s->len > 0) free(s->ptr);
}

bool exports_test_compose_types_echo_bool(bool b) { return !b; }

int64_t exports_test_compose_types_sum_ints(uint8_t a, int8_t b, uint16_t c, int16_t d, uint32_t e,
                                            int32_t f, uint64_t g, int64_t h) {
    return (int64_t)a + b + c + d + e + f + (int64_t)g + h;
}

double exports_test_compose_types_mul_floats(float a, double b) { return (double)a * b; }

uint32_t exports_test_compose_types_next_char(uint32_t c) { return c + 1; }

void exports_test_compose_types_greet(lib_string_t *name, lib_string_t *ret) {
    u16_from_ascii(ret, "hello, ", name->ptr, name->len);
    free_str(name);
}

void exports_test_compose_types_totals(exports_test_compose_types_list_item_t *items,
                                       lib_tuple3_u32_f64_string_t *ret) {
    ret->f0 = 0;
    ret->f1 = 0;
    size_t len = 0;
    for (size_t i = 0; i < items->len; i++) len += items->ptr[i].name.len + (i ? 1 : 0);
    ret->f2.len = len;
    ret->f2.ptr = malloc(2 * (len ? len : 1));
    size_t at = 0;
    for (size_t i = 0; i < items->len; i++) {
        exports_test_compose_types_item_t *it = &items->ptr[i];
        ret->f0 += it->count;
        ret->f1 += it->weight;
        if (i) ret->f2.ptr[at++] = '+';
        memcpy(ret->f2.ptr + at, it->name.ptr, 2 * it->name.len);
        at += it->name.len;
    }
    exports_test_compose_types_list_item_free(items);
}

float exports_test_compose_types_area(exports_test_compose_types_shape_t *s) {
    switch (s->tag) {
    case EXPORTS_TEST_COMPOSE_TYPES_SHAPE_CIRCLE: return 3.0f * s->val.circle * s->val.circle;
    case EXPORTS_TEST_COMPOSE_TYPES_SHAPE_RECT: return (float)s->val.rect.x * (float)s->val.rect.y;
    default: return -1.0f;
    }
}

void exports_test_compose_types_rotate(exports_test_compose_types_color_t c, exports_test_compose_types_perms_t p,
                                       exports_test_compose_types_tuple2_color_perms_t *ret) {
    ret->f0 = (c + 1) % 3;
    ret->f1 = (uint8_t)(~p & 7);
}

bool exports_test_compose_types_find(exports_test_compose_types_list_item_t *items, lib_string_t *name,
                                     exports_test_compose_types_item_t *ret) {
    bool found = false;
    for (size_t i = 0; i < items->len && !found; i++) {
        exports_test_compose_types_item_t *it = &items->ptr[i];
        if (it->name.len == name->len && memcmp(it->name.ptr, name->ptr, 2 * name->len) == 0) {
            ret->name.len = it->name.len;
            ret->name.ptr = malloc(2 * (it->name.len ? it->name.len : 1));
            memcpy(ret->name.ptr, it->name.ptr, 2 * it->name.len);
            ret->count = it->count * 2;
            ret->weight = it->weight / 2;
            found = true;
        }
    }
    exports_test_compose_types_list_item_free(items);
    free_str(name);
    return found;
}

bool exports_test_compose_types_parse(lib_string_t *s, int32_t *ret, lib_string_t *err) {
    int32_t v = 0;
    bool neg = s->len > 0 && s->ptr[0] == '-';
    bool ok = s->len > (size_t)neg;
    for (size_t i = neg; i < s->len && ok; i++) {
        if (s->ptr[i] < '0' || s->ptr[i] > '9') ok = false;
        else v = v * 10 + (s->ptr[i] - '0');
    }
    if (ok) *ret = neg ? -v : v;
    else u16_from_ascii(err, "not a number: ", s->ptr, s->len);
    free_str(s);
    return ok;
}

void exports_test_compose_types_reverse(lib_list_u8_t *bytes, lib_list_u8_t *ret) {
    ret->len = bytes->len;
    ret->ptr = malloc(bytes->len ? bytes->len : 1);
    for (size_t i = 0; i < bytes->len; i++) ret->ptr[i] = bytes->ptr[bytes->len - 1 - i];
    lib_list_u8_free(bytes);
}

void exports_test_compose_types_words(lib_string_t *s, lib_list_string_t *ret) {
    size_t n = 0;
    for (size_t i = 0; i < s->len; i++)
        if (s->ptr[i] != ' ' && (i == 0 || s->ptr[i - 1] == ' ')) n++;
    ret->len = n;
    ret->ptr = malloc(sizeof(lib_string_t) * (n ? n : 1));
    size_t w = 0;
    for (size_t i = 0; i < s->len; i++) {
        if (s->ptr[i] == ' ' || (i > 0 && s->ptr[i - 1] != ' ')) continue;
        size_t j = i;
        while (j < s->len && s->ptr[j] != ' ') j++;
        u16_from_ascii(&ret->ptr[w++], "", s->ptr + i, j - i);
    }
    free_str(s);
}
