"""lint: a config file -> model -> rules -> findings; the rule registry, --fix, and the gate generate's output
passes.
"""
