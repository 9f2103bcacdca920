"""preview / explain: what FreeFileSync would copy, and why an item is or is not synced."""
