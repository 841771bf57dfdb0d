"""The reports app's settings and their defaults (see ``securityunion.casework.conf``).

Each can be overridden by a Django setting of the same name or, where marked, by the
environment variable of that name.
"""

from securityunion.casework.conf import AppSettings, Setting

app_settings = AppSettings(
    # Target times for the first assessment.
    REPORT_TARGET_HOURS=Setting(int, 5 * 24),
    REPORT_TARGET_HOURS_URGENT=Setting(int, 24),
    # The law-enforcement recipient that sees every forwarded report.
    EUROPOL_ORGANISATION_SLUG=Setting(str, "europol"),
    # Legal holds: the hard ceiling (18 months, a rule, not a deployment choice) and how long
    # before the end the placing authority is reminded.
    LEGAL_HOLD_MAX_DAYS=Setting(int, 548, env=False),
    LEGAL_HOLD_REMINDER_DAYS=Setting(int, 14),
    # The company is told a report was forwarded only after the receiving authorities had
    # this many hours to place a legal hold (0: at once). A hold placed in the window keeps
    # the notice back until it ends or is lifted.
    FORWARDED_NOTICE_DELAY_HOURS=Setting(int, 24),
    # Company API request limits, enforced by the API itself before and while it reads a body
    # (independent of Django's form limit DATA_UPLOAD_MAX_MEMORY_SIZE).
    REPORT_API_MAX_BYTES=Setting(int, 256 * 1024),
    REPORT_BATCH_MAX_BYTES=Setting(int, 16 * 1024 * 1024),
    REPORT_BATCH_MAX_REPORTS=Setting(int, 500, env=False),
    # Retention: a report decided "manifestly unfounded" (and its items, matches and
    # forwardings) is deleted this many days after the decision, unless a legal hold is active.
    # Two years by default: long enough for a complaint, a correction and an audit to have run.
    REPORT_UNFOUNDED_RETENTION_DAYS=Setting(int, 730),
    # A finished indicator upload keeps its counts and row errors (which may quote the refused
    # values) this many days for its requester, then goes; its file text is never kept.
    INDICATOR_IMPORT_RETENTION_DAYS=Setting(int, 90),
    # Complaints: the decision is due this many days after the complaint arrived.
    COMPLAINT_DECISION_DAYS=Setting(int, 30),
    # The public form's limits per client address and window (a fixed window in the cache):
    # complaints submitted, and status look-ups (each counts, right or wrong).
    COMPLAINT_SUBMISSIONS_PER_ADDRESS=Setting(int, 10),
    COMPLAINT_LOOKUPS_PER_ADDRESS=Setting(int, 20),
    COMPLAINT_THROTTLE_WINDOW_SECONDS=Setting(int, 3600),
    COMPLAINT_TEXT_MAX_CHARS=Setting(int, 4000, env=False),
    # A reinstatement notice the company has not confirmed after this many days is reminded
    # (marked on the notice, shown on the caseworkers' dashboard).
    REINSTATEMENT_REMINDER_DAYS=Setting(int, 7),
    # The complainant's text, address and URL are erased this many days after the decision
    # (the decision, its reasons and the matches stay).
    COMPLAINT_PERSONAL_DATA_RETENTION_DAYS=Setting(int, 730),
    # The public transparency page (/transparency/): off answers 404. It shows the quarters and
    # years that have ended, from TRANSPARENCY_FIRST_YEAR on; a company with fewer reports in
    # the period than TRANSPARENCY_MIN_COMPANY_REPORTS is counted under "Other companies".
    # Its figures are kept in the (shared) cache for TRANSPARENCY_CACHE_SECONDS.
    TRANSPARENCY_PUBLIC=Setting(bool, True),
    TRANSPARENCY_FIRST_YEAR=Setting(int, 2026),
    TRANSPARENCY_MIN_COMPANY_REPORTS=Setting(int, 10),
    TRANSPARENCY_CACHE_SECONDS=Setting(int, 3600),
)
