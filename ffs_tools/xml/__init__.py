"""FreeFileSync's XML files: safe parsing (the only lxml user), reading into the model, source spans, migration,
writing (templates) and XSD schemas.
"""
