"""The ``audit-gpu`` rules (FFS7xx), one module per rule; :mod:`ffs_tools.audit.registry` lists them."""
