"""ffs-tools: FreeFileSync setups between a local (git) machine and a GPU machine, correct by construction."""

__version__ = "0.1.0"  # the one home of the version (pyproject.toml reads it: [tool.hatch.version])
