"""audit-gpu: the streaming walk of the GPU folder, the FFS7xx rules, quarantine and restore."""
