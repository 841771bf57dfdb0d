# Reports hold case content: they are not in the administration site, whose administrators
# manage accounts and reference data only (see the role matrix).
