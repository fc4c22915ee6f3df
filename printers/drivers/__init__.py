"""Transport drivers. Each takes a PrinterConfig and is made fresh for every job.

The registry from URL scheme to driver class lives in ``printers.delivery``.
"""
