from django.db import migrations, models

# The search keys must equal what Unit.save() computes: the pure helper is shared, not copied.
from cchc.lib.text import fold as _fold

HOME = "ubnd-tinh"


def _place(name: str) -> str:
    """ "UBND thành phố Pleiku" or "Ủy ban nhân dân tỉnh Gia Lai" → "thành phố Pleiku", "tỉnh Gia Lai"."""
    for prefix in ("Ủy ban nhân dân ", "UBND "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name[:1].lower() + name[1:]


def fill_context(apps, schema_editor):
    """Existing units get the place the registry load now records (cchc.orgs.structure)."""
    Unit = apps.get_model("orgs", "Unit")
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        parent = units.get(unit.parent_id)
        context = ""
        if parent is not None and unit.kind == "commune_committee":
            if parent.kind == "district_committee":
                context = _place(parent.name)
                grand = units.get(parent.parent_id)
                if grand is not None and grand.kind == "provincial_committee" and grand.code != HOME:
                    context += ", " + _place(grand.name)
            elif parent.kind == "provincial_committee":
                context = _place(parent.name)
        elif parent is not None and unit.kind == "district_committee":
            if parent.kind == "provincial_committee" and parent.code != HOME:
                context = _place(parent.name)
        if context:
            unit.context = context[:150]
            label = f"{unit.name} ({unit.context})"
            unit.search_key = _fold(label)[:255]
            unit.save(update_fields=["context", "search_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_unit_remit"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="context",
            field=models.CharField(blank=True, max_length=150, verbose_name="thuộc"),
        ),
        migrations.RunPython(fill_context, migrations.RunPython.noop),
    ]
