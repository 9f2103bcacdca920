"""Names whose kind (file or folder) and place are known, in one place, for the filter diagnoses.

``lint`` uses them to tell an item that cannot match what it names (FFS144: ``*/.directory/`` is
folder-only while KDE's ``.directory`` is a file), an item anchored at the base folder that names a
folder found at every depth of a code tree (FFS143: ``node_modules`` without ``*/``), and an include
item that names a file, below which nothing can sync (the probes of FFS101-FFS121 skip it).
"""

from __future__ import annotations

import re

from ffs_tools.ffs.never_travels import CACHE_NAMES, VCS_NAMES, VENV_NAMES

#: folders that appear at every depth of a code tree (one per package, module or project of a monorepo)
CODE_TREE_FOLDERS: tuple[str, ...] = ("node_modules", "bower_components", "build", "dist", "target", ".gradle",
                                      ".idea", ".vscode", ".tox", ".nox", ".next", ".nuxt", ".terraform")

#: names that are always files: KDE's folder settings, Finder's and Explorer's metadata
FILE_NAMES: tuple[str, ...] = (".directory", ".DS_Store", "Thumbs.db", "ehthumbs.db", "desktop.ini", ".localized")

#: names that are always folders: the code-tree folders, environments and caches, and file-system metadata
FOLDER_NAMES: tuple[str, ...] = (*CODE_TREE_FOLDERS, *VENV_NAMES, *CACHE_NAMES, "$RECYCLE.BIN",
                                 "System Volume Information", ".Trashes", ".fseventsd", ".Spotlight-V100",
                                 ".DocumentRevisions-V100", ".TemporaryItems", "lost+found")

#: dotfiles of shells, editors and tools in a home folder: always files (``.bash_history``, ``.gitconfig``)
DOTFILE_NAMES: tuple[str, ...] = (
    ".bash_history", ".bash_profile", ".bash_login", ".bash_logout", ".bashrc", ".profile", ".zshrc", ".zshenv",
    ".zprofile", ".zlogin", ".zlogout", ".zsh_history", ".cshrc", ".tcshrc", ".xonshrc", ".inputrc", ".vimrc",
    ".viminfo", ".gvimrc", ".gitconfig", ".gitignore", ".gitattributes", ".gitmodules", ".npmrc", ".yarnrc",
    ".wslconfig", ".editorconfig", ".python_history", ".node_repl_history", ".tig_history", ".lesshst",
    ".wget-hsts", ".netrc", ".Xresources", ".xinitrc", ".xprofile", ".Xauthority", ".selected_editor",
    ".sudo_as_admin_successful", ".psql_history", ".mysql_history", ".sqlite_history", ".pypirc", ".condarc",
)

#: extensions that, after a dot-name (``.eslintrc.json``, ``.tcshrc.bak``), make it a file
DOTFILE_EXTENSIONS: frozenset[str] = frozenset({
    "bak", "old", "orig", "swp", "tmp", "json", "yml", "yaml", "toml", "ini", "cfg", "conf", "txt", "xml", "js",
    "cjs", "mjs", "sh", "ps1", "lock", "local", "log",
})

#: folder or file (``.git`` is a folder in a clone, a file in a worktree or submodule)
EITHER_NAMES: tuple[str, ...] = VCS_NAMES

#: a name with a file extension (``mix.html``, ``style.css``), not a dot-name (``.git``) or a version (``3.11``)
_EXTENSION = re.compile(r"[^.].*\.[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]{0,4}")

_FILES = frozenset(n.upper() for n in (*FILE_NAMES, *DOTFILE_NAMES))
_FOLDERS = frozenset(n.upper() for n in FOLDER_NAMES)
_EITHER = frozenset(n.upper() for n in EITHER_NAMES)


def kind_of_name(name: str) -> str | None:
    """``"file"`` or ``"folder"`` for a known name (any case), else None (also for ``.git``: either)."""
    upper = name.upper()
    if upper in _EITHER:
        return None
    if upper in _FILES:
        return "file"
    if upper in _FOLDERS:
        return "folder"
    return None


def names_a_file(name: str) -> bool:
    """Whether ``name`` (one path component, no wildcards) reads as a file: a known file name (also a known
    dotfile: ``.bashrc``, ``.gitconfig``), a name with an extension that is not a known folder (``mix.html``,
    ``style.css``; not ``python3.11``), or a dot-name whose extension is a file's (``.tcshrc.bak``,
    ``.eslintrc.json``). Any other dot-name (``.git``, ``.config``, ``.cache``) can be a folder."""
    kind = kind_of_name(name)
    if kind is not None:
        return kind == "file"
    if name.startswith("."):
        stem, dot, ext = name.rpartition(".")
        return bool(stem and dot) and (kind_of_name(stem) == "file" or ext.lower() in DOTFILE_EXTENSIONS)
    return _EXTENSION.fullmatch(name) is not None


def is_code_tree_folder(name: str) -> bool:
    return name.upper() in {n.upper() for n in CODE_TREE_FOLDERS}
