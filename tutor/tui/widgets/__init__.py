"""Reusable widgets: lesson view, code editor, results table, live loss plot."""
