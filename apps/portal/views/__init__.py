"""Portal views, one small module per area: dashboard, dossiers, settings (members, keys, branding, webhooks)."""
