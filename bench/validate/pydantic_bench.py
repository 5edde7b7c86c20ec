"""pydantic 1.10 doing what bench/validate/main.cpp times in Strata: validating
each line of a file (a small JSON ItemCreate body) into the model.

Run by strata_bench_validate with Debian's /usr/bin/python3 (python3-pydantic).
Usage: pydantic_bench.py <file of JSON texts, one a line> <repeats>
Prints one JSON object: {"seconds": [s, ...]} (one per repeat), "valid": count.
"""
import json
import sys
import time
from typing import Optional

from pydantic import BaseModel, constr


class ItemCreate(BaseModel):
    # The full-stack template's ItemCreate: title 1..255, description <= 255 or None.
    title: constr(min_length=1, max_length=255)
    description: Optional[constr(max_length=255)] = None


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        texts = f.read().splitlines()
    times = []
    valid = 0
    for _ in range(repeats):
        valid = 0
        t0 = time.perf_counter()
        for t in texts:
            item = ItemCreate.parse_raw(t)
            valid += item.title is not None
        times.append(time.perf_counter() - t0)
    print(json.dumps({"seconds": times, "valid": valid}))


if __name__ == "__main__":
    main()
