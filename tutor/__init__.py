"""tutor: learn deep learning by implementing it."""

__version__ = "0.1.0"
