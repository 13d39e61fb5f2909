"""Screens: home, exercise, help, confirm (modal) and the reference view."""
