from cchc.tests.matrix import LOGIN, REDIRECT, STAFF, Access, roles, staff

ALL = ("anonymous", *STAFF)


def _officer_a(w) -> dict:
    return {"pk": w.personas.officer_a.pk}


_post_only = {r: 405 for r in ALL}

ACCESS = {
    # Signed-in users are sent on to their work page.
    "accounts:login": Access(get=staff(REDIRECT, anonymous=200), post=staff(REDIRECT, anonymous=200)),
    # Log-out is POST only (a link or an image must not log anyone out).
    "accounts:logout": Access(get={r: 405 for r in ALL}, post={r: REDIRECT for r in ALL}),
    "accounts:security": Access(get=staff()),
    # An account that has a device must prove it before replacing it (the coordinator has one in the world).
    "accounts:mfa_setup": Access(get=staff(coordinator=REDIRECT), post=staff(coordinator=REDIRECT)),
    # Only an account with a device has something to verify (the coordinator has one in the world).
    "accounts:mfa_verify": Access(get=staff(REDIRECT, coordinator=200)),
    "accounts:mfa_remove": Access(get={r: 405 for r in ALL}, post=staff(REDIRECT, anonymous=LOGIN)),
    "accounts:password_change": Access(get=staff(), post=staff()),
    # User management: the administrator only. An empty POST re-shows the form with its errors (create, edit)
    # or goes back to the account with "reload the page" (no version sent); every other role is refused first.
    "accounts:users": Access(get=roles("admin")),
    "accounts:user_create": Access(get=roles("admin"), post=roles("admin")),
    "accounts:user_unit_search": Access(get=roles("admin"), query="unit_q=ia"),
    "accounts:user_edit": Access(get=roles("admin"), post=roles("admin", ok=200), kwargs=_officer_a),
    "accounts:user_reset_password": Access(get=_post_only, post=roles("admin", ok=REDIRECT), kwargs=_officer_a),
    "accounts:user_set_active": Access(get=_post_only, post=roles("admin", ok=REDIRECT), kwargs=_officer_a),
    "accounts:user_remove_mfa": Access(get=_post_only, post=roles("admin", ok=REDIRECT), kwargs=_officer_a),
}
