"""cockpit.domain: see tools/restructure.py for what this layer holds."""
