"""The storage check's two changes: a test file written to the shared store, and removed again."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cchc.audit.actions import record
from cchc.lib.uploads import CheckedUpload

CHECK_PREFIX = "ops-check/"


def do_store_check_file(checked: CheckedUpload, *, actor) -> tuple[str, str]:
    """Save the file under the check prefix; return its stored name and SHA-256."""
    name = default_storage.save(CHECK_PREFIX + checked.stored_name, ContentFile(checked.data))
    digest = hashlib.sha256(checked.data).hexdigest()
    record("ops.storage_check", None, actor=actor, name=name, size=checked.size, sha256=digest)
    return name, digest


def do_delete_check_file(name: str, *, actor) -> None:
    default_storage.delete(CHECK_PREFIX + name)
    record("ops.storage_check_delete", None, actor=actor, name=CHECK_PREFIX + name)
