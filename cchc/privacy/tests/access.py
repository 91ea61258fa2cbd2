import datetime as dt

from django.utils import timezone

from cchc.privacy.actions import do_record_consent, do_register_request, do_report_incident
from cchc.tests.matrix import Access, everyone, roles, staff

REQUEST_ROLES = ("admin", "coordinator", "desk")
INCIDENT_READ = ("admin", "coordinator", "observer")


def world(w):
    w.dsr = do_register_request(
        kind="access",
        requester_name="Nguyễn Văn Riêng Tư",
        requester_contact="0905123456",
        subject="Phản ánh số 12",
        received_on=dt.date(2026, 3, 2),
        channel="email",
        actor=w.personas.desk,
    )
    w.incident = do_report_incident(
        title="Nghi lộ danh sách người gửi phản ánh",
        detected_at=timezone.now(),
        personal_data_involved=True,
        actor=w.personas.officer_a,
    )
    w.private_a.append("Nguyễn Văn Riêng Tư")
    do_record_consent(w.dsr, purpose="test.contact", statement="Tôi đồng ý", notice_version="2026-01")


ACCESS = {
    "privacy:policy": Access(get=everyone(200)),
    "privacy:requests": Access(get=roles(*REQUEST_ROLES)),
    "privacy:request_new": Access(get=roles(*REQUEST_ROLES), post=roles(*REQUEST_ROLES)),
    "privacy:request_detail": Access(
        get=roles(*REQUEST_ROLES), post=roles(*REQUEST_ROLES), kwargs=lambda w: {"code": w.dsr.code}
    ),
    "privacy:incidents": Access(get=roles(*INCIDENT_READ)),
    # Anyone on the staff may report an incident.
    "privacy:incident_report": Access(get=staff(), post=staff()),
    "privacy:incident_detail": Access(
        get=roles(*INCIDENT_READ), post=roles("admin"), kwargs=lambda w: {"code": w.incident.code}
    ),
}
