"""The headless core: catalog, workspace, progress store and the sandboxed runner.

Nothing in this package imports Textual; tests keep it so.
"""
