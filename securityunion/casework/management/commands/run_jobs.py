import time

from django.core.management.base import BaseCommand, CommandError

from securityunion.casework.jobs import jobs, next_due_in, run_due_jobs


class Command(BaseCommand):
    help = (
        "Run the registered periodic jobs that are due, in this process and without a broker "
        "(audit seals, purges, reminders, retention). Safe next to celery beat and other "
        "run_jobs processes: each run is claimed in the database first."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="Run every due job once (default).")
        mode.add_argument("--loop", action="store_true", help="Keep running jobs as they fall due.")
        parser.add_argument(
            "--job", action="append", metavar="NAME", help="Only this job (repeatable)."
        )
        parser.add_argument(
            "--max-sleep",
            type=float,
            default=30.0,
            help="With --loop: longest wait between looks at the schedule, in seconds.",
        )
        parser.add_argument("--list", action="store_true", help="List the registered jobs.")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        if options["list"]:
            for job in sorted(jobs.values(), key=lambda j: j.name):
                seconds = int(job.interval.total_seconds())
                self.stdout.write(f"{job.name}\tevery {seconds}s\t{job.target_label}")
            return
        names = options["job"]
        unknown = sorted(set(names or ()) - set(jobs))
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(unknown)}. See --list.")
        while True:
            results = run_due_jobs(names=names)
            if not options["loop"] and all(r.outcome == "skipped" for r in results):
                self.stdout.write("No job due.")
            for result in results:
                if result.outcome == "skipped":
                    continue
                line = f"{result.name}: {result.outcome}"
                if result.error:
                    self.stderr.write(f"{line} ({result.error})")
                else:
                    self.stdout.write(line)
            if not options["loop"]:
                return
            time.sleep(
                min(max(next_due_in(names=names).total_seconds(), 1.0), options["max_sleep"])
            )
