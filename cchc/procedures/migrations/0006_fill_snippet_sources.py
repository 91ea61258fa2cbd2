"""The snippet texts (0005) of the procedures indexed before they were kept: what the import writes for each
indexed procedure (``cchc.procedures.search.index_rows``), from the record's texts, in batches."""

from django.db import migrations

BATCH = 500


def fill(apps, schema_editor):
    from cchc.procedures.records import ProcedureData  # the record's texts, as the import reads them

    Procedure = apps.get_model("procedures", "Procedure")
    ProcedureSnippetSource = apps.get_model("procedures", "ProcedureSnippetSource")
    ids = list(
        Procedure.objects.filter(search_index__isnull=False, snippet_source__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        rows = Procedure.objects.filter(pk__in=ids[start : start + BATCH]).values(
            "pk", *ProcedureData.SEARCH_SOURCE_FIELDS
        )
        ProcedureSnippetSource.objects.bulk_create(
            ProcedureSnippetSource(procedure_id=row.pop("pk"), text=ProcedureData.search_source(row)) for row in rows
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0005_snippet_sources")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
