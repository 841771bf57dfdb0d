"""Settings for the test suite: the real settings plus fast hashing and a test-only app."""

import os

os.environ["SECURITYUNION_TESTING"] = "1"

from .settings import *  # noqa: E402,F403
