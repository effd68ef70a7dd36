/* wc: count lines, words and bytes, like the Unix tool.
 *
 *   wc [-l] [-w] [-c] [FILE...]
 *
 * With no FILE, reads standard input. With several, prints a total line.
 * A file that cannot be opened is reported on stderr and makes the exit
 * status 1, the other files are still counted. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

struct counts {
    unsigned long lines, words, bytes;
};

static int show_lines, show_words, show_bytes;

static void count(FILE *f, struct counts *c) {
    char buf[4096];
    size_t n;
    int in_word = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        c->bytes += n;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch == '\n') c->lines++;
            if (isspace(ch)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                c->words++;
            }
        }
    }
}

static void print(const struct counts *c, const char *name) {
    if (show_lines) printf("%8lu", c->lines);
    if (show_words) printf("%8lu", c->words);
    if (show_bytes) printf("%8lu", c->bytes);
    if (name) printf(" %s", name);
    printf("\n");
}

int main(int argc, char **argv) {
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
        if (!strcmp(argv[first], "--")) { first++; break; }
        for (const char *p = argv[first] + 1; *p; p++) {
            switch (*p) {
            case 'l': show_lines = 1; break;
            case 'w': show_words = 1; break;
            case 'c': show_bytes = 1; break;
            default:
                fprintf(stderr, "wc: unknown option -%c\nusage: wc [-lwc] [FILE...]\n", *p);
                return 2;
            }
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = 1;

    if (first == argc) {
        struct counts c = {0, 0, 0};
        count(stdin, &c);
        print(&c, NULL);
        return 0;
    }

    struct counts total = {0, 0, 0};
    int status = 0, counted = 0;
    for (int i = first; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        struct counts c = {0, 0, 0};
        count(f, &c);
        fclose(f);
        print(&c, argv[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
        counted++;
    }
    if (argc - first > 1) print(&total, "total");
    return status;
}
