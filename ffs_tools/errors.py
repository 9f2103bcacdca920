"""The one exception type for "cannot proceed because of the user's input".

It is raised anywhere and caught only in the CLI, which prints one line
``error: <path>[:<line>[:<column>]]: <message>`` and exits with code 2.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user (a file, an option, a policy key): one line, exit code 2."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return where + self.message
