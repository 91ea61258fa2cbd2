"""Search in citizens' words on small catalogues: the lexicon (shipped and the province's own),
typing mistakes, best bets, the query log and the coordinators' screen, the preference for the
citizen's level, filter counts on the results. The everyday queries on the 2,642 real records:
test_search_queries.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.lib import search as fts
from cchc.procedures import lexicon, querylog
from cchc.procedures.actions import do_add_best_bet, do_add_synonym, do_remove_synonym
from cchc.procedures.lexicon import Lexicon, parse_line
from cchc.procedures.models import SearchQueryDay, SearchSynonym
from cchc.procedures.search import search_procedures
from cchc.procedures.testing import demo_records, import_records, make_procedure_data
from cchc.procedures.tests.test_search import codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    import_records(demo_records())


# --- the lexicon --------------------------------------------------------------------------------------


class TestLexicon:
    def test_it_ships_a_few_hundred_entries_that_each_change_something(self):
        entries = lexicon.shipped().entries
        assert len(entries) >= 300
        for phrase, replacements in entries.items():
            assert all(replacement != phrase for replacement in replacements), phrase
        # Abbreviations on forms and signs, matched without accents or case.
        for abbreviation in ["cmnd", "cccd", "dkkd", "gpkd", "bhyt", "bhxh", "hkd", "mst", "gplx"]:
            assert (abbreviation,) in entries, abbreviation

    def test_it_reads_one_entry_a_line(self):
        assert parse_line("Sổ đỏ = giấy chứng nhận quyền sử dụng đất | đăng ký đất đai") == (
            ("so", "do"),
            (("giay", "chung", "nhan", "quyen", "su", "dung", "dat"), ("dang", "ky", "dat", "dai")),
        )
        assert parse_line("làm sao để =") == (("lam", "sao", "de"), ((),))
        assert parse_line("# a comment") is None
        assert parse_line("no equals sign") is None

    def test_it_replaces_the_longest_entry_at_each_place(self):
        words = Lexicon.from_pairs(
            [
                parse_line("làm sao để ="),
                parse_line("cmnd = thẻ căn cước"),
                parse_line("đổi cmnd = cấp đổi thẻ căn cước"),
            ]
        )
        assert words.forms(fts.terms("làm sao để đổi CMND")) == [["cap", "doi", "the", "can", "cuoc"]]
        assert words.forms(fts.terms("mất cmnd")) == [["mat", "the", "can", "cuoc"]]
        assert words.core(fts.terms("mất cmnd")) == ["the", "can", "cuoc"]
        assert words.forms(fts.terms("dang ky khai sinh")) == []

    def test_it_tries_each_right_side(self):
        words = Lexicon.from_pairs([parse_line("gpkd = đăng ký hộ kinh doanh | đăng ký doanh nghiệp")])
        assert words.forms(["gpkd"]) == [["dang", "ky", "ho", "kinh", "doanh"], ["dang", "ky", "doanh", "nghiep"]]

    def test_the_province_entries_come_first(self):
        words = lexicon.shipped().merged_with([("sổ đỏ", "đăng ký đất đai lần đầu")])
        assert words.forms(["so", "do"])[0] == ["dang", "ky", "dat", "dai", "lan", "dau"]

    def test_a_citizens_word_finds_the_catalogues_name(self, demo):
        assert codes("giấy chứng tử")[0] == "1.000656"
        assert codes("nhap ho khau")[0] == "1.004222"
        assert codes("làm sao để đăng ký khai sinh")[0] == "1.001193"
        assert "1.014064" in codes("mất CCCD")[:3]


# --- the province's own words, best bets (actions) ------------------------------------------------------


class TestProvinceWords:
    def test_a_coordinators_synonym_changes_the_next_search(self, demo, personas):
        assert "1.001612" not in codes("mở sạp ngoài chợ")[:3]
        synonym = do_add_synonym("mở sạp", "đăng ký thành lập hộ kinh doanh", actor=personas.coordinator)
        assert codes("mở sạp ngoài chợ")[0] == "1.001612"
        entry = AuditEntry.objects.get(action="procedures.synonym_add")
        assert entry.actor == personas.coordinator and entry.details["phrase"] == "mở sạp"
        do_remove_synonym(synonym, actor=personas.coordinator)
        assert "1.001612" not in codes("mở sạp ngoài chợ")[:3]
        assert AuditEntry.objects.filter(action="procedures.synonym_remove").count() == 1

    def test_adding_a_phrase_again_changes_its_replacement(self, personas):
        do_add_synonym("Mở Sạp", "hộ kinh doanh", actor=personas.coordinator)
        do_add_synonym("mo sap", "đăng ký thành lập hộ kinh doanh", actor=personas.coordinator)
        assert list(SearchSynonym.objects.values_list("replacement", flat=True)) == ["đăng ký thành lập hộ kinh doanh"]

    def test_it_refuses_an_empty_phrase_or_one_that_maps_to_itself(self, personas):
        with pytest.raises(ValidationError, match="ít nhất một chữ"):
            do_add_synonym("  ?! ", "khai tử", actor=personas.coordinator)
        with pytest.raises(ValidationError, match="phải khác"):
            do_add_synonym("khai tử", "Khai tu", actor=personas.coordinator)
        assert not SearchSynonym.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="procedures.synonym").exists()

    def test_a_best_bet_comes_first_for_its_query_only(self, demo, personas):
        assert codes("khai sinh")[0] != "2.000635"
        do_add_best_bet("Khai sinh", "2.000635", actor=personas.coordinator)
        assert codes("khai sinh")[0] == "2.000635"
        assert codes("KHAI SINH")[0] == "2.000635"
        assert codes("đăng ký khai sinh")[0] == "1.001193"
        with pytest.raises(ValidationError, match="Không có thủ tục mã"):
            do_add_best_bet("khai sinh", "9.999999", actor=personas.coordinator)


# --- typing mistakes --------------------------------------------------------------------------------------


class TestTypingMistakes:
    def test_one_edit_covers_a_missing_extra_wrong_or_swapped_letter(self):
        assert {"khai", "kai", "kahii", "kahu"} <= fts.one_edit("kahi")
        assert "khai" in fts.one_edit("kai")  # missing
        assert "khai" in fts.one_edit("khaii")  # extra
        assert "khai" in fts.one_edit("khao")  # wrong

    def test_it_corrects_an_unknown_word_preferring_a_known_pair(self):
        stats = fts.Statistics(
            documents=10,
            frequencies={"dang": 5, "ky": 5, "khai": 3, "kha": 9, "sinh": 2, "khai_sinh": 2, "dang_ky": 5},
        )
        assert fts.correct(["dang", "ky", "kahi", "sinh"], stats) == ["dang", "ky", "khai", "sinh"]
        assert fts.correct(["dang", "ky", "khai", "sinh"], stats) is None
        assert fts.correct(["cmnd"], stats, known={"cmnd"}) is None

    def test_a_mistyped_query_finds_the_procedure_and_says_what_it_searched(self, demo):
        results = search_procedures("dang ky kahi sinh")
        assert results.suggestion == "dang ky khai sinh"
        assert codes("dang ky kahi sinh")[0] == "1.001193"
        assert codes("đăng ký thường trús")[0] == "1.004222"

    def test_a_query_that_finds_enough_is_not_corrected(self, demo):
        assert search_procedures("đăng ký khai sinh").suggestion == ""


# --- ranking: the citizen's level first -----------------------------------------------------------------


def test_among_names_holding_the_phrase_the_communes_procedure_comes_first():
    import_records(
        [
            make_procedure_data(code="9.000001", name="Cấp giấy phép mở sạp (cấp trung ương)", levels=["bo"]),
            make_procedure_data(code="9.000002", name="Cấp giấy phép mở sạp (cấp tỉnh xử lý)", levels=["tinh"]),
            make_procedure_data(code="9.000003", name="Cấp giấy phép mở sạp thực hiện tại cấp xã", levels=["xa"]),
        ]
    )
    assert codes("cấp giấy phép mở sạp") == ["9.000003", "9.000002", "9.000001"]


# --- the public page: counts on the results, the feedback form, the query log --------------------------


class TestSearchPage:
    def test_the_filter_counts_are_those_of_the_results(self, client, demo):
        response = client.get(reverse("procedures:search"), {"q": "cap giay phep xay dung"})
        fields = {facet.value: facet.documents for facet in response.context["facets"]["field"]}
        assert "Hộ tịch" not in fields
        # Every value offered finds what its count says.
        for value, count in fields.items():
            again = client.get(reverse("procedures:search"), {"q": "cap giay phep xay dung", "field": value})
            assert again.context["total"] >= count >= 1, value

    def test_browsing_by_a_filter_counts_what_it_shows(self, client, demo, django_assert_max_num_queries):
        with django_assert_max_num_queries(12):
            response = client.get(reverse("procedures:search"), {"field": "Hộ tịch"})
        total = response.context["total"]
        assert [(f.value, f.documents) for f in response.context["facets"]["field"]] == [("Hộ tịch", total)]
        for facet in response.context["facets"]["level"]:
            again = client.get(reverse("procedures:search"), {"field": "Hộ tịch", "level": facet.value})
            assert again.context["total"] == facet.documents >= 1

    def test_a_search_that_finds_nothing_offers_the_feedback_form(self, client, demo):
        response = client.get(reverse("procedures:search"), {"q": "xyzzy qwerty"})
        assert response.context["total"] == 0
        assert reverse("feedback:submit") in response.content.decode()

    def test_the_suggestion_is_shown_as_a_link(self, client, demo):
        body = client.get(reverse("procedures:search"), {"q": "dang ky kahi sinh"}).content.decode()
        assert "Có phải bạn muốn tìm:" in body and "?q=dang%20ky%20khai%20sinh" in body

    def test_it_counts_searches_and_clicks_without_the_address(self, client, demo):
        client.get(reverse("procedures:search"), {"q": "Giấy chứng tử"}, REMOTE_ADDR="203.0.113.9")
        client.get(reverse("procedures:search"), {"q": "giay chung tu"})
        client.get(reverse("procedures:search"), {"q": "giay chung t"}, HTTP_X_LIVE_SEARCH="1")  # typing: not counted
        client.get(reverse("procedures:search"), {"q": "xyzzy"})
        client.get(reverse("procedures:detail", args=["1.000656"]), {"q": "giấy chứng tử"})
        row = SearchQueryDay.objects.get(folded="giay chung tu")
        assert (row.searches, row.empty, row.clicks, row.text) == (2, 0, 1, "giay chung tu")
        assert SearchQueryDay.objects.count() == 2
        stored = " ".join(str(v) for v in SearchQueryDay.objects.values_list())
        assert "203.0.113.9" not in stored

    def test_the_reports_list_frequent_empty_and_unopened_queries(self):
        today = timezone.localdate()
        SearchQueryDay.objects.create(day=today, folded="so do", text="sổ đỏ", searches=5, clicks=2)
        SearchQueryDay.objects.create(day=today, folded="xyz", text="xyz", searches=3, empty=3)
        SearchQueryDay.objects.create(day=today, folded="ho khau", text="hộ khẩu", searches=2)
        SearchQueryDay.objects.create(day=today - dt.timedelta(days=1), folded="ho khau", text="ho khau", searches=2)
        SearchQueryDay.objects.create(day=today - dt.timedelta(days=400), folded="cu", text="cũ", searches=99)
        assert [(s.text, s.searches) for s in querylog.query_report("frequent")] == [
            ("sổ đỏ", 5),
            ("hộ khẩu", 4),
            ("xyz", 3),
        ]
        assert [s.text for s in querylog.query_report("empty")] == ["xyz"]
        assert [s.text for s in querylog.query_report("no_click")] == ["hộ khẩu"]


class TestCoordinatorScreen:
    def test_a_coordinator_answers_a_query_with_a_synonym(self, client, demo, personas):
        client.get(reverse("procedures:search"), {"q": "mở sạp"})
        client.force_login(personas.coordinator)
        page = client.get(reverse("procedures:search_words"))
        assert "mở sạp" in page.content.decode()
        response = client.post(
            reverse("procedures:synonym_add"), {"phrase": "mở sạp", "replacement": "đăng ký thành lập hộ kinh doanh"}
        )
        assert response.status_code == 302
        assert codes("mở sạp")[0] == "1.001612"

    def test_the_menu_leads_the_coordinator_to_it_and_nobody_else(self, client, personas):
        link = f'href="{reverse("procedures:search_words")}"'
        client.force_login(personas.coordinator)
        assert link in client.get(reverse("dashboards:home")).content.decode()
        client.force_login(personas.officer_a)
        assert link not in client.get(reverse("dashboards:home")).content.decode()

    def test_bad_input_keeps_what_was_typed_with_a_message(self, client, personas):
        client.force_login(personas.coordinator)
        response = client.post(reverse("procedures:best_bet_add"), {"query": "khai sinh", "code": "9.999999"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "Không có thủ tục mã" in body and 'value="9.999999"' in body

    def test_the_screen_costs_the_same_whatever_the_log(self, client, personas, django_assert_max_num_queries):
        client.force_login(personas.coordinator)
        today = timezone.localdate()
        client.get(reverse("procedures:search_words"))  # session, permissions warmed
        for n in range(30):
            SearchQueryDay.objects.create(day=today, folded=f"q {n}", text=f"q {n}", searches=n + 1)
            SearchSynonym.objects.create(phrase=f"p {n}", folded=f"p {n}", replacement="khai sinh")
        with django_assert_max_num_queries(14):
            assert client.get(reverse("procedures:search_words")).status_code == 200
