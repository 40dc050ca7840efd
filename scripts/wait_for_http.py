"""Wait until each URL answers over HTTP (any status), or fail after --timeout seconds.

`make run-scaled` starts the sandbox's servers, then this, then acdash: a gunicorn accepts
connections before its worker has loaded, so the first calls of a fresh stack would queue
and arrive at the sandbox together, which counts a second's calls by their arrival (the
limiter had spaced them) and refused one with a 429.
"""

import argparse
import sys
import time
import urllib.error
import urllib.request


def answers(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True  # an answer, whatever its status
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--timeout", type=float, default=120.0)
    options = parser.parse_args()
    give_up = time.monotonic() + options.timeout
    for url in options.urls:
        while not answers(url, timeout=max(0.1, give_up - time.monotonic())):
            if time.monotonic() >= give_up:
                print(f"{url} did not answer in {options.timeout:g} s", file=sys.stderr)
                return 1
            time.sleep(0.2)  # connection refused: the server is not listening yet
    return 0


if __name__ == "__main__":
    sys.exit(main())
