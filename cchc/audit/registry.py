"""Every audit action name, with what a person reads for it: one place, so the log page shows words
and a new action cannot be written without saying what it is (``tests/test_registry.py``).

``vietnamese`` is translated through gettext when shown; ``english`` is shown when the interface is in English and
the catalogue has no translation yet (and is what the translator starts from).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_noop as _


@dataclass(frozen=True)
class Action:
    vietnamese: str
    english: str


ACTIONS: dict[str, Action] = {
    "accounts.session_expired": Action(_("Hết phiên do quá thời hạn tối đa"), "Session ended at its absolute lifetime"),
    "feedback.api_key_issued": Action(_("Cấp khóa API"), "API key issued"),
    "feedback.api_key_revoked": Action(_("Thu hồi khóa API"), "API key revoked"),
    "plans.activate": Action(_("Kích hoạt kế hoạch"), "Plan activated"),
    "plans.choose_successor": Action(_("Chọn đơn vị kế thừa"), "Successor unit chosen"),
    "plans.close": Action(_("Kết thúc kế hoạch"), "Plan closed"),
    "plans.copy": Action(_("Lập kế hoạch năm sau"), "Next year's plan made"),
    "plans.move_activity": Action(_("Chuyển vị trí hoạt động"), "Activity moved"),
    "plans.save_plan_group": Action(_("Lưu nhóm đơn vị của kế hoạch"), "Plan unit group saved"),
    "procedures.best_bet_add": Action(_("Đặt thủ tục ưu tiên"), "Best bet added"),
    "procedures.best_bet_remove": Action(_("Bỏ thủ tục ưu tiên"), "Best bet removed"),
    "procedures.synonym_add": Action(_("Thêm từ đồng nghĩa tra cứu"), "Search synonym added"),
    "procedures.synonym_remove": Action(_("Xóa từ đồng nghĩa tra cứu"), "Search synonym removed"),
    "reports.remind_activity_agencies": Action(
        _("Nhắc tiến độ các đơn vị của hoạt động"), "Activity agencies reminded"
    ),
    "reports.remind_missing_subplans": Action(_("Nhắc đơn vị chưa có kế hoạch"), "Units without a plan reminded"),
    "access.refused": Action(_("Từ chối truy cập"), "Access refused"),
    "access.not_found": Action(_("Truy cập đối tượng không có hoặc không được xem"), "Object not found or not visible"),
    "accounts.disabled_inactive": Action(_("Khóa tài khoản lâu không dùng"), "Inactive account disabled"),
    "accounts.idle_timeout": Action(_("Hết phiên do không thao tác"), "Session ended after inactivity"),
    "accounts.locked_out": Action(_("Tạm khóa do đăng nhập sai nhiều lần"), "Locked out after failed log-ins"),
    "accounts.login": Action(_("Đăng nhập"), "Logged in"),
    "accounts.login_failed": Action(_("Đăng nhập không thành công"), "Failed log-in"),
    "accounts.logout": Action(_("Đăng xuất"), "Logged out"),
    "accounts.mfa_enabled": Action(_("Bật xác thực hai bước"), "Two-step verification enabled"),
    "accounts.mfa_failed": Action(_("Mã xác thực hai bước sai"), "Wrong two-step verification code"),
    "accounts.mfa_removed": Action(_("Gỡ xác thực hai bước"), "Two-step verification removed"),
    "accounts.mfa_verified": Action(_("Xác thực hai bước thành công"), "Two-step verification passed"),
    "accounts.password_changed": Action(_("Đổi mật khẩu"), "Password changed"),
    "accounts.password_reset": Action(_("Đặt lại mật khẩu (cấp mật khẩu tạm)"), "Password reset (temporary password)"),
    "accounts.user_created": Action(_("Tạo tài khoản người dùng"), "Account created"),
    "accounts.user_disabled": Action(_("Khóa tài khoản người dùng"), "Account disabled"),
    "accounts.user_enabled": Action(_("Mở khóa tài khoản người dùng"), "Account enabled"),
    "accounts.user_updated": Action(_("Sửa thông tin tài khoản"), "Account details changed"),
    "audit.exported": Action(_("Tải nhật ký hệ thống"), "Audit log exported"),
    "audit.purged": Action(_("Xóa nhật ký quá hạn lưu"), "Expired audit entries purged"),
    "execution.add_evidence": Action(_("Thêm minh chứng"), "Evidence added"),
    "execution.add_subplan_item": Action(_("Thêm dòng kế hoạch của đơn vị"), "Agency plan line added"),
    "execution.approve_subplan": Action(_("Phê duyệt kế hoạch của đơn vị"), "Agency plan approved"),
    "execution.create_subplan": Action(_("Lập kế hoạch của đơn vị"), "Agency plan created"),
    "execution.delete_evidence": Action(_("Xóa minh chứng"), "Evidence deleted"),
    "execution.delete_result": Action(_("Xóa kết quả"), "Result deleted"),
    "execution.delete_subplan_item": Action(_("Xóa dòng kế hoạch của đơn vị"), "Agency plan line deleted"),
    "execution.generate_deliverables": Action(_("Tạo các sản phẩm theo chỉ tiêu"), "Deliverables generated"),
    "execution.import_results": Action(_("Nhập kết quả từ tệp"), "Results imported from a file"),
    "execution.prune_evidence": Action(_("Dọn tệp minh chứng không còn dùng"), "Unused evidence files pruned"),
    "execution.record_result": Action(_("Ghi nhận kết quả"), "Result recorded"),
    "execution.resolve_subplan_change": Action(
        _("Xử lý thay đổi từ kế hoạch của tỉnh"), "Province plan change resolved"
    ),
    "execution.return_subplan": Action(_("Trả lại kế hoạch của đơn vị"), "Agency plan returned"),
    "execution.submit_subplan": Action(_("Trình kế hoạch của đơn vị"), "Agency plan submitted"),
    "execution.sync_subplan": Action(
        _("Cập nhật nhiệm vụ mới vào kế hoạch của đơn vị"), "New duties added to the agency plan"
    ),
    "execution.update_result": Action(_("Sửa kết quả"), "Result changed"),
    "execution.update_subplan": Action(_("Sửa kế hoạch của đơn vị"), "Agency plan changed"),
    "execution.update_subplan_item": Action(_("Sửa dòng kế hoạch của đơn vị"), "Agency plan line changed"),
    "feedback.accept": Action(_("Tiếp nhận xử lý"), "Accepted for handling"),
    "feedback.anonymise_senders": Action(_("Ẩn danh thông tin người gửi quá hạn lưu"), "Senders' data anonymised"),
    "feedback.answer": Action(_("Trả lời"), "Answered"),
    "feedback.assign": Action(_("Chuyển cơ quan xử lý"), "Assigned to an agency"),
    "feedback.forward": Action(_("Chuyển cơ quan có thẩm quyền"), "Forwarded to the competent authority"),
    "feedback.note": Action(_("Ghi chú"), "Note added"),
    "feedback.publish": Action(_("Công khai"), "Published"),
    "feedback.rate": Action(_("Đánh giá mức độ hài lòng"), "Satisfaction rated"),
    "feedback.reassign": Action(_("Chuyển cơ quan khác"), "Reassigned"),
    "feedback.reject": Action(_("Không tiếp nhận"), "Not accepted"),
    "feedback.remind": Action(_("Nhắc hạn"), "Reminder sent"),
    "feedback.return": Action(_("Đề nghị bổ sung câu trả lời"), "Answer sent back for more"),
    "feedback.submit": Action(_("Tiếp nhận"), "Received"),
    "ops.storage_check": Action(_("Thử lưu tệp trên kho dùng chung"), "Shared file store checked"),
    "ops.storage_check_delete": Action(_("Xóa tệp thử của kho dùng chung"), "Shared file store check file deleted"),
    "orgs.load_units": Action(_("Nạp danh mục đơn vị"), "Units loaded"),
    "plans.create": Action(_("Tạo kế hoạch"), "Plan created"),
    "plans.expand_obligations": Action(_("Giao nhiệm vụ cho các đơn vị"), "Duties assigned to agencies"),
    "plans.import.confirm": Action(_("Xác nhận bản nhập kế hoạch"), "Plan import confirmed"),
    "plans.import.correct": Action(_("Sửa bản nhập kế hoạch"), "Plan import corrected"),
    "plans.import.discard": Action(_("Hủy bản nhập kế hoạch"), "Plan import discarded"),
    "plans.import.refused": Action(_("Từ chối tệp kế hoạch"), "Plan file refused"),
    "plans.import.upload": Action(_("Tải lên tệp kế hoạch"), "Plan file uploaded"),
    "plans.inherit_obligations": Action(_("Kế thừa nhiệm vụ"), "Duties inherited"),
    "plans.set_status": Action(_("Đổi trạng thái kế hoạch"), "Plan status changed"),
    "plans.update_from_document": Action(_("Cập nhật kế hoạch từ tệp"), "Plan updated from a file"),
    "portal.back_page_save": Action(_("Lưu mặt sau phiếu hẹn"), "Receipt back page saved"),
    "portal.contact_save": Action(_("Lưu đường dây nóng, địa chỉ tiếp nhận"), "Hotline and addresses saved"),
    "portal.news_create": Action(_("Viết tin"), "News post written"),
    "portal.news_publish": Action(_("Đăng tin"), "News post published"),
    "portal.news_unpublish": Action(_("Gỡ tin"), "News post withdrawn"),
    "portal.news_update": Action(_("Sửa tin"), "News post changed"),
    "privacy.consent_given": Action(_("Đồng ý xử lý dữ liệu cá nhân"), "Consent given"),
    "privacy.consent_withdrawn": Action(_("Rút lại sự đồng ý"), "Consent withdrawn"),
    "privacy.incident_reported": Action(_("Báo sự cố dữ liệu cá nhân"), "Personal data incident reported"),
    "privacy.incident_updated": Action(_("Cập nhật sự cố dữ liệu cá nhân"), "Personal data incident updated"),
    "privacy.request_acknowledged": Action(
        _("Phản hồi yêu cầu của chủ thể dữ liệu"), "Data subject request acknowledged"
    ),
    "privacy.request_closed": Action(_("Kết thúc yêu cầu của chủ thể dữ liệu"), "Data subject request closed"),
    "privacy.request_registered": Action(_("Ghi nhận yêu cầu của chủ thể dữ liệu"), "Data subject request registered"),
    "procedures.import": Action(_("Nhập danh mục thủ tục hành chính"), "Procedure catalogue imported"),
    "procedures.import_refused": Action(_("Từ chối tệp danh mục thủ tục"), "Procedure file refused"),
    "procedures.reindex": Action(_("Lập lại chỉ mục tìm kiếm thủ tục"), "Procedure search index rebuilt"),
    "reports.accept": Action(_("Tiếp nhận báo cáo"), "Report accepted"),
    "reports.ensure_periods": Action(_("Tính lại các kỳ báo cáo"), "Reporting periods recomputed"),
    "reports.issue_province": Action(_("Ban hành báo cáo tổng hợp của tỉnh"), "Province report issued"),
    "reports.load_demo": Action(_("Nạp dữ liệu báo cáo mẫu"), "Demo reports loaded"),
    "reports.open": Action(_("Mở kỳ báo cáo cho các đơn vị"), "Reports opened for agencies"),
    "reports.reminders": Action(_("Gửi nhắc hạn báo cáo"), "Report reminders sent"),
    "reports.return": Action(_("Trả lại báo cáo"), "Report returned"),
    "reports.save": Action(_("Lưu báo cáo"), "Report saved"),
    "reports.save_calendar": Action(_("Lưu lịch báo cáo"), "Reporting calendar saved"),
    "reports.save_province": Action(_("Lưu dự thảo báo cáo tổng hợp"), "Province report draft saved"),
    "reports.start": Action(_("Bắt đầu báo cáo"), "Report started"),
    "reports.start_province": Action(_("Bắt đầu báo cáo tổng hợp"), "Province report started"),
    "reports.submit": Action(_("Gửi báo cáo"), "Report submitted"),
}


def is_known(code: str) -> bool:
    return code in ACTIONS


def label(code: str) -> str:
    """What the audit page shows for an action name (the name itself if it is unknown, e.g. an old row)."""
    action = ACTIONS.get(code)
    if action is None:
        return code
    text = gettext(action.vietnamese)
    if (get_language() or "").startswith("en") and text == action.vietnamese:
        return action.english
    return text
