"""The plumbing every JSON endpoint shares: one body reader (size, content type, JSON, text)
and one public-id lookup. App views declare what they read; the answers live here, once."""
