from cchc.tests.matrix import Access, everyone

ACCESS = {
    "portal:home": Access(get=everyone(200)),
}
