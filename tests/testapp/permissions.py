"""The test app's own capability: declared here, created by its migration, named nowhere else."""

CAPABILITIES: tuple[tuple[str, str], ...] = (
    ("testapp_archive_samples", "Archive sample cases (test app)"),
)
