"""Fake Enode, Enphase and POD servers that answer like the vendors' documented APIs (stdlib WSGI only).

Tests start them per test (``server.start_fake_server``); the embedded run starts one per vendor on first
use through ``embedded`` when ``DEVICES_VENDOR_MODE=fake``. The product never imports this package.
"""
