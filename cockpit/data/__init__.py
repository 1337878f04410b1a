"""cockpit.data: see tools/restructure.py for what this layer holds."""
