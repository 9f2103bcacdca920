"""File-system steps for quarantine and restore that never lose data.

Everything works on folder file descriptors opened one component at a time
with ``O_NOFOLLOW``, so a parent folder replaced by a symbolic link stops
the step (``ELOOP``/``ENOTDIR``) instead of sending it elsewhere. Renames
use ``renameat2(RENAME_NOREPLACE)``: nothing is ever moved over or instead
of an existing entry. Copies keep type, owner and group (as far as the user
may), mode and times. Removals are entry by entry and only of entries that
match their copy (type, size, times, content; and, while the copy's own
inventory is at hand, the same inode): an entry written after the copy is
never removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from ffs_tools.audit.fault import step

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW
_RENAME_NOREPLACE = 1
_libc = ctypes.CDLL(None, use_errno=True)

#: rel (inside one item, "" for the item itself) -> (type, size, mtime_ns, dev, ino) of the original
Inventory = dict[str, tuple[int, int, int, int, int]]


@dataclass
class Removal:
    """What a careful removal did: entries removed, and those kept because they differ from the copy."""

    removed: int = 0
    kept: list[str] | None = None

    def keep(self, rel: str) -> None:
        self.kept = (self.kept or []) + [rel]


def open_dir(base: str, parts: list[str], create: bool = False) -> int:
    """A folder fd for ``base/parts...``, never through a link; ``create`` makes missing folders (0700)."""
    fd = os.open(base, _DIR_FLAGS)
    try:
        for part in parts:
            try:
                nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                os.mkdir(part, 0o700, dir_fd=fd)
                nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd


def lexists(dir_fd: int, name: str) -> bool:
    try:
        os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return False
    return True


def rename_noreplace(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
    """Rename ``src`` to ``dst`` atomically, failing with EEXIST when ``dst`` exists (also an empty folder)."""
    step(f"rename {src} -> {dst}")
    if _libc.renameat2(src_fd, os.fsencode(src), dst_fd, os.fsencode(dst), _RENAME_NOREPLACE) == 0:
        step(f"renamed {src} -> {dst}")
        return
    err = ctypes.get_errno()
    if err not in (errno.EINVAL, errno.ENOSYS):
        raise OSError(err, os.strerror(err), dst)
    if lexists(dst_fd, dst):  # a file system without RENAME_NOREPLACE: check, then rename
        raise OSError(errno.EEXIST, os.strerror(errno.EEXIST), dst)
    os.rename(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd)
    step(f"renamed {src} -> {dst}")


def _kind(mode: int) -> int:
    return stat.S_IFMT(mode)


def _id(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return (_kind(st.st_mode), 0 if stat.S_ISDIR(st.st_mode) else st.st_size, st.st_mtime_ns, st.st_dev, st.st_ino)


def copy_entry(src_fd: int, src: str, dst_fd: int, dst: str, inventory: Inventory, rel: str = "") -> None:
    """Copy ``src`` (below folder ``src_fd``) to the new name ``dst`` with owner, mode and times; record
    every original entry in ``inventory``. Raises OSError when an entry changes while it is copied."""
    st = os.lstat(src, dir_fd=src_fd)
    inventory[rel] = _id(st)
    step(f"copy {rel or '.'}")
    if stat.S_ISDIR(st.st_mode):
        os.mkdir(dst, 0o700, dir_fd=dst_fd)
        sfd, dfd = os.open(src, _DIR_FLAGS, dir_fd=src_fd), os.open(dst, _DIR_FLAGS, dir_fd=dst_fd)
        try:
            for name in sorted(os.listdir(sfd)):
                copy_entry(sfd, name, dfd, name, inventory, f"{rel}/{name}" if rel else name)
            _keep_attrs(dfd, None, st)
            if _id(os.fstat(sfd)) != inventory[rel]:
                raise OSError(errno.EAGAIN, "changed while it was copied", rel or ".")
        finally:
            os.close(sfd)
            os.close(dfd)
    elif stat.S_ISREG(st.st_mode):
        _copy_file(src_fd, src, dst_fd, dst, st, rel)
    elif stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(src, dir_fd=src_fd), dst, dir_fd=dst_fd)
        _keep_attrs(dst_fd, dst, st)
    elif stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        os.mknod(dst, st.st_mode & ~0o7777 | 0o600, st.st_rdev, dir_fd=dst_fd)
        _keep_attrs(dst_fd, dst, st)
    else:
        raise OSError(errno.EOPNOTSUPP, "cannot copy this kind of entry (a socket?)", rel or ".")


def _copy_file(src_fd: int, src: str, dst_fd: int, dst: str, st: os.stat_result, rel: str) -> None:
    sfd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, dir_fd=src_fd)
    try:
        dfd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                      dir_fd=dst_fd)
        try:
            while os.sendfile(dfd, sfd, None, 1 << 20):
                pass
            os.fsync(dfd)
            _keep_attrs(dfd, None, st)
        finally:
            os.close(dfd)
        if _id(os.fstat(sfd))[:3] != _id(st)[:3]:
            raise OSError(errno.EAGAIN, "changed while it was copied", rel or ".")
    finally:
        os.close(sfd)


def _keep_attrs(fd: int, name: str | None, st: os.stat_result) -> None:
    """Owner and group (what the user may set), mode (not for links), then times: the copy as the original.
    ``name`` None: ``fd`` is the copy itself; else ``name`` below folder ``fd`` (links not followed)."""
    def chown(uid: int, gid: int) -> None:
        if name is None:
            os.chown(fd, uid, gid)
        else:
            os.chown(name, uid, gid, dir_fd=fd, follow_symlinks=False)

    try:
        chown(st.st_uid, st.st_gid)
    except PermissionError:
        if os.geteuid() == 0:
            raise
        with contextlib.suppress(PermissionError):  # not root: at least the group, when the user is a member
            chown(-1, st.st_gid)
    times = (st.st_atime_ns, st.st_mtime_ns)
    if name is None:
        os.chmod(fd, stat.S_IMODE(st.st_mode))
        os.utime(fd, ns=times)
        return
    if not stat.S_ISLNK(st.st_mode):
        os.chmod(name, stat.S_IMODE(st.st_mode), dir_fd=fd)
    os.utime(name, ns=times, dir_fd=fd, follow_symlinks=False)


def same(a_fd: int, a: str, b_fd: int, b: str) -> bool:
    """Whether two entries are the same: type, size, mtime and (files) content, (links) target."""
    try:
        sa, sb = os.lstat(a, dir_fd=a_fd), os.lstat(b, dir_fd=b_fd)
    except OSError:
        return False
    if _kind(sa.st_mode) != _kind(sb.st_mode) or sa.st_mtime_ns != sb.st_mtime_ns:
        return stat.S_ISDIR(sa.st_mode) and stat.S_ISDIR(sb.st_mode)
    if stat.S_ISLNK(sa.st_mode):
        return os.readlink(a, dir_fd=a_fd) == os.readlink(b, dir_fd=b_fd)
    if stat.S_ISREG(sa.st_mode):
        return sa.st_size == sb.st_size and _same_bytes(a_fd, a, b_fd, b)
    return True


def _same_bytes(a_fd: int, a: str, b_fd: int, b: str) -> bool:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    fa = os.open(a, flags, dir_fd=a_fd)
    try:
        fb = os.open(b, flags, dir_fd=b_fd)
        try:
            while True:
                x, y = os.read(fa, 1 << 20), os.read(fb, 1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
        finally:
            os.close(fb)
    finally:
        os.close(fa)


def remove_matching(fd: int, name: str, ref_fd: int, ref: str, result: Removal,
                    inventory: Inventory | None = None, rel: str = "") -> None:
    """Remove ``name`` (below folder ``fd``) entry by entry, bottom up, but only the entries that match
    their counterpart ``ref`` (below ``ref_fd``) and, with an ``inventory``, are the very inode that
    was copied. Anything else (written after the copy, changed, extra) stays, and is listed in ``result``."""
    try:
        st = os.lstat(name, dir_fd=fd)
    except FileNotFoundError:
        return
    known = None if inventory is None else inventory.get(rel)
    if inventory is not None and (known is None or (known[0], known[3], known[4]) != (
            _kind(st.st_mode), st.st_dev, st.st_ino)):
        result.keep(rel or ".")  # not the inode that was copied
        return
    if stat.S_ISDIR(st.st_mode):
        _remove_dir(fd, name, ref_fd, ref, result, inventory, rel)
        if lexists(fd, name):  # kept: its time as before the removals below it
            os.utime(name, ns=(st.st_atime_ns, st.st_mtime_ns), dir_fd=fd, follow_symlinks=False)
        return
    if not same(fd, name, ref_fd, ref) or (inventory is not None and inventory[rel] != _id(st)):
        result.keep(rel or ".")
        return
    step(f"unlink {rel or name}")
    try:
        os.unlink(name, dir_fd=fd)
    except PermissionError:  # e.g. a read-only folder, not root: it stays, identical to its copy
        result.keep(rel or ".")
        return
    result.removed += 1


def _remove_dir(fd: int, name: str, ref_fd: int, ref: str, result: Removal, inventory: Inventory | None,
                rel: str) -> None:
    try:
        rfd = os.open(ref, _DIR_FLAGS, dir_fd=ref_fd)
    except OSError:
        result.keep(rel or ".")
        return
    try:
        dfd = os.open(name, _DIR_FLAGS, dir_fd=fd)
        try:
            for child in sorted(os.listdir(dfd)):
                remove_matching(dfd, child, rfd, child, result, inventory, f"{rel}/{child}" if rel else child)
        finally:
            os.close(dfd)
    finally:
        os.close(rfd)
    step(f"rmdir {rel or name}")
    try:
        os.rmdir(name, dir_fd=fd)
        result.removed += 1
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.EACCES, errno.EPERM):
            raise
        if not result.kept or exc.errno in (errno.EACCES, errno.EPERM):
            result.keep(rel or ".")  # an entry appeared meanwhile


def remove_own(fd: int, name: str) -> None:
    """Remove a staging copy this tool made (its name carries the run's token): bottom up, no links followed."""
    try:
        st = os.lstat(name, dir_fd=fd)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        dfd = os.open(name, _DIR_FLAGS, dir_fd=fd)
        try:
            os.chmod(dfd, 0o700)  # a copied read-only folder
            for child in os.listdir(dfd):
                remove_own(dfd, child)
        finally:
            os.close(dfd)
        step(f"rmdir staging {name}")
        os.rmdir(name, dir_fd=fd)
    else:
        step(f"unlink staging {name}")
        os.unlink(name, dir_fd=fd)


def walk_names(fd: int, prefix: str = "") -> Iterator[tuple[str, tuple[int, int, int, int, int]]]:
    """Every entry below folder ``fd`` as (relative path, identity as in :data:`Inventory`), top down,
    links not followed."""
    for name in sorted(os.listdir(fd)):
        rel = f"{prefix}/{name}" if prefix else name
        st = os.lstat(name, dir_fd=fd)
        yield rel, _id(st)
        if stat.S_ISDIR(st.st_mode):
            sub = os.open(name, _DIR_FLAGS, dir_fd=fd)
            try:
                yield from walk_names(sub, rel)
            finally:
                os.close(sub)


def entry_id(fd: int, name: str) -> tuple[int, int, int, int, int] | None:
    """The identity of ``name`` below folder ``fd`` as in :data:`Inventory`; None when it does not exist."""
    try:
        return _id(os.lstat(name, dir_fd=fd))
    except FileNotFoundError:
        return None


def open_dir_at(fd: int, name: str) -> int:
    """The folder ``name`` below folder ``fd``, never through a link."""
    return os.open(name, _DIR_FLAGS, dir_fd=fd)


def is_dir_id(ident: tuple[int, int, int, int, int] | None) -> bool:
    return ident is not None and ident[0] == stat.S_IFDIR
