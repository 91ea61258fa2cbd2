"""Access rows for the procedure (TTHC) catalogue: public pages and API, the same for everyone."""

from cchc.tests.matrix import REDIRECT, Access, everyone, roles


def world(w):
    from cchc.procedures.actions import do_add_best_bet, do_add_synonym
    from cchc.procedures.models import Procedure
    from cchc.procedures.testing import demo_records, import_records

    import_records(demo_records()[:3])
    w.procedure = Procedure.objects.order_by("pk").first()
    w.synonym = do_add_synonym("giấy chứng tử", "đăng ký khai tử", actor=None)
    w.best_bet = do_add_best_bet("khai sinh", w.procedure.code, actor=None)


EDITORS = ("coordinator", "admin")


def _public(**kw):
    return Access(get=everyone(200), post=everyone(405), **kw)


ACCESS = {
    # With a query, so that the search's one write (its query counter) is what the matrix watches.
    "procedures:search": _public(query="q=dang+ky+khai+sinh"),
    "procedures:detail": _public(kwargs=lambda w: {"code": w.procedure.code}, query="q=dang+ky+khai+sinh"),
    "api:procedures": _public(),
    # The coordinators' screen of search words; an empty POST adds nothing (400).
    "procedures:search_words": Access(get=roles(*EDITORS)),
    "procedures:synonym_add": Access(get=everyone(405), post=roles(*EDITORS, ok=400)),
    "procedures:synonym_remove": Access(
        kwargs=lambda w: {"pk": w.synonym.pk}, get=everyone(405), post=roles(*EDITORS, ok=REDIRECT)
    ),
    "procedures:best_bet_add": Access(get=everyone(405), post=roles(*EDITORS, ok=400)),
    "procedures:best_bet_remove": Access(
        kwargs=lambda w: {"pk": w.best_bet.pk}, get=everyone(405), post=roles(*EDITORS, ok=REDIRECT)
    ),
    "api:procedure_item": _public(kwargs=lambda w: {"code": w.procedure.code}),
}
