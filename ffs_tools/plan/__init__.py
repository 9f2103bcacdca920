"""plan: FreeFileSync's comparison and sync directions, predicted exactly; the database reader."""
