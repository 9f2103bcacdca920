"""generate: what a policy gives (planned and verified in memory), then compared with the disk and written
atomically.
"""
