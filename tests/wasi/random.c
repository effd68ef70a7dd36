/* Random: getentropy fills buffers that are not constant and differ between
 * calls; a large request (> 256 bytes is split by libc) works too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *yn(int b) { return b ? "yes" : "no"; }

int main(void) {
    unsigned char a[32], b[32];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    printf("getentropy a: %d\n", getentropy(a, sizeof a));
    printf("getentropy b: %d\n", getentropy(b, sizeof b));
    int zero = 1, same_byte = 1;
    for (int i = 0; i < 32; i++) {
        if (a[i]) zero = 0;
        if (a[i] != a[0]) same_byte = 0;
    }
    printf("all zero: %s\n", yn(zero));
    printf("one repeated byte: %s\n", yn(same_byte));
    printf("two calls differ: %s\n", yn(memcmp(a, b, sizeof a) != 0));

    static unsigned char big[4096];
    int rc = 0;
    for (int off = 0; off < 4096; off += 256) rc |= getentropy(big + off, 256);
    int counts[256] = {0}, distinct = 0;
    for (int i = 0; i < 4096; i++) counts[big[i]]++;
    for (int i = 0; i < 256; i++) distinct += counts[i] > 0;
    printf("4096 bytes: rc=%d more than 200 distinct values: %s\n", rc, yn(distinct > 200));
    printf("arc4random differs: %s\n", yn(arc4random() != arc4random() || arc4random() != arc4random()));
    return 0;
}
