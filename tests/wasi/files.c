/* Files: create, write, read back, seek/tell, append, truncate, stat sizes,
 * pread/pwrite, stdio buffering, O_EXCL, reading a file prepared by the
 * test setup (input.txt). Run with the working directory preopened as ".". */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static long file_size(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("stat %s: %s (%d)\n", path, errno_name(errno), errno);
        return -1;
    }
    return (long)st.st_size;
}

static void read_all(const char *path) {
    char buf[128];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("open %s: %s (%d)\n", path, errno_name(errno), errno);
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("%s (%zd bytes): \"", path, n);
    for (char *p = buf; *p; p++) {
        if (*p == '\n') fputs("\\n", stdout);
        else putchar(*p);
    }
    printf("\"\n");
    close(fd);
}

int main(void) {
    char buf[64];

    /* a file prepared by the test setup */
    read_all("input.txt");
    printf("input.txt size: %ld\n", file_size("input.txt"));

    /* create and write */
    int fd = open("out.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    report("create out.txt", fd);
    printf("write: %zd\n", write(fd, "hello world\n", 12));
    report("close", close(fd));
    printf("size after write: %ld\n", file_size("out.txt"));
    read_all("out.txt");

    /* seek / tell */
    fd = open("out.txt", O_RDWR);
    report("open out.txt rdwr", fd);
    printf("seek set 6: %ld\n", (long)lseek(fd, 6, SEEK_SET));
    ssize_t n = read(fd, buf, 5);
    buf[n < 0 ? 0 : n] = 0;
    printf("read 5 at 6: \"%s\"\n", buf);
    printf("tell: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    printf("seek cur -3: %ld\n", (long)lseek(fd, -3, SEEK_CUR));
    printf("seek end 0: %ld\n", (long)lseek(fd, 0, SEEK_END));
    printf("seek end -4: %ld\n", (long)lseek(fd, -4, SEEK_END));
    n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("read from end-4: %zd \"%.3s\"\n", n, buf);
    printf("read at eof: %zd\n", read(fd, buf, sizeof buf));
    errno = 0;
    report("seek to -100", (int)lseek(fd, -100, SEEK_SET));

    /* overwrite in the middle */
    lseek(fd, 0, SEEK_SET);
    printf("write HELLO: %zd\n", write(fd, "HELLO", 5));
    printf("tell after write: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    read_all("out.txt");

    /* pread / pwrite do not move the offset */
    fd = open("out.txt", O_RDWR);
    printf("pwrite at 6: %zd\n", pwrite(fd, "W", 1, 6));
    n = pread(fd, buf, 5, 6);
    buf[n < 0 ? 0 : n] = 0;
    printf("pread at 6: \"%s\"\n", buf);
    printf("tell after pread/pwrite: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    close(fd);

    /* append */
    fd = open("out.txt", O_WRONLY | O_APPEND);
    report("open append", fd);
    lseek(fd, 0, SEEK_SET);
    printf("append write: %zd\n", write(fd, "more\n", 5));
    close(fd);
    printf("size after append: %ld\n", file_size("out.txt"));
    read_all("out.txt");

    /* truncate: shrink, then grow with zeros */
    report("truncate to 5", truncate("out.txt", 5));
    printf("size after truncate: %ld\n", file_size("out.txt"));
    read_all("out.txt");
    fd = open("out.txt", O_RDWR);
    report("ftruncate to 8", ftruncate(fd, 8));
    struct stat st;
    report("fstat", fstat(fd, &st));
    printf("fstat size: %ld regular: %d\n", (long)st.st_size, S_ISREG(st.st_mode) ? 1 : 0);
    n = pread(fd, buf, sizeof buf, 0);
    printf("bytes:");
    for (ssize_t i = 0; i < n; i++) printf(" %02x", (unsigned char)buf[i]);
    printf("\n");
    close(fd);

    /* O_TRUNC on open */
    fd = open("out.txt", O_WRONLY | O_TRUNC);
    close(fd);
    printf("size after O_TRUNC: %ld\n", file_size("out.txt"));

    /* errors */
    errno = 0;
    report("create existing with O_EXCL", open("out.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
    report("open missing file", open("missing.txt", O_RDONLY));
    report("write to read-only fd", (int)write(fd = open("input.txt", O_RDONLY), "x", 1));
    close(fd);
    report("read closed fd", (int)read(fd, buf, 1));

    /* stdio */
    FILE *f = fopen("stdio.txt", "w");
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
    fclose(f);
    printf("stdio.txt size: %ld\n", file_size("stdio.txt"));
    f = fopen("stdio.txt", "r");
    int lines = 0;
    char line[32], last[32] = "";
    while (fgets(line, sizeof line, f)) { lines++; strcpy(last, line); }
    fclose(f);
    printf("stdio.txt lines: %d last: %s", lines, last);

    report("unlink out.txt", unlink("out.txt"));
    report("unlink stdio.txt", unlink("stdio.txt"));
    file_size("out.txt");
    return 0;
}
