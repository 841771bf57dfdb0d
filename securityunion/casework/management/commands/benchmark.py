import json

from django.core.management.base import BaseCommand, CommandError

from securityunion.casework.registry import benchmark_arguments, benchmark_parts


class Command(BaseCommand):
    help = (
        "Measure the system on this machine (PostgreSQL only) in a throw-away database and "
        "print the figures as JSON. Parts: " + ", ".join(sorted(benchmark_parts)) + "."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--part",
            action="append",
            choices=sorted(benchmark_parts),
            help="Run only this part (repeatable); default all.",
        )
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark database.")
        # Each part declares its own options (registry.register_benchmark_part).
        for name in sorted(benchmark_arguments):
            benchmark_arguments[name](parser.add_argument_group(f"the {name} part"))

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        parts = options["part"] or sorted(benchmark_parts)
        results = {}
        for name in parts:
            try:
                results[name] = benchmark_parts[name](options, log=self.stderr.write)
            except RuntimeError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(results, indent=2, default=str))
