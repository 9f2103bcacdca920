"""``ffs-tools generate``: FreeFileSync configs from the project policy, right by construction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def command(
    policy: Annotated[Path | None, typer.Option(
        "--policy", "-p", metavar="FILE", show_default=False,
        help="The policy: an ffs-policy.toml, or a pyproject.toml with [tool.ffs-tools]. Default: ffs-policy.toml, "
             "else pyproject.toml's [tool.ffs-tools], in the current folder.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="DIR", show_default=False,
        help="Write the files here (default: the policy's folder; without a policy: the current folder).")] = None,
    ffs_version: Annotated[str | None, typer.Option(
        "--ffs-version", metavar="VERSION", show_default=False,
        help="The FreeFileSync that runs the files: 13 or 14 writes XmlFormat 23 (FreeFileSync 13.0 - 14.10); "
             "12 (also 11.3 - 12.2) writes XmlFormat 17, which Debian's FreeFileSync 12.0 runs. FreeFileSync 12 "
             "refuses format 23 (exit code 4) and a newer one rewrites older files on load. Default: the "
             "policy's [ffs] version, else the installed FreeFileSync (detected), else 12.")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="Write nothing; exit 1 if any file would be created or changed (for the pre-commit hook; "
                        "the files hold this machine's absolute paths, so check where the project lives).")
    ] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Also replace files that were edited by hand since they were generated.")] = False,
    prune: Annotated[bool, typer.Option(
        "--prune", help="Move files an earlier generate wrote that the policy no longer produces (unchanged since) "
                        "into .ffs-tools-pruned/<time>/ in the output folder.")] = False,
    gpu: Annotated[str | None, typer.Option(
        "--gpu", metavar="PATH", show_default=False,
        help="Without a policy file: the project's folder on the GPU machine (sftp://user@host/path|agent, "
             "|keyfile=KEY, or a mounted folder); the built-in defaults do the rest (local = the current folder, "
             "name = its name).")] = None,
) -> None:
    """Write <name>.ffs_gui, <name>.ffs_batch, <name>.ffs_real and FREEFILESYNC_EXCLUSIONS.txt from the policy.

    .git/.hg/.svn (folders and files), virtualenvs, conda envs and caches never travel; keep.paths always
    do (checked with FreeFileSync's own filter semantics); the batch runs unattended without ever waiting
    for a click. Every file is checked against its XSD and read back before anything is written.
    Exit codes: 0 done (or --check: up to date), 1 --check: files would change, 2 bad policy or refused.
    """
    from ffs_tools.errors import UserError
    from ffs_tools.generate.plan import plan
    from ffs_tools.generate.write import compare_and_write
    from ffs_tools.lint.gate import check_generated
    from ffs_tools.policy.jobs import local_root
    from ffs_tools.policy.load import default_policy, find_policy, load_policy
    from ffs_tools.policy.model import DEFAULTS_ORIGIN
    from ffs_tools.policy.target import notes, resolve_target

    def echo(message: str) -> None:
        typer.echo(message, err=True)

    cwd = Path.cwd()
    policy_file = policy if policy is not None else find_policy(cwd)
    if policy_file is not None:
        if gpu is not None:
            raise UserError(f"--gpu is for running without a policy file; {policy_file} names the GPU "
                            "machine(s) already: edit gpu.path there")
        loaded = load_policy(policy_file)
    elif gpu is not None:
        loaded = default_policy(gpu, cwd)
    else:
        raise UserError("no ffs-policy.toml (or [tool.ffs-tools] in pyproject.toml) here: run ffs-tools init, "
                        "or pass --gpu PATH to use the built-in defaults", str(cwd))
    resolved = resolve_target(ffs_version, loaded)
    echo(resolved.line)
    for note in notes(resolved, ffs_version, loaded):
        echo(note)
    out_dir = (out if out is not None else loaded.base_dir).resolve()
    outputs = plan(loaded, resolved.target, out_dir, echo)
    where = None if loaded.origin == DEFAULTS_ORIGIN else loaded.origin
    for output in outputs:
        if not output.name.endswith(".txt"):  # the same checks as the lint hook, the disk's included
            check_generated(output.name, output.data, local_root(loaded), where, loaded.scan_local)
    raise typer.Exit(compare_and_write(outputs, out_dir, check, force, echo, prune))
