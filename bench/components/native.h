#include <stddef.h>
#include <stdint.h>
typedef struct {
    uint8_t *ptr;
    size_t len;
} str_t;
typedef struct {
    str_t name;
    uint32_t count;
    double weight;
} item_t;
uint64_t process(str_t *name, item_t *items, size_t len);
