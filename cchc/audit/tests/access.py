from cchc.audit.actions import record
from cchc.tests.matrix import Access, roles


def world(w):
    # An entry about agency A's unit: only the province-wide roles read the trail.
    record("test.private_a", w.units.commune_a, actor=w.personas.officer_a, note="nhat-ky-rieng-xa-a")


ACCESS = {
    "audit:list": Access(get=roles("coordinator", "observer", "admin")),
    "audit:export": Access(get=roles("admin")),
}
