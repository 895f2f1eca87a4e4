"""Every vendor is imported before the plugin's own sessions run.

pytester runs an inner session in this process and afterwards drops the modules it
imported. A vendor first imported inside one would be imported again by the next test,
and its classes would then be two (a backend's ``Sample`` is not the API module's), so a
later test in the same process fails in ways no user meets. Importing them all here keeps
one copy of each.
"""

from mockserver.app import VENDORS

for _ref in VENDORS:
    _ref.load()
