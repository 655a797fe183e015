#!/usr/bin/python3
"""Benchmark peer: trio + httpx, at most CONC requests in flight.

Usage: peer_trio_httpx.py LIST OUTDIR [CONC [CAFILE]]

LIST holds one URL per line; each body is streamed to OUTDIR/<last path
segment>. One AsyncClient (its pool keeps up to CONC connections alive), one
trio task per URL and a CapacityLimiter of CONC around each request. Errors
are collected, not raised, so one failure does not cancel the nursery.
CAFILE: the CA bundle that verifies https servers (default: certifi's).
Exit status 1 if any download failed.
"""
import os
import sys

import httpx
import trio

CHUNK = 256 * 1024


async def fetch(client, limiter, url, outdir, failed):
    name = url.rsplit("/", 1)[-1]
    try:
        async with limiter:
            async with client.stream("GET", url) as resp:
                if resp.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {resp.status_code}")
                with open(os.path.join(outdir, name), "wb") as f:
                    async for chunk in resp.aiter_raw(CHUNK):
                        f.write(chunk)
    except Exception as err:  # noqa: BLE001 - reported below
        failed.append(err)


async def main(listfile, outdir, conc, cafile=None):
    with open(listfile) as f:
        urls = [line.strip() for line in f if line.strip()]
    os.makedirs(outdir, exist_ok=True)
    limiter = trio.CapacityLimiter(conc)
    limits = httpx.Limits(max_connections=conc,
                          max_keepalive_connections=conc)
    failed = []
    async with httpx.AsyncClient(limits=limits, timeout=60.0,
                                 verify=cafile or True) as client:
        async with trio.open_nursery() as nursery:
            for u in urls:
                nursery.start_soon(fetch, client, limiter, u, outdir, failed)
    for err in failed[:10]:
        print(f"peer_trio_httpx: {err!r}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4, 5):
        sys.exit(__doc__.strip().splitlines()[2])
    sys.exit(trio.run(main, sys.argv[1], sys.argv[2],
                      int(sys.argv[3]) if len(sys.argv) > 3 else 16,
                      sys.argv[4] if len(sys.argv) > 4 else None))
