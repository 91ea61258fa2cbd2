"""Importing the catalogue: the real national records, idempotence, changes, refusals, withdrawal."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from django.core.management import CommandError, call_command

from cchc.audit.models import AuditEntry
from cchc.procedures.actions import ImportRefused, do_import_procedures, do_import_procedures_file, load_demo_procedures
from cchc.procedures.fileformats import ReadResult, write_csv, write_xlsx
from cchc.procedures.models import Procedure, ProcedureIndex, ProcedureStatus, ProcedureText, SearchFacet, SearchTerm
from cchc.procedures.search import search_procedures
from cchc.procedures.testing import PORTAL_DATA, demo_records, import_records, make_procedure_data, portal_records

pytestmark = pytest.mark.django_db


def codes(results) -> list[str]:
    ids = [hit.procedure_id for hit in results.hits]
    by_id = dict(Procedure.objects.filter(pk__in=ids).values_list("pk", "code"))
    return [by_id[pk] for pk in ids]


class TestRealRecords:
    @pytest.mark.slow
    def test_it_imports_the_national_records_once_and_then_finds_nothing_new(self):
        result = portal_records()
        first = do_import_procedures(result, source=PORTAL_DATA.name)
        assert first.counts() == {
            "read": 2642,
            "added": 2642,
            "changed": 0,
            "restored": 0,
            "unchanged": 0,
            "withdrawn": 0,
        }
        assert Procedure.objects.count() == ProcedureIndex.objects.count() == ProcedureText.objects.count() == 2642
        assert SearchTerm.objects.get(term="").documents == 2642
        assert SearchFacet.objects.filter(kind="field").count() == 140
        hashes = dict(Procedure.objects.values_list("code", "content_hash"))

        again = do_import_procedures(result, source=PORTAL_DATA.name)
        assert again.counts()["unchanged"] == 2642
        assert again.added == again.changed == again.withdrawn == []
        assert dict(Procedure.objects.values_list("code", "content_hash")) == hashes
        entries = AuditEntry.objects.filter(action="procedures.import")
        assert [e.details["added"] for e in entries.order_by("at", "id")] == [2642, 0]

        # One record changed at the source: detected, stored, and the index follows.
        changed = [
            dataclasses.replace(p, name=p.name + " (sửa đổi)") if p.code == "1.001193" else p for p in result.procedures
        ]
        report = do_import_procedures(ReadResult(procedures=changed, rows=result.rows), source="sửa.jsonl")
        assert report.changed == ["1.001193"] and report.counts()["unchanged"] == 2641
        procedure = Procedure.objects.get(code="1.001193")
        assert procedure.name.endswith("(sửa đổi)")
        assert procedure.content_hash == changed[[p.code for p in changed].index("1.001193")].content_hash()
        assert codes(search_procedures("khai sinh sua doi", limit=1)) == ["1.001193"]

    def test_it_refuses_a_broken_file_whole_and_names_the_row(self, tmp_path):
        portal_records()  # skips without ../shared
        lines = PORTAL_DATA.read_text(encoding="utf-8").splitlines()
        first = json.loads(lines[0])
        first["ten_thu_tuc"] = "Tên đã đổi ở dòng đầu"
        lines[0] = json.dumps(first, ensure_ascii=False)
        lines[1500] = lines[1500][:200]  # cut short: not JSON any more
        broken = tmp_path / "broken.jsonl"
        broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(ImportRefused) as refused:
            do_import_procedures_file(broken)
        assert [(e.row, e.message.split(" (")[0]) for e in refused.value.errors] == [
            (1501, "Dòng không phải JSON hợp lệ")
        ]
        assert Procedure.objects.count() == 0  # not even the valid first line
        assert AuditEntry.objects.filter(action="procedures.import_refused").get().details["errors"] == 1


class TestImport:
    def test_it_loads_the_demo_procedures_and_again_changes_nothing(self):
        report = load_demo_procedures()
        assert len(report.added) == Procedure.objects.count() >= 25
        assert load_demo_procedures().counts()["unchanged"] == len(report.added)
        assert codes(search_procedures("dang ky khai sinh", limit=1)) == ["1.001193"]

    def test_a_row_too_long_for_the_catalogue_refuses_the_file(self):
        good = make_procedure_data(code="9.000001")
        bad = make_procedure_data(code="9.000002", decision_number="x" * 300)
        with pytest.raises(ImportRefused) as refused:
            import_records([good, bad])
        assert [(e.row, e.field) for e in refused.value.errors] == [(2, "decision_number")]
        assert not Procedure.objects.exists()

    def test_without_full_nothing_is_withdrawn_and_with_full_the_missing_are(self, client):
        records = demo_records()
        import_records(records)
        kept = records[:-2]
        assert import_records(kept).withdrawn == []
        report = import_records(kept, full=True)
        gone = sorted(p.code for p in records[-2:])
        assert report.withdrawn == gone
        withdrawn = Procedure.objects.get(code=gone[0])
        assert withdrawn.status == ProcedureStatus.WITHDRAWN and withdrawn.withdrawn_at is not None
        # Still public, marked as withdrawn; left out of searches unless asked for.
        page = client.get(withdrawn.get_absolute_url())
        assert page.status_code == 200 and "Thủ tục này đã bãi bỏ" in page.content.decode()
        name = withdrawn.name
        assert gone[0] not in codes(search_procedures(name))
        from cchc.procedures.search import Filters

        assert codes(search_procedures(name, Filters(include_withdrawn=True)))[0] == gone[0]
        # Back in the catalogue: restored.
        again = import_records(records, full=True)
        assert again.restored == gone and again.withdrawn == []
        assert Procedure.objects.get(code=gone[0]).status == ProcedureStatus.ACTIVE

    def test_a_dry_run_reports_and_changes_nothing(self):
        report = import_records(demo_records()[:3])
        assert len(report.added) == 3
        dry = do_import_procedures(
            ReadResult(procedures=demo_records(), rows=list(range(1, 31))), source="x", dry_run=True, full=True
        )
        assert len(dry.added) == len(demo_records()) - 3 and dry.dry_run
        assert Procedure.objects.count() == 3

    def test_the_command_reads_csv_and_xlsx_the_same_way(self, tmp_path):
        records = demo_records()
        csv_path, xlsx_path = tmp_path / "danh-muc.csv", tmp_path / "danh-muc.xlsx"
        with csv_path.open("w", encoding="utf-8", newline="") as target:
            write_csv(records, target)
        write_xlsx(records, xlsx_path)
        out = io.StringIO()
        call_command("import_procedures", str(csv_path), "--json", stdout=out)
        result = json.loads(out.getvalue())
        assert result["ok"] and result["counts"]["added"] == len(records)
        out = io.StringIO()
        call_command("import_procedures", str(xlsx_path), stdout=out)
        assert f"không đổi {len(records)}" in out.getvalue()

    def test_the_command_shows_each_bad_row_and_fails(self, tmp_path):
        path = tmp_path / "loi.csv"
        path.write_text(
            "ma_thu_tuc,ten_thu_tuc,cap_thuc_hien\n1.000001,Thủ tục A,Cấp xã\n1.000002,Thủ tục B,Cấp thôn\n"
            "1.000003,,Cấp xã\n",
            encoding="utf-8",
        )
        err = io.StringIO()
        with pytest.raises(CommandError, match="không nhập thủ tục nào"):
            call_command("import_procedures", str(path), stderr=err)
        assert "dòng 3, cột cap_thuc_hien: Cấp thực hiện không hợp lệ «Cấp thôn»" in err.getvalue()
        assert "dòng 4, cột ten_thu_tuc: Thiếu tên thủ tục" in err.getvalue()
        assert not Procedure.objects.exists()

    def test_a_changed_name_moves_the_procedure_in_the_index(self):
        import_records([make_procedure_data(code="9.000001", name="Đăng ký khai sinh")])
        old_key = ProcedureIndex.objects.get().key
        import_records([make_procedure_data(code="9.000001", name="Đăng ký lại khai sinh cho người đã có hồ sơ")])
        assert ProcedureIndex.objects.get().key != old_key
        assert codes(search_procedures("khai sinh nguoi da co ho so")) == ["9.000001"]
        assert codes(search_procedures("dang ky khai sinh")) == ["9.000001"]
