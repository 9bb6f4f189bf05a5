"""Language processing; nothing is loaded at import time."""
