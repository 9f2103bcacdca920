"""FreeFileSync knowledge, the lowest layer: versions and XmlFormats, the config model, path phrases, what never
travels.
"""
