"""Version and the coder string stamped on every record."""

__version__ = "0.2.0"
CODER = f"communique {__version__}"
