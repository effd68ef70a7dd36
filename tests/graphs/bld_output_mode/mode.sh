# The executable's mode follows the umask, as cc's does: 0777 & ~umask for
# a new file, and for an existing regular file, which is replaced (not
# written in place: a hard link to the old file keeps the old content).
build() {
    "$WASMLINK" build -q "$CASE/main.wat" -o "$1" || echo "status $?"
}
umask 027
build new
echo "new file, umask 027: $(stat -c %a new)"
echo old > old
chmod 4600 old
ln old old.link
build old
echo "existing 4600 file, umask 027: $(stat -c %a old); the other link still says: $(cat old.link)"
umask 077
build old
echo "existing file, umask 077: $(stat -c %a old)"
./old
ls -A
