"""The homeowner report as pages: charts, wording, the page context and the PDF renderer.

Below the portal and proposals (both show or print the report), above scans (it reads the stored report and
series). A plain package: its templates stay with the pages that include them (portal/report/*)."""
