"""Check kinds, comparison, diagnostics and reports. No Textual here."""
