"""The public portal of the demo province after a few months of the plan: the CCHC news column, the hotlines of
the main agencies, feedback (PAKN) answered and published, satisfaction ratings.

Everything is made by the same actions a person's click goes through (``do_create_post``, ``do_save_contact``,
``do_submit_feedback`` … ``do_publish_feedback``, ``do_rate_service``), by the demo's personas, so the audit log
and the figures read as a real province's would. Each part is made once: loading the demo again changes nothing.
Agencies are those of today's registry (after the 2025 reorganisation): a citizen calls a hotline that answers.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from cchc.accounts.models import User
from cchc.feedback import actions as feedback_actions
from cchc.feedback.models import Channel, Feedback, FeedbackKind, RatingSource, SatisfactionRating
from cchc.orgs.models import Unit
from cchc.portal import actions as portal_actions
from cchc.portal.models import AgencyContact, NewsCategory, NewsPost

# (days ago, category slug, unit code — None: the demo commune after the reform —, title, summary, body)
NEWS = [
    (
        3,
        "hoat-dong-cchc",
        "so-noi-vu",
        "Sở Nội vụ kiểm tra công tác cải cách hành chính tại các xã, phường",
        "Đoàn kiểm tra làm việc tại 12 xã, phường về niêm yết thủ tục, tiếp nhận hồ sơ và trả kết quả đúng hạn.",
        "Thực hiện Kế hoạch tuyên truyền công tác cải cách hành chính, Sở Nội vụ đã kiểm tra việc niêm yết thủ tục "
        "hành chính, tiếp nhận và trả kết quả tại Bộ phận Một cửa của 12 xã, phường.\n\n"
        "Đoàn ghi nhận 100% thủ tục được niêm yết đúng quy định; tỷ lệ hồ sơ trả đúng hạn đạt 98,6%. Đoàn đề nghị "
        "các địa phương tăng cường hướng dẫn người dân nộp hồ sơ trực tuyến và công khai số điện thoại đường dây "
        "nóng tại nơi tiếp nhận hồ sơ.",
    ),
    (
        11,
        "chinh-quyen-so",
        "so-khcn",
        "Hướng dẫn nộp hồ sơ trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia",
        "Các bước đăng nhập bằng tài khoản định danh điện tử, chọn thủ tục, tải giấy tờ và theo dõi kết quả.",
        "Người dân đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh điện tử (VNeID) mức độ 2, tìm tên "
        "thủ tục, điền tờ khai và tải ảnh chụp giấy tờ theo hướng dẫn.\n\n"
        "Kết quả được trả qua dịch vụ bưu chính công ích hoặc bản điện tử trong kho dữ liệu cá nhân. Khi cần hỗ "
        "trợ, xin gọi đường dây nóng của Trung tâm Phục vụ hành chính công tỉnh.",
    ),
    (
        24,
        "hoi-dap-tthc",
        "ttpvhcc",
        "Hỏi đáp: làm lại thẻ căn cước bị mất cần những giấy tờ gì?",
        "Không cần nộp giấy tờ; nộp hồ sơ tại Công an cấp xã hoặc trực tuyến, lệ phí giảm một nửa khi nộp trực tuyến.",
        "Công dân đề nghị cấp lại thẻ căn cước khi bị mất không phải nộp giấy tờ kèm theo; cán bộ tiếp nhận sử "
        "dụng thông tin trong Cơ sở dữ liệu quốc gia về dân cư.\n\n"
        "Thời hạn giải quyết là 07 ngày làm việc. Tra cứu thủ tục «Cấp lại thẻ căn cước» trên cổng thông tin này "
        "để xem đủ thành phần hồ sơ và lệ phí.",
    ),
    (
        38,
        "van-ban-moi",
        "so-noi-vu",
        "Ban hành Kế hoạch tuyên truyền công tác cải cách hành chính năm 2024",
        "UBND tỉnh giao các sở, ngành, địa phương xây dựng kế hoạch của đơn vị và báo cáo kết quả hằng quý.",
        "Kế hoạch gồm 10 nội dung và 9 hình thức tuyên truyền: chuyên mục cải cách hành chính trên Báo và Phát "
        "thanh truyền hình tỉnh, pa nô, áp phích, tờ gấp tại các xã vùng sâu, vùng xa, tập huấn cho cán bộ, công "
        "chức, và công khai các hình thức phản ánh, kiến nghị.\n\n"
        "Tiến độ thực hiện được công khai trên trang «Tiến độ kế hoạch» của cổng thông tin.",
    ),
    (
        57,
        "guong-dien-hinh",
        None,
        "Bộ phận Một cửa xã trả kết quả trước hạn, người dân không phải đi lại nhiều lần",
        "Cán bộ một cửa hẹn giờ qua điện thoại và nhắn tin khi có kết quả; 9 tháng không có hồ sơ trễ hạn.",
        "Từ đầu năm, Bộ phận Tiếp nhận và Trả kết quả của xã gọi điện hẹn giờ cho người dân ở xa và nhắn tin khi "
        "hồ sơ có kết quả.\n\n"
        "Mặt sau phiếu hẹn in số đường dây nóng và mã QR để người dân đánh giá mức độ hài lòng sau khi nhận kết "
        "quả.",
    ),
    (
        83,
        "hoat-dong-cchc",
        "so-noi-vu",
        "Tập huấn nghiệp vụ tuyên truyền cải cách hành chính cho cán bộ đầu mối",
        "Hơn 200 cán bộ, công chức các sở, ngành, xã, phường được tập huấn về viết tin bài và báo cáo kết quả.",
        "Lớp tập huấn hướng dẫn cách viết tin, bài về cải cách hành chính, ghi nhận kết quả tuyên truyền và lập "
        "báo cáo định kỳ trên hệ thống.\n\n"
        "Học viên thực hành ghi nhận một kết quả có minh chứng và gửi báo cáo quý thử nghiệm.",
    ),
]

# unit code (None: the demo commune after the reform), hotline, phone for PAKN, e-mail, address, hours
CONTACTS = [
    (
        "vp-ubnd",
        "0256 3 822 001",
        "0256 3 822 002",
        "pakn@gialai.gov.vn",
        "Văn phòng UBND tỉnh Gia Lai, số 1 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai",
        "Giờ hành chính, từ thứ Hai đến thứ Sáu",
    ),
    (
        "ttpvhcc",
        "1900 6100",
        "0256 3 655 100",
        "ttpvhcc@gialai.gov.vn",
        "Trung tâm Phục vụ hành chính công tỉnh, số 127 Hai Bà Trưng, phường Quy Nhơn, tỉnh Gia Lai",
        "Sáng 7 giờ 00 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ 00; sáng thứ Bảy",
    ),
    (
        "so-noi-vu",
        "0256 3 821 050",
        "0256 3 821 051",
        "sonoivu@gialai.gov.vn",
        "Sở Nội vụ tỉnh Gia Lai, phường Quy Nhơn, tỉnh Gia Lai",
        "Giờ hành chính",
    ),
    (
        "so-tu-phap",
        "0256 3 822 860",
        "",
        "sotuphap@gialai.gov.vn",
        "Sở Tư pháp tỉnh Gia Lai, phường Quy Nhơn, tỉnh Gia Lai",
        "Giờ hành chính",
    ),
    (
        "so-khcn",
        "0256 3 818 818",
        "",
        "sokhcn@gialai.gov.vn",
        "Sở Khoa học và Công nghệ tỉnh Gia Lai, phường Quy Nhơn, tỉnh Gia Lai",
        "Giờ hành chính",
    ),
    (
        "so-xay-dung",
        "0256 3 822 640",
        "",
        "soxaydung@gialai.gov.vn",
        "Sở Xây dựng tỉnh Gia Lai, phường Quy Nhơn, tỉnh Gia Lai",
        "Giờ hành chính",
    ),
    (
        "cong-an",
        "069 4 358 113",
        "",
        "",
        "Công an tỉnh Gia Lai, phường Pleiku, tỉnh Gia Lai",
        "Tiếp nhận 24/7",
    ),
    (
        None,
        "0269 3 700 115",
        "",
        "",
        "Bộ phận Tiếp nhận và Trả kết quả, trụ sở UBND xã",
        "Giờ hành chính; sáng thứ Bảy",
    ),
]

# Senders (made up): never shown to the public, the desk's redaction keeps them out of published texts.
SENDERS = ["Nguyễn Văn Hùng", "Rơ Mah H'Nhi", "Trần Thị Thu Hà", "Siu Đức"]

# kind, days ago received, procedure code, unit code (None: the demo commune), subject, content, answer,
# published (False: answered, waiting for the desk)
FEEDBACK = [
    (
        FeedbackKind.FEEDBACK,
        64,
        "2.000815",
        None,
        "Chứng thực bản sao phải chờ đến chiều mới nhận",
        "Tôi nộp bản chính để chứng thực bản sao lúc 8 giờ sáng nhưng được hẹn 16 giờ mới nhận, phải đi lại hai "
        "lần. Đề nghị trả ngay trong buổi như quy định.",
        "UBND xã đã bố trí thêm một công chức ký chứng thực vào buổi sáng. Từ tháng này, yêu cầu nộp trước 11 giờ "
        "được trả ngay trong buổi; trường hợp nhiều bản được hẹn không quá ngày làm việc tiếp theo theo Nghị định "
        "23/2015/NĐ-CP.",
        True,
    ),
    (
        FeedbackKind.PETITION,
        52,
        "1.001193",
        None,
        "Đề nghị niêm yết mẫu tờ khai đăng ký khai sinh đã điền sẵn",
        "Nhiều người dân ở thôn xa không biết điền tờ khai. Đề nghị xã niêm yết mẫu đã điền sẵn để người dân làm theo.",
        "Bộ phận Một cửa đã niêm yết mẫu tờ khai đăng ký khai sinh điền sẵn và hướng dẫn trên cổng thông tin; "
        "công chức tư pháp – hộ tịch hỗ trợ điền tờ khai tại chỗ.",
        True,
    ),
    (
        FeedbackKind.FEEDBACK,
        41,
        "1.014064",
        "so-khcn",
        "Không tải được tệp đính kèm khi nộp hồ sơ trực tuyến",
        "Khi nộp hồ sơ cấp lại thẻ căn cước trực tuyến, tệp ảnh chụp giấy tờ trên 5 MB báo lỗi và không có hướng "
        "dẫn cách làm nhỏ tệp.",
        "Sở Khoa học và Công nghệ đã nâng giới hạn tệp lên 10 MB và bổ sung hướng dẫn chụp ảnh giấy tờ bằng điện "
        "thoại ở chế độ chất lượng vừa. Lỗi không còn xảy ra từ ngày cập nhật hệ thống.",
        True,
    ),
    (
        FeedbackKind.PETITION,
        9,
        "2.000635",
        None,
        "Đề nghị công khai lệ phí cấp bản sao trích lục hộ tịch tại Bộ phận Một cửa",
        "Tại nơi nộp hồ sơ không thấy niêm yết lệ phí cấp bản sao trích lục hộ tịch; đề nghị niêm yết rõ.",
        "UBND xã đã niêm yết bảng phí, lệ phí của các thủ tục hộ tịch tại Bộ phận Một cửa.",
        False,
    ),
]

# unit code (None: the demo commune), scores (overall, access, procedure, officials, result)
SERVICE_RATINGS = [
    (None, (5, 5, 4, 5, 5)),
    (None, (4, 4, 4, 5, 4)),
    (None, (5, 5, 5, 5, 5)),
    (None, (3, 4, 3, 3, 4)),
    ("ttpvhcc", (5, 5, 5, 4, 5)),
    ("ttpvhcc", (4, 4, 4, 4, 4)),
    ("ttpvhcc", (5, 4, 5, 5, 5)),
]


def load_demo_portal() -> dict:
    """The demo's portal content (each part once). Returns how many of each were made."""
    personas = {user.username: user for user in User.objects.filter(username__in=["coordinator", "admin", "desk"])}
    commune_officer = User.objects.filter(username="commune-officer-2026").select_related("unit").first()
    dept_officer = User.objects.filter(username="officer-khcn").select_related("unit").first()
    if len(personas) < 3 or commune_officer is None or dept_officer is None:
        return {"skipped": "demo personas missing"}
    commune = commune_officer.unit
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={c[0] for c in CONTACTS if c[0]} | {"so-noi-vu"})}
    units[None] = commune
    units["so-khcn"] = dept_officer.unit
    return {
        "news": _news(personas["coordinator"], units),
        "contacts": _contacts(personas["admin"], units),
        "feedback": _feedback(personas["desk"], {None: commune_officer, "so-khcn": dept_officer}),
        "ratings": _ratings(units),
    }


