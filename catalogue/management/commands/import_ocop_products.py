from django.core.management.base import BaseCommand, CommandError

from catalogue.product_import import COLUMNS, ImportFileError, products_import


class Command(BaseCommand):
    help = (
        "Import the province's OCOP product list from a CSV or XLSX file. Every row is validated; if any "
        "row is bad, each problem is printed with its line number and nothing is imported. Columns: "
        + ", ".join(COLUMNS)
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")

    def handle(self, *args, **options):
        try:
            result = products_import(path=options["file"], dry_run=options["dry_run"])
        except ImportFileError as exc:
            raise CommandError(str(exc))
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            bad_lines = len({e.line for e in result.errors})
            raise CommandError(
                f"{bad_lines} of {result.rows} rows are invalid ({len(result.errors)} problems); nothing was imported."
            )
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"Dry run: all {result.rows} rows are valid; nothing was written."))
            return
        self.stdout.write(self.style.SUCCESS(
            f"Imported {result.rows} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        ))
