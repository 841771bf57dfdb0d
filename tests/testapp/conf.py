"""The test app's settings with their defaults, read through the shared accessor."""

from securityunion.casework.conf import AppSettings, Setting

app_settings = AppSettings(
    TESTAPP_CLOSED_RETENTION_DAYS=Setting(int, 30),
    TESTAPP_JOB_MINUTES=Setting(int, 10),
)
