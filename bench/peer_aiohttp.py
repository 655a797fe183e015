#!/usr/bin/python3
"""Benchmark peer: asyncio + aiohttp, at most CONC requests in flight.

Usage: peer_aiohttp.py LIST OUTDIR [CONC [CAFILE]]

LIST holds one URL per line; each body is streamed to OUTDIR/<last path
segment>. One ClientSession (its connector keeps up to CONC connections
alive) and a semaphore of CONC around each request, the way such a script is
usually written. CAFILE: the CA bundle that verifies https servers (default:
the system's). Exit status 1 if any download failed.
"""
import asyncio
import os
import ssl
import sys

import aiohttp

CHUNK = 256 * 1024


async def fetch(session, sem, url, outdir):
    name = url.rstrip("\n").rsplit("/", 1)[-1]
    async with sem:
        async with session.get(url) as resp:
            if resp.status != 200:
                raise RuntimeError(f"{url}: HTTP {resp.status}")
            with open(os.path.join(outdir, name), "wb") as f:
                async for chunk in resp.content.iter_chunked(CHUNK):
                    f.write(chunk)


async def main(listfile, outdir, conc, cafile=None):
    with open(listfile) as f:
        urls = [line.strip() for line in f if line.strip()]
    os.makedirs(outdir, exist_ok=True)
    sem = asyncio.Semaphore(conc)
    ctx = ssl.create_default_context(cafile=cafile) if cafile else None
    connector = aiohttp.TCPConnector(limit=conc, ssl=ctx)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     auto_decompress=False) as session:
        results = await asyncio.gather(
            *(fetch(session, sem, u, outdir) for u in urls),
            return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    for err in failed[:10]:
        print(f"peer_aiohttp: {err!r}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4, 5):
        sys.exit(__doc__.strip().splitlines()[2])
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2],
                              int(sys.argv[3]) if len(sys.argv) > 3 else 16,
                              sys.argv[4] if len(sys.argv) > 4 else None)))
