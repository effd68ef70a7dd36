/* bench: compute kernels with deterministic checksums, sized from argv.
 *
 *   bench [KERNEL [N]]       KERNEL: nbody | sieve | matmul | all (default)
 *
 *   nbody N    N steps of the 5-body solar system simulation (the Benchmarks
 *              Game program); prints the energy before and after. Default 5000000.
 *   sieve N    primes below N (Eratosthenes, byte array), count and a sum
 *              checksum. Default 50000000.
 *   matmul N   N x N integer matrix product (i-k-j loops), checksum of the
 *              result mod 2^32. Default 500.
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
    else if (!strcmp(kernel, "all")) {
        nbody(small ? 1000 : 5000000);
        sieve(small ? 100000 : 50000000);
        matmul(small ? 40 : 500);
    } else {
        fprintf(stderr, "usage: bench [nbody|sieve|matmul|all] [N|small]\n");
        return 2;
    }
    return 0;
}
