import json, re, math, collections, struct, heapq, hashlib, binascii
print(json.dumps({"a": [1, 2.5, None, True], "b": "x"}, sort_keys=True))
print(json.loads('{"k": [1, 2, {"z": null}]}'))
print(re.sub(r"(\d+)", lambda m: str(int(m.group(1)) * 2), "a1 b22 c333"))
print(math.sqrt(2), math.factorial(20), math.gcd(12, 18))
print(struct.pack("<IHb", 1, 2, -3))
h = [5, 1, 4, 2, 3]; heapq.heapify(h); print([heapq.heappop(h) for _ in range(5)])
print(binascii.hexlify(hashlib.sha256(b"wasmlink").digest()))
od = collections.OrderedDict(); od["x"] = 1; od["y"] = 2; print(list(od.items()))
try:
    json.loads("{bad json")
except ValueError as e:
    print("json error caught:", type(e).__name__)
