"""Helper of the scans tests that run a worker: polling until done."""

import time


def wait_until(predicate, timeout_s: float) -> bool:
    """Poll ``predicate`` every 50 ms until it holds or ``timeout_s`` passed; its last answer."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
