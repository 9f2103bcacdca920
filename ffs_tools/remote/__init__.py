"""Remote folders: logging in to the server of an ``sftp://`` side and reading from it (docs/sftp-plan.md)."""
