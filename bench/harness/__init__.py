"""What every bench script shares: a server of its own on a temporary database
(``server``), a browser that reads Server-Timing (``browser``), and the statistics and
tables it prints (``report``). A package, so that ``make bench``, which runs every
``bench/*.py``, does not run it as a benchmark."""
