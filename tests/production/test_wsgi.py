"""What a new server process has loaded before its first request (acdash/wsgi.py)."""

import subprocess
import sys

LOADED = "import sys, acdash.wsgi; print(' '.join(sorted(sys.modules)))"


def test_a_server_process_loads_every_view_before_its_first_request():
    # Loaded on the first request instead, the URLconf cost that page ~220 ms, and the
    # sandbox stamped that call's arrival as late, so calls the limiter had spaced out
    # looked like a burst and one was refused with a 429.
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"acdash.urls", "acdash.contacts.listing", "acdash.sandbox.views"} <= set(loaded)
