"""sync: plan, guard, run the real FreeFileSync with private settings under a lock, verify the result."""
