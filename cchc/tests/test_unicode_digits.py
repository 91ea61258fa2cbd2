"""Finding 10 (issue 15): "²" and other Unicode digits pass str.isdigit() but not int(); no 500 anywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.accounts.tests.test_mfa import log_in
from cchc.execution.forms import parse_money
from cchc.lib.captcha import parse_answer

SUPERSCRIPTS = "²²²²²²"


@pytest.mark.django_db
class TestPages:
    def test_the_mfa_set_up_refuses_superscript_digits_with_a_message(self, client, personas):
        log_in(client, "coordinator")
        client.get(reverse("accounts:mfa_setup"))
        response = client.post(reverse("accounts:mfa_setup"), {"token": SUPERSCRIPTS})
        assert response.status_code in (200, 400)
        assert "chỉ gồm chữ số" in response.content.decode()

    def test_marking_notifications_read_ignores_a_superscript_id(self, client, personas):
        client.force_login(personas.officer_a)
        response = client.post(reverse("reports:notifications_read"), {"id": "²"})
        assert response.status_code in (200, 302)

    def test_the_result_form_ignores_a_superscript_obligation(self, client, personas):
        client.force_login(personas.officer_a)
        assert client.get(reverse("execution:result_create") + "?obligation=²").status_code == 200


class TestParsers:
    def test_the_captcha_answer(self):
        assert parse_answer("²") is None and parse_answer("12") == 12

    def test_money(self):
        with pytest.raises(ValueError):
            parse_money("²")

    def test_a_procedure_file_cell(self):
        from cchc.procedures.fileformats import CellError, _count

        with pytest.raises(CellError):
            _count("²", "Số ngày")
