"""Network access of the terminal (Qt-free; runs in workers)."""
