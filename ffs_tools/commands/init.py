"""``ffs-tools init``: write a commented ffs-policy.toml for the current project."""

from __future__ import annotations

from typing import Annotated

import typer


def command(
    gpu: Annotated[str | None, typer.Option(
        "--gpu", metavar="PATH", show_default=False,
        help="The project's folder on the GPU machine (sftp://user@host/path|agent, |keyfile=KEY, or a mounted "
             "folder). Without it, gpu.path is left for you to fill in.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing ffs-policy.toml.")] = False,
) -> None:
    """Write ffs-policy.toml for the project in the current folder, with what was detected, and print the
    pre-commit snippet.

    Detects the project name, a git repository, virtualenvs and conda envs (any name), and data folders
    (data/, datasets/, models/, checkpoints/, results/ ...) to propose as keep.paths. Exit codes: 0 written,
    2 refused (a policy exists already, or a bad --gpu).
    """
    from pathlib import Path

    from ffs_tools import __version__
    from ffs_tools.errors import UserError
    from ffs_tools.fsutil import atomic_write
    from ffs_tools.policy.init import PRE_COMMIT_SNIPPET, detect, policy_text
    from ffs_tools.policy.load import POLICY_FILE, find_policy, parse_policy

    cwd = Path.cwd()
    target = cwd / POLICY_FILE
    existing = find_policy(cwd)
    if existing is not None and not (force and existing == target):
        raise UserError(f"a policy exists already ({existing.name}); edit it" +
                        (", or use --force to replace it" if existing == target else ""), str(existing))
    found = detect(cwd)
    text = policy_text(found, gpu)
    if gpu:
        try:  # the same validation generate applies, on the exact text, before anything is written
            parse_policy(text, target)
        except UserError as exc:
            raise UserError(f"--gpu: {exc.message.split(': ', 1)[-1]}") from None
    atomic_write(target, text.encode("utf-8"))
    typer.echo(f"wrote {target}", err=True)
    for env in found.envs:
        typer.echo(f"found {env.path}/ ({env.marker} inside): never synced", err=True)
    typer.echo("next: " + ("ffs-tools generate" if gpu else f"fill in gpu.path in {POLICY_FILE}, then ffs-tools "
                                                               "generate"), err=True)
    typer.echo(PRE_COMMIT_SNIPPET.format(version=__version__), nl=False)
