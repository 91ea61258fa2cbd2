from cchc.tests.matrix import Access, staff

# Plans are shared by every agency (an active plan is what they all carry out): every signed-in role reads them.
ACCESS = {
    "plans:list": Access(get=staff()),
    "plans:detail": Access(get=staff(), kwargs=lambda w: {"pk": w.plan.pk}),
    "plans:activity": Access(get=staff(), kwargs=lambda w: {"pk": w.plan.pk, "number": "1"}),
    "plans:my_work": Access(get=staff()),
}
