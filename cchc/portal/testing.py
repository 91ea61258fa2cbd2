"""Test data for the portal: the news headings and receipt messages that migration 0002 seeds
(a transactional test empties the database, seeded rows included)."""

from __future__ import annotations

from cchc.portal.models import CchcMessage, NewsCategory

CATEGORIES = [
    ("hoat-dong-cchc", "Hoạt động cải cách hành chính"),
    ("van-ban-moi", "Văn bản mới"),
    ("hoi-dap-tthc", "Hỏi đáp thủ tục hành chính"),
]
MESSAGES = [
    "Tổ chức, công dân không phải nộp thêm giấy tờ hay khoản tiền nào ngoài quy định.",
    "Nộp hồ sơ trực tuyến giúp tiết kiệm thời gian đi lại.",
    "Sau khi nhận kết quả, xin đánh giá mức độ hài lòng.",
]


def ensure_defaults() -> None:
    for order, (slug, name) in enumerate(CATEGORIES, start=1):
        NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    if not CchcMessage.objects.exists():
        CchcMessage.objects.bulk_create(CchcMessage(text=text, order=i) for i, text in enumerate(MESSAGES, start=1))
