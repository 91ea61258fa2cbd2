import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.lib.versioning import StaleEdit
from cchc.privacy import actions
from cchc.privacy.consent import ConsentField, ConsentFormMixin
from cchc.privacy.models import Clock, ConsentRecord, DataSubjectRequest, Incident, RequestStatus
from cchc.privacy.retention import register, unregister


def _request(personas, received_on=dt.date(2026, 3, 2), kind="deletion"):
    return actions.do_register_request(
        kind=kind,
        requester_name="Trần Thị Bình",
        requester_contact="0912345678",
        subject="Xóa phản ánh PAKN-12",
        received_on=received_on,
        channel="email",
        actor=personas.desk,
    )


@pytest.mark.django_db
class TestDataSubjectRequests:
    def test_deadlines_count_working_days_from_receipt(self, personas, settings):
        settings.PRIVACY_DSR_WORKING_DAYS = {**settings.PRIVACY_DSR_WORKING_DAYS, "deletion": 3}
        obj = _request(personas, received_on=dt.date(2026, 3, 6))  # a Friday
        assert obj.acknowledge_due == dt.date(2026, 3, 10)  # Mon, Tue
        assert obj.due_on == dt.date(2026, 3, 11)  # Mon, Tue, Wed
        assert obj.code == "YC-2026-0001" and _request(personas).code == "YC-2026-0002"

    def test_tet_does_not_count(self, personas):
        # Tết 2026: 14–22/02 off work. Received Friday 13/02: the working days resume on 23/02.
        obj = _request(personas, received_on=dt.date(2026, 2, 13))
        assert obj.acknowledge_due == dt.date(2026, 2, 24)

    def test_clocks_show_overdue_and_met_late(self, personas):
        obj = _request(personas, received_on=dt.date(2026, 3, 2))
        assert obj.clock(dt.date(2026, 3, 2)) == Clock.RUNNING
        assert obj.clock(obj.due_on + dt.timedelta(days=1)) == Clock.OVERDUE
        assert DataSubjectRequest.objects.overdue(obj.due_on + dt.timedelta(days=1)).count() == 1
        actions.do_close_request(
            obj,
            refused=False,
            outcome="Đã xóa",
            on=obj.due_on + dt.timedelta(days=2),
            expected_version=obj.version,
            actor=personas.desk,
        )
        obj.refresh_from_db()
        assert obj.clock(dt.date(2026, 12, 31)) == Clock.MET_LATE and obj.status == RequestStatus.COMPLETED

    def test_a_refusal_needs_a_reason(self, personas):
        obj = _request(personas)
        with pytest.raises(ValidationError):
            actions.do_close_request(
                obj, refused=True, outcome=" ", on=obj.received_on, expected_version=obj.version, actor=personas.desk
            )

    def test_a_stale_form_does_not_overwrite(self, personas):
        obj = _request(personas)
        actions.do_acknowledge_request(obj, on=obj.received_on, expected_version=obj.version, actor=personas.desk)
        with pytest.raises(StaleEdit):
            actions.do_close_request(
                obj, refused=False, outcome="x", on=obj.received_on, expected_version=1, actor=personas.coordinator
            )

    def test_the_audit_log_never_carries_the_requester(self, personas):
        _request(personas)
        entry = AuditEntry.objects.get(action="privacy.request_registered")
        assert "Bình" not in entry.object_repr and "0912345678" not in str(entry.details)

    def test_the_desk_registers_and_closes_a_request_on_screen(self, client, personas):
        client.force_login(personas.desk)
        response = client.post(
            reverse("privacy:request_new"),
            {
                "kind": "access",
                "received_on": "02/03/2026",
                "channel": "in_person",
                "requester_name": "Lê Văn C",
                "requester_contact": "levanc@example.vn",
                "subject": "Xem dữ liệu của tôi",
            },
        )
        obj = DataSubjectRequest.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "privacy:request_detail", args=[obj.code]
        )
        page = client.get(reverse("privacy:requests")).content.decode()
        assert obj.code in page
        client.post(
            reverse("privacy:request_detail", args=[obj.code]),
            {"step": "complete", "on": "03/03/2026", "outcome": "Đã gửi bản sao", "version": obj.version},
        )
        obj.refresh_from_db()
        assert obj.status == RequestStatus.COMPLETED and obj.completed_on == dt.date(2026, 3, 3)

    def test_an_officer_cannot_read_the_register(self, client, personas):
        obj = _request(personas)
        client.force_login(personas.officer_a)
        assert client.get(reverse("privacy:request_detail", args=[obj.code])).status_code == 403


