"""The project policy (ffs-policy.toml): model, loading, schema, checks, the local environment scan, and the jobs
it turns into.
"""
