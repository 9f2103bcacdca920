"""``ffs-tools init``: write a commented ffs-policy.toml for the current project."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer


def command(
    gpu: Annotated[str | None, typer.Option(
        "--gpu", metavar="PATH", show_default=False,
        help="The project's folder on the GPU machine (sftp://user@host/path|agent, |keyfile=KEY, or a mounted "
             "folder). Without it, gpu.path is left for you to fill in.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing ffs-policy.toml.")] = False,
    ffs_version: Annotated[str | None, typer.Option(
        "--ffs-version", metavar="VERSION", show_default=False,
        help="The FreeFileSync that runs the files, written as [ffs] version (12, 13 or 14). Default: the "
             "installed one, detected (else 12).")] = None,
) -> None:
    """Write ffs-policy.toml for the project in the current folder, with what was detected, and print the
    pre-commit snippet; in a git repository, adds FreeFileSync's .sync.ffs_db and *.ffs_lock to .gitignore.

    Detects the installed FreeFileSync (written as [ffs] version), the project name, a git repository,
    virtualenvs and conda envs (any name), and data folders (data/, datasets/, models/, checkpoints/,
    results/ ...) to propose as keep.paths. Exit codes: 0 written,
    2 refused (a policy exists already, or a bad --gpu).
    """
    from ffs_tools.errors import UserError
    from ffs_tools.fsutil import atomic_write
    from ffs_tools.policy.init import detect, policy_text, pre_commit_snippet
    from ffs_tools.policy.load import POLICY_FILE, find_policy, parse_policy
    from ffs_tools.policy.target import resolve_target

    cwd = Path.cwd()
    target = cwd / POLICY_FILE
    existing = find_policy(cwd)
    if existing is not None and not (force and existing == target):
        raise UserError(f"a policy exists already ({existing.name}); edit it" +
                        (", or use --force to replace it" if existing == target else ""), str(existing))
    found = detect(cwd)
    resolved = resolve_target(ffs_version, None)
    text = policy_text(found, gpu, resolved.target.version, resolved.line)
    if gpu:
        try:  # the same validation generate applies, on the exact text, before anything is written
            parse_policy(text, target)
        except UserError as exc:
            raise UserError(f"--gpu: {exc.message.split(': ', 1)[-1]}") from None
    atomic_write(target, text.encode("utf-8"))
    typer.echo(f"wrote {target}", err=True)
    typer.echo(resolved.line, err=True)
    if found.git:
        _ignore_ffs_files(cwd / ".gitignore")
    for env in found.envs:
        typer.echo(f"found {env.path}/ ({env.marker} inside): never synced", err=True)
    typer.echo("next: " + ("ffs-tools generate" if gpu else f"fill in gpu.path in {POLICY_FILE}, then ffs-tools "
                                                               "generate"), err=True)
    typer.echo(pre_commit_snippet(), nl=False)


def _ignore_ffs_files(path: Path) -> None:
    """Add FreeFileSync's database and lock files to ``path`` (.gitignore), keeping every line of the user."""
    from ffs_tools.errors import UserError
    from ffs_tools.fsutil import NotRegularError, atomic_write, read_regular
    from ffs_tools.policy.init import GITIGNORE_LINES, gitignore_with_ffs_lines

    try:
        current = read_regular(path, 16 * 1024 * 1024, follow=False) if os.path.lexists(path) else None
        new = gitignore_with_ffs_lines(current)
        if new is not None:
            atomic_write(path, new)
    except NotRegularError:
        typer.echo(f"{path}: not a regular file (a link?): not changed; add {' and '.join(GITIGNORE_LINES)} "
                   "to it yourself", err=True)
        return
    except OSError as exc:
        raise UserError(f"cannot update .gitignore: {exc.strerror or exc} (the policy was written)", str(path)) \
            from None
    names = ", ".join(GITIGNORE_LINES)
    typer.echo(f"{path}: {'added ' + names if new is not None else names + ' already ignored'}", err=True)
