"""Access rows for the procedure (TTHC) catalogue: public pages and API, the same for everyone."""

from cchc.tests.matrix import Access, everyone


def world(w):
    from cchc.procedures.models import Procedure
    from cchc.procedures.testing import demo_records, import_records

    import_records(demo_records()[:3])
    w.procedure = Procedure.objects.order_by("pk").first()


def _public(**kw):
    return Access(get=everyone(200), post=everyone(405), **kw)


ACCESS = {
    "procedures:search": _public(),
    "procedures:detail": _public(kwargs=lambda w: {"code": w.procedure.code}),
    "api:procedures": _public(),
    "api:procedure_item": _public(kwargs=lambda w: {"code": w.procedure.code}),
}
