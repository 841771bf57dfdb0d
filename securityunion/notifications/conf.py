"""Settings of the notification centre (``securityunion.casework.conf``)."""

from securityunion.casework.conf import AppSettings, Setting

app_settings = AppSettings(
    # Where links in mails point: the address people open the back office at.
    NOTIFICATIONS_BASE_URL=Setting(str, "http://localhost:8000"),
    # Attempts of one mail by its task (the first and the retries), then it shows as failed.
    NOTIFICATIONS_EMAIL_ATTEMPTS=Setting(int, 3),
    # Seconds before the task's first retry (doubled for each further one).
    NOTIFICATIONS_EMAIL_RETRY_SECONDS=Setting(int, 60),
    # The scheduled job tries failed mails again until a mail has had this many attempts...
    NOTIFICATIONS_EMAIL_MAX_ATTEMPTS=Setting(int, 10),
    # ... and while it is younger than this many hours.
    NOTIFICATIONS_EMAIL_RETRY_HOURS=Setting(int, 72),
    # A mail still pending this long after its notification lost its task: the job sends it.
    NOTIFICATIONS_EMAIL_STRANDED_MINUTES=Setting(int, 15),
    # Notifications are deleted this many days after they were made (what each person was
    # told stays in the audit log).
    NOTIFICATIONS_RETENTION_DAYS=Setting(int, 180),
    # Notifications per page of /notifications/.
    NOTIFICATIONS_PAGE_SIZE=Setting(int, 25, env=False),
)
