/* bench: compute kernels with deterministic checksums, sized from argv.
 *
 *   bench [KERNEL [N]]       KERNEL: nbody | sieve | matmul | sha256 | all (default)
 *
 *   nbody N    N steps of the 5-body solar system simulation (the Benchmarks
 *              Game program); prints the energy before and after. Default 5000000.
 *   sieve N    primes below N (Eratosthenes, byte array), count and a sum
 *              checksum. Default 50000000.
 *   matmul N   N x N integer matrix product (i-k-j loops), checksum of the
 *              result mod 2^32. Default 500.
 *   sha256 N   N rounds of SHA-256 over a 1 MiB buffer, each digest written
 *              over the buffer's start; prints the last digest. Default 60.
 *   all        each kernel at its default size ("all small": tiny sizes, used
 *              by the tests).
 *
 * The same source builds natively (cc -O2 bench.c -o bench -lm) for
 * comparison; the output is identical (IEEE double, no fast-math). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- nbody ---------------------------------------------------------- */
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body { double x, y, z, vx, vy, vz, mass; };

static void nbody_init(struct body *b) {
    static const struct body init[5] = {
        {0, 0, 0, 0, 0, 0, SOLAR_MASS},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
         -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
         2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
         -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
         -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
    };
    memcpy(b, init, sizeof init);
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < 5; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static double energy(const struct body *b) {
    double e = 0;
    for (int i = 0; i < 5; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < 5; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(struct body *b, double dt) {
    for (int i = 0; i < 5; i++) {
        for (int j = i + 1; j < 5; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            b[i].vx -= dx * b[j].mass * mag;
            b[i].vy -= dy * b[j].mass * mag;
            b[i].vz -= dz * b[j].mass * mag;
            b[j].vx += dx * b[i].mass * mag;
            b[j].vy += dy * b[i].mass * mag;
            b[j].vz += dz * b[i].mass * mag;
        }
    }
    for (int i = 0; i < 5; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

static void nbody(long n) {
    struct body b[5];
    nbody_init(b);
    printf("nbody %ld: energy before %.9f\n", n, energy(b));
    for (long i = 0; i < n; i++) advance(b, 0.01);
    printf("nbody %ld: energy after  %.9f\n", n, energy(b));
}

/* ---- sieve ---------------------------------------------------------- */
static void sieve(long n) {
    unsigned char *composite = calloc(n > 2 ? n : 2, 1);
    if (!composite) { printf("sieve %ld: out of memory\n", n); return; }
    long count = 0;
    uint64_t sum = 0;
    for (long i = 2; i < n; i++) {
        if (composite[i]) continue;
        count++;
        sum += (uint64_t)i;
        for (long j = i * i; j < n && i <= n / i; j += i) composite[j] = 1;
    }
    free(composite);
    printf("sieve %ld: %ld primes, sum %llu\n", n, count, (unsigned long long)sum);
}

/* ---- sha256 --------------------------------------------------------- */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* One 64-byte block into the state h. */
static void sha256_block(uint32_t h[8], const unsigned char *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
                      sha256_k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* The SHA-256 digest of len bytes (a multiple of 64 here, so the padding
 * is one extra block). */
static void sha256(const unsigned char *data, size_t len, unsigned char out[32]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (size_t i = 0; i < len; i += 64) sha256_block(h, data + i);
    unsigned char pad[64] = {0x80};
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) pad[63 - i] = (unsigned char)(bits >> (8 * i));
    sha256_block(h, pad);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = h[i] >> 24; out[4 * i + 1] = h[i] >> 16;
        out[4 * i + 2] = h[i] >> 8; out[4 * i + 3] = h[i];
    }
}

/* N rounds of hashing a 1 MiB buffer, each digest written over the
 * buffer's first 32 bytes before the next round. */
static void sha256_kernel(long n) {
    enum { SIZE = 1 << 20 };
    unsigned char *buf = malloc(SIZE);
    if (!buf) { printf("sha256 %ld: out of memory\n", n); return; }
    uint32_t seed = 12345;
    for (long i = 0; i < SIZE; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = seed >> 16;
    }
    unsigned char digest[32] = {0};
    for (long r = 0; r < n; r++) {
        sha256(buf, SIZE, digest);
        memcpy(buf, digest, 32);
    }
    printf("sha256 %ld: ", n);
    for (int i = 0; i < 32; i++) printf("%02x", digest[i]);
    printf("\n");
    free(buf);
}

/* ---- matmul --------------------------------------------------------- */
static void matmul(long n) {
    uint32_t *a = malloc(n * n * sizeof *a), *b = malloc(n * n * sizeof *b),
             *c = calloc(n * n, sizeof *c);
    if (!a || !b || !c) { printf("matmul %ld: out of memory\n", n); return; }
    uint32_t seed = 12345;
    for (long i = 0; i < n * n; i++) {
        seed = seed * 1103515245u + 12345u;
        a[i] = (seed >> 16) & 0xff;
        seed = seed * 1103515245u + 12345u;
        b[i] = (seed >> 16) & 0xff;
    }
    for (long i = 0; i < n; i++)
        for (long k = 0; k < n; k++) {
            uint32_t aik = a[i * n + k];
            for (long j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
    uint32_t check = 0;
    for (long i = 0; i < n * n; i++) check = check * 31 + c[i];
    printf("matmul %ld: checksum %u, c[0][0] = %u, c[n-1][n-1] = %u\n", n, check, c[0],
           c[n * n - 1]);
    free(a);
    free(b);
    free(c);
}

int main(int argc, char **argv) {
    const char *kernel = argc > 1 ? argv[1] : "all";
    int has_n = argc > 2 && strcmp(argv[2], "small") != 0;
    long n = has_n ? atol(argv[2]) : 0;
    int small = argc > 2 && !strcmp(argv[2], "small");
    if (!strcmp(kernel, "nbody")) nbody(has_n ? n : 5000000);
    else if (!strcmp(kernel, "sieve")) sieve(has_n ? n : 50000000);
    else if (!strcmp(kernel, "matmul")) matmul(has_n ? n : 500);
    else if (!strcmp(kernel, "sha256")) sha256_kernel(has_n ? n : 60);
    else if (!strcmp(kernel, "all")) {
        nbody(small ? 1000 : 5000000);
        sieve(small ? 100000 : 50000000);
        matmul(small ? 40 : 500);
        sha256_kernel(small ? 1 : 60);
    } else {
        fprintf(stderr, "usage: bench [nbody|sieve|matmul|sha256|all] [N|small]\n");
        return 2;
    }
    return 0;
}
