"""Version and the coder string stamped on every record."""

__version__ = "0.1.0"
CODER = f"communique {__version__}"