@pytest.mark.django_db
class TestIncidents:
    def test_the_clocks_are_24_and_72_hours_from_detection(self, personas):
        detected = timezone.now() - dt.timedelta(hours=30)
        incident = actions.do_report_incident(
            title="Lộ danh sách", detected_at=detected, personal_data_involved=True, actor=personas.officer_a
        )
        assert incident.initial_report_due == detected + dt.timedelta(hours=24)
        assert incident.authority_notice_due == detected + dt.timedelta(hours=72)
        assert incident.initial_clock() == Clock.OVERDUE
        assert incident.authority_clock() == Clock.RUNNING

    def test_no_authority_clock_without_personal_data(self, personas):
        incident = actions.do_report_incident(title="Máy chủ chậm", detected_at=timezone.now(), actor=personas.admin)
        assert incident.authority_notice_due is None and incident.authority_clock() == Clock.NOT_APPLICABLE

    def test_a_late_notification_needs_its_reason(self, personas):
        detected = timezone.now() - dt.timedelta(hours=80)
        incident = actions.do_report_incident(
            title="Lộ dữ liệu", detected_at=detected, personal_data_involved=True, actor=personas.admin
        )
        with pytest.raises(ValidationError) as err:
            actions.do_update_incident(
                incident,
                changes={"authority_notified_at": timezone.now()},
                expected_version=incident.version,
                actor=personas.admin,
            )
        assert "late_reason" in err.value.error_dict
        incident = actions.do_update_incident(
            incident,
            changes={"authority_notified_at": timezone.now(), "late_reason": "Phát hiện vào đêm Tết"},
            expected_version=incident.version,
            actor=personas.admin,
        )
        assert incident.authority_clock() == Clock.MET_LATE

    def test_on_time_notifications_meet_the_clocks(self, personas):
        detected = timezone.now() - dt.timedelta(hours=5)
        incident = actions.do_report_incident(
            title="Lộ dữ liệu", detected_at=detected, personal_data_involved=True, actor=personas.admin
        )
        incident = actions.do_update_incident(
            incident,
            changes={"initial_reported_at": timezone.now(), "authority_notified_at": timezone.now()},
            expected_version=incident.version,
            actor=personas.admin,
        )
        assert incident.initial_clock() == Clock.MET and incident.authority_clock() == Clock.MET

    def test_any_staff_member_reports_but_only_administrators_edit(self, client, personas):
        client.force_login(personas.officer_a)
        response = client.post(
            reverse("privacy:incident_report"),
            {
                "title": "Thư lừa đảo giả danh Sở",
                "detected_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
                "severity": "medium",
            },
        )
        assert response.status_code == 302
        incident = Incident.objects.get()
        assert incident.reported_by == personas.officer_a
        assert client.get(reverse("privacy:incident_detail", args=[incident.code])).status_code == 403
        client.force_login(personas.coordinator)
        assert client.get(reverse("privacy:incident_detail", args=[incident.code])).status_code == 200
        assert client.post(reverse("privacy:incident_detail", args=[incident.code]), {}).status_code == 403


class ContactForm(ConsentFormMixin, forms.Form):
    name = forms.CharField()
    consent = ConsentField(purpose="test.contact", statement="Tôi đồng ý cho liên hệ lại qua số điện thoại.")
    survey = ConsentField(purpose="test.survey", statement="Tôi đồng ý nhận khảo sát.", required=False, initial=True)


@pytest.mark.django_db
class TestConsent:
    def test_the_box_is_never_ticked_on_a_fresh_form(self):
        form = ContactForm(initial={"consent": True, "survey": True})
        html = str(form["consent"]) + str(form["survey"])
        assert "checked" not in html

    def test_consent_is_required_when_it_is_the_basis(self):
        form = ContactForm(data={"name": "An"})
        assert not form.is_valid() and "consent" in form.errors

    def test_a_ticked_box_stays_ticked_when_the_form_comes_back_with_errors(self):
        form = ContactForm(data={"consent": "on"})
        assert not form.is_valid() and "checked" in str(form["consent"])

    def test_record_consents_keeps_what_was_agreed_to(self, personas):
        form = ContactForm(data={"name": "An", "consent": "on"})
        assert form.is_valid()
        records = form.record_consents(personas.units.commune_a)
        assert [r.purpose for r in records] == ["test.contact"]
        record = ConsentRecord.objects.get()
        assert record.statement.startswith("Tôi đồng ý") and record.notice_version
        assert actions.do_withdraw_consents(personas.units.commune_a) == 1


class TestNotice:
    def test_the_notice_states_purpose_and_legal_basis(self, db):
        html = Template(
            '{% include "privacy/notice.html" with purpose="Trả lời phản ánh" legal_basis="consent" '
            'retention="5 năm" %}'
        ).render(Context({}))
        assert "Trả lời phản ánh" in html and "Sự đồng ý của chủ thể dữ liệu" in html and "5 năm" in html
        assert "rút lại sự đồng ý" in html and reverse("privacy:policy") in html

    def test_the_public_policy_page_says_how_to_make_a_request(self, client, db):
        page = client.get(reverse("privacy:policy")).content.decode()
        assert "Quyền của bạn" in page and "2 ngày làm việc" in page


@pytest.mark.django_db
class TestRetentionCommand:
    def test_it_runs_every_registered_anonymiser(self, capsys):
        calls = []

        def anonymise(cutoff, *, actor, dry_run):
            calls.append((cutoff, dry_run))
            return 4

        register("test.senders", "Người gửi thử", months=24, anonymise=anonymise)
        try:
            call_command("anonymise_personal_data", "--dry-run")
        finally:
            unregister("test.senders")
        assert calls and calls[0][1] is True
        assert (timezone.now() - calls[0][0]).days in range(729, 733)
        assert "test.senders: 4" in capsys.readouterr().out
