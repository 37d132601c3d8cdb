"""Times chaostoolkit-toxiproxy's own create/delete functions in-process, as `chaos run` calls them.

Usage: python toxic_loop.py <toxiproxy_url> <proxy> <rounds> <warmup>; prints one JSON object.
"""

import json
import logging
import sys
import time

import logzero
from chaostoxi.toxic.actions import create_latency_toxic, delete_toxic

url, proxy, rounds, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# The extension logs every create at INFO; silenced so terminal I/O is not part of its time
# (gameday's injector does not log either).
logzero.loglevel(logging.WARNING)
configuration = {"toxiproxy_url": url}
create_ms, delete_ms = [], []
for i in range(warmup + rounds):
    name = f"ctk-bench-{i}"
    t0 = time.perf_counter()
    created = create_latency_toxic(proxy, name, 100, 0, configuration=configuration)
    t1 = time.perf_counter()
    deleted = delete_toxic(proxy, name, configuration=configuration)
    t2 = time.perf_counter()
    if not created or not deleted:
        sys.exit(f"round {i}: create returned {created!r}, delete returned {deleted!r}")
    if i >= warmup:
        create_ms.append((t1 - t0) * 1000)
        delete_ms.append((t2 - t1) * 1000)
print(json.dumps({"create": create_ms, "delete": delete_ms}))
