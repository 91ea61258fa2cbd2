from cchc.tests.matrix import LOGIN, REDIRECT, STAFF, Access, staff

ALL = ("anonymous", *STAFF)

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
}
