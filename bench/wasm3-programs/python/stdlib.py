import decimal, fractions, datetime, sqlite3, zlib, collections, itertools, textwrap, unittest, traceback, io
print(decimal.Decimal(1) / decimal.Decimal(7))
print(fractions.Fraction(3, 4) + fractions.Fraction(1, 6))
print(datetime.date(2026, 12, 6).isoformat(), datetime.timedelta(days=3, hours=5))
db = sqlite3.connect(":memory:")
db.execute("create table t(a integer, b text)")
db.executemany("insert into t values (?, ?)", [(i, str(i * i)) for i in range(100)])
print(db.execute("select count(*), sum(a), max(b) from t").fetchone())
try:
    db.execute("select * from nosuchtable")
except sqlite3.OperationalError as e:
    print("sqlite error:", e)
print(len(zlib.compress(b"abc" * 1000)), zlib.crc32(b"wasmlink"))
try:
    raise RuntimeError("tb")
except RuntimeError:
    s = io.StringIO(); traceback.print_exc(file=s); print(s.getvalue().splitlines()[-1])
