"""Benchmark: listing a remote tree over SFTP with asyncssh and with paramiko (the choice of issue 13 item 3).

Lists every folder below ``PATH`` on ``HOST:PORT`` (names, sizes, modification times, types: what ``plan``
needs) and prints the wall time and the number of entries for each way:

* ``paramiko serial``: one ``SFTPClient``, ``listdir_attr`` folder after folder (one READDIR round trip
  at a time);
* ``paramiko threads``: ``--workers`` threads, each with its own SFTP channel on one transport;
* ``asyncssh serial``: one client, ``readdir`` folder after folder;
* ``asyncssh concurrent``: one client, up to ``--workers`` folders listed at once (SFTP requests are
  pipelined on the one channel).

The server is any SSH server; the issue's loopback set-up is OpenSSH's ``sshd`` on 127.0.0.1 with a user
key (see tests/sshd.py). The tree: ``python bench/sftp_list_bench.py --build DIR --files 100000`` builds the
tree of bench/preview_bench.py there first.
Usage: python bench/sftp_list_bench.py --port 22022 --user me --key KEYFILE [--workers 16] [--repeat 3] PATH
"""

from __future__ import annotations

import argparse
import asyncio
import stat
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def paramiko_serial(args: argparse.Namespace) -> int:
    import paramiko

    with _paramiko_client(args) as client:
        sftp = client.open_sftp()
        count, stack = 0, [args.path]
        while stack:
            folder = stack.pop()
            for a in sftp.listdir_attr(folder):
                count += 1
                if stat.S_ISDIR(a.st_mode or 0):
                    stack.append(f"{folder}/{a.filename}")
        assert isinstance(sftp, paramiko.SFTPClient)
        return count


def paramiko_threads(args: argparse.Namespace) -> int:
    with _paramiko_client(args) as client:
        transport = client.get_transport()
        assert transport is not None
        lock = threading.Condition()
        stack, busy, count = [args.path], [0], [0]

        def worker() -> None:
            import paramiko

            sftp = paramiko.SFTPClient.from_transport(transport)
            assert sftp is not None
            while True:
                with lock:
                    while not stack and busy[0]:
                        lock.wait()
                    if not stack:
                        lock.notify_all()
                        return
                    folder = stack.pop()
                    busy[0] += 1
                entries = sftp.listdir_attr(folder)
                subs = [f"{folder}/{a.filename}" for a in entries if stat.S_ISDIR(a.st_mode or 0)]
                with lock:
                    count[0] += len(entries)
                    stack.extend(subs)
                    busy[0] -= 1
                    lock.notify_all()

        threads = [threading.Thread(target=worker) for _ in range(args.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return count[0]


class _paramiko_client:
    def __init__(self, args: argparse.Namespace) -> None:
        import paramiko

        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.args = args

    def __enter__(self):  # type: ignore[no-untyped-def]
        a = self.args
        self.client.connect(a.host, a.port, a.user, key_filename=a.key, allow_agent=False, look_for_keys=False)
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()


def asyncssh_serial(args: argparse.Namespace) -> int:
    return asyncio.run(_asyncssh(args, 1))


def asyncssh_concurrent(args: argparse.Namespace) -> int:
    return asyncio.run(_asyncssh(args, args.workers))


async def _asyncssh(args: argparse.Namespace, workers: int) -> int:
    import asyncssh

    async with asyncssh.connect(args.host, args.port, username=args.user, client_keys=[args.key],
                                known_hosts=None, agent_path=None) as conn, conn.start_sftp_client() as sftp:
        count = 0
        queue: asyncio.Queue[str] = asyncio.Queue()
        queue.put_nowait(args.path)

        async def worker() -> None:
            nonlocal count
            while True:
                folder = await queue.get()
                try:
                    for e in await sftp.readdir(folder):
                        name = str(e.filename)  # str, as the path given is
                        if name in (".", ".."):
                            continue
                        count += 1
                        if e.attrs.type == asyncssh.FILEXFER_TYPE_DIRECTORY:
                            queue.put_nowait(f"{folder}/{name}")
                finally:
                    queue.task_done()

        tasks = [asyncio.create_task(worker()) for _ in range(workers)]
        await queue.join()
        for t in tasks:
            t.cancel()
        return count


WAYS: dict[str, Callable[[argparse.Namespace], int]] = {
    "paramiko serial": paramiko_serial, "paramiko threads": paramiko_threads,
    "asyncssh serial": asyncssh_serial, "asyncssh concurrent": asyncssh_concurrent,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=22)
    parser.add_argument("--user", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", type=Path, help="build the tree here first")
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--only", choices=sorted(WAYS), action="append")
    args = parser.parse_args()
    if args.build is not None:
        from preview_bench import build_tree

        build_tree(args.build, args.files)
    for name, fn in WAYS.items():
        if args.only and name not in args.only:
            continue
        times, count = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            count = fn(args)
            times.append(time.perf_counter() - started)
        print(f"{name:20s} best {min(times):6.2f} s  ({count:,} entries; runs: "
              + ", ".join(f"{t:.2f}" for t in times) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
