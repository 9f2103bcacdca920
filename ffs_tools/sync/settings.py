"""The private ``GlobalSettings.xml`` each ``sync`` run hands FreeFileSync as its second argument.

FreeFileSync reads its global settings from the file named on the command line
(any argument ending in ``.xml``) instead of ``~/.config/FreeFileSync/GlobalSettings.xml``,
and rewrites that file at the end of every batch run. ``sync`` therefore writes a
fresh file into a temporary folder for each run: the user's own settings are never
read or written, and FreeFileSync's rewrite lands in a folder that is deleted
afterwards.

Two optional warnings are switched off (``<OptionalDialogs>/<Name Show="false">``,
the same element names in FreeFileSync 12.0, XmlFormat 25, and 14.10, XmlFormat 28:
``FreeFileSync/Source/config.cpp`` at tags v12.0 and v14.10):

* ``WarnSignificantDifference``: "The following folders are significantly
  different" stops an unattended batch (``ErrorDialog=Cancel``) on the first sync
  into a folder that already holds results and whenever many new files arrive; the
  plan's own guard (``--max-delete``) replaces it.
* ``WarnUnresolvedConflicts``, unless ``--stop-on-conflict``: the batch then syncs
  everything else and leaves conflicting items alone (the plan lists them).

In batch mode a warning with ``Show="false"`` is still written to the log (exit
code 1) but never stops the job. Every other warning (a missing folder, the
recycle bin, disk space) keeps stopping the run before it changes anything.
Elements the file leaves out take FreeFileSync's defaults (batch mode ignores the
"incomplete file" notice); the log is written as text so that ``sync`` can read it.
How each of these facts was verified: docs/sync.md.
"""

from __future__ import annotations

from pathlib import Path

#: GlobalSettings XmlFormat per FreeFileSync major version (config.cpp XML_FORMAT_GLOBAL_CFG)
GLOBAL_FORMAT = {"12": 25, "14": 28}

SIGNIFICANT_DIFFERENCE = "WarnSignificantDifference"
UNRESOLVED_CONFLICTS = "WarnUnresolvedConflicts"


def settings_xml(ffs_version: str, sync_around_conflicts: bool, guarded: bool = True) -> str:
    """The whole private settings file for FreeFileSync ``ffs_version`` ("12" or "14").

    ``guarded=False`` (no plan, so no guard: a remote folder pair) switches nothing off.
    """
    off = ([SIGNIFICANT_DIFFERENCE] + ([UNRESOLVED_CONFLICTS] if sync_around_conflicts else [])) if guarded else []
    dialogs = "".join(f'        <{name} Show="false"/>\n' for name in off)
    head = ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<FreeFileSync XmlType="GLOBAL" XmlFormat="{GLOBAL_FORMAT.get(ffs_version, 28)}">\n'
            '    <FileTimeTolerance Seconds="2"/>\n'
            '    <LogFiles MaxAge="30" Format="Text"/>\n')
    body = f"    <OptionalDialogs>\n{dialogs}    </OptionalDialogs>\n" if dialogs else ""
    return head + body + "</FreeFileSync>\n"


def write_settings(folder: Path, ffs_version: str, sync_around_conflicts: bool, guarded: bool = True) -> Path:
    """Write the private settings into ``folder`` (a fresh temporary folder) and return the file."""
    path = folder / "GlobalSettings.xml"
    path.write_text(settings_xml(ffs_version, sync_around_conflicts, guarded), encoding="utf-8")
    return path
