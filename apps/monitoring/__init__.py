"""After installation: expected versus actual production per month, and an alert when a system underperforms.

* ``models``: ``InstalledDesign`` (what was installed on a dossier, when), ``MonthlyPerformance`` (derived,
  rewritten by every refresh), ``PerformanceAlert`` (one active per dossier).
* ``expected`` (pure): the engine's PV model on the measured weather years → a band per month.
* ``figures`` (pure): stored hourly inverter readings → months with coverage; ``rules`` (pure): the alert.
* ``services``: writes; ``performance_refresh`` is idempotent. ``receivers``: the devices' ``readings_synced``
  signal queues a refresh (job ``jobs.refresh_performance``) after each completed sync or Enode webhook
  delivery with readings.
* ``api``: ``/v1/dossiers/{id}/installed-design`` and ``/v1/dossiers/{id}/performance``; portal pages via
  ``templatetags.monitoring`` and ``portal_views`` (as ``apps.proposals`` does); ``homeowner``: the share
  page's "your system this year" in plain words.
"""