def _news(coordinator, units) -> int:
    if NewsPost.objects.exists():
        return 0
    categories = {category.slug: category for category in NewsCategory.objects.all()}
    if not categories:  # the headings are seeded by a migration; a database emptied since has none
        return 0
    now = timezone.now()
    for days, slug, code, title, summary, body in NEWS:
        unit = units.get(code) or Unit.objects.get(code=code)
        category = categories.get(slug) or next(iter(categories.values()))  # a heading renamed or removed
        fields = {"title": title, "summary": summary, "body": body, "category": category, "unit": unit}
        post = portal_actions.do_create_post(fields, actor=coordinator)
        portal_actions.do_publish_post(
            post, actor=coordinator, expected_version=post.version, at=now - dt.timedelta(days=days, hours=2)
        )
    return len(NEWS)


def _contacts(admin, units) -> int:
    if AgencyContact.objects.exists():
        return 0
    made = 0
    for code, hotline, phone, email, address, hours in CONTACTS:
        unit = units.get(code)
        if unit is None:
            continue
        fields = {"hotline": hotline, "phone": phone, "email": email, "address": address, "hours": hours}
        portal_actions.do_save_contact(unit, fields, actor=admin, expected_version=None)
        made += 1
    return made


def _feedback(desk, officers) -> int:
    if Feedback.objects.exists():
        return 0
    now = timezone.now()
    for n, (kind, days, procedure, code, subject, content, answer, published) in enumerate(FEEDBACK):
        officer = officers[code]
        data = {
            "kind": kind,
            "sender_name": SENDERS[n],
            "address": f"Tổ {n + 2}, thôn Plei Ốp",
            "phone": "",
            "email": "",  # no mail to send from a demo
            "organisation": "",
            "subject": subject,
            "content": content,
            "procedure_code": procedure,
            "regulation": "",
        }
        feedback = feedback_actions.do_submit_feedback(
            data, channel=Channel.WEB, token=uuid.uuid4().hex, received_at=now - dt.timedelta(days=days)
        ).feedback
        feedback = feedback_actions.do_accept_feedback(feedback, actor=desk)
        feedback = feedback_actions.do_assign_feedback(feedback, officer.unit, actor=desk)
        feedback = feedback_actions.do_answer_feedback(feedback, answer, actor=officer)
        if published:
            feedback = feedback_actions.do_publish_feedback(feedback, subject, content, actor=desk)
            feedback_actions.do_rate_feedback(
                feedback, {"overall": 5 if days > 50 else 4, "feedback_handling": 4, "comment": ""}
            )
    # One just received: the desk's inbox is never empty in a real province.
    feedback_actions.do_submit_feedback(
        {
            **data,
            "kind": FeedbackKind.FEEDBACK,
            "subject": "Bãi đỗ xe tại Bộ phận Một cửa quá chật",
            "content": "Người dân đến nộp hồ sơ không có chỗ để xe máy, phải để ngoài đường.",
            "procedure_code": "",
        },
        channel=Channel.WEB,
        token=uuid.uuid4().hex,
    )
    return len(FEEDBACK) + 1


def _ratings(units) -> int:
    if SatisfactionRating.objects.filter(source=RatingSource.ONE_STOP).exists():
        return 0
    for n, (code, (overall, access, procedure, officials, result)) in enumerate(SERVICE_RATINGS, start=1):
        values = {
            "overall": overall,
            "access": access,
            "procedure": procedure,
            "officials": officials,
            "result": result,
            "comment": "",
        }
        feedback_actions.do_rate_service(units[code], values, dossier_code=f"DEMO-{n:04d}")
    return len(SERVICE_RATINGS)
