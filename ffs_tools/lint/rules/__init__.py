"""The lint rules (FFS0xx-FFS5xx), one module per rule; :mod:`ffs_tools.lint.registry` lists them."""
