"""Settings for the whole suite.

Hypothesis' per-example deadline is a timed assertion: on a loaded machine (a CI
runner, two cores shared with other jobs) a first example that imports or warms a
cache can exceed it while the behaviour is right. Time is the bench's to measure, so
the suite runs without deadlines.
"""

from hypothesis import settings

settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
