from cchc.tests.matrix import Access, staff

# The registry is public information for staff; a unit's own work list is shown only to that unit and the
# province-wide roles (checked by w.private_a in the matrix and in orgs/tests/test_views.py).
ACCESS = {
    "orgs:list": Access(get=staff()),
    # The unit picker's search: the registry is staff information, the public is sent to log in.
    "orgs:search": Access(get=staff()),
    "orgs:detail": Access(get=staff(), kwargs=lambda w: {"code": w.units.commune_a.code}),
}
