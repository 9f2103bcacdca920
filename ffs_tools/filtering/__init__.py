"""FreeFileSync's filter semantics, exactly: the engine (items, masks, decisions) and its traversal of a tree (soft
filters included).
"""
