"""The news column's headings and the province's list of receipt messages, to start from;
coordinators and administrators change them in the admin."""

from django.db import migrations

CATEGORIES = [
    ("hoat-dong-cchc", "Hoạt động cải cách hành chính", 1),
    ("van-ban-moi", "Văn bản mới", 2),
    ("hoi-dap-tthc", "Hỏi đáp thủ tục hành chính", 3),
    ("chinh-quyen-so", "Chính quyền số, dịch vụ công trực tuyến", 4),
    ("guong-dien-hinh", "Gương điển hình, cách làm hay", 5),
]

MESSAGES = [
    "Tổ chức, công dân không phải nộp thêm giấy tờ hay khoản tiền nào ngoài quy định khi giải quyết thủ tục "
    "hành chính.",
    "Thủ tục hành chính được niêm yết tại Bộ phận Một cửa và trên cổng thông tin; hãy tra cứu thành phần hồ sơ "
    "trước khi đến nộp.",
    "Nộp hồ sơ trực tuyến giúp tiết kiệm thời gian đi lại; nhiều thủ tục được giảm phí, lệ phí khi nộp trực tuyến.",
    "Gặp cán bộ nhũng nhiễu, gây phiền hà hoặc hẹn trả kết quả trễ, xin báo ngay qua đường dây nóng in trên phiếu "
    "này.",
    "Mỗi phản ánh, kiến nghị của người dân, doanh nghiệp giúp cơ quan nhà nước sửa quy định chưa hợp lý và phục "
    "vụ tốt hơn.",
    "Sau khi nhận kết quả, xin đánh giá mức độ hài lòng: ý kiến của bạn được dùng để đánh giá cán bộ và cơ quan.",
    "Cải cách hành chính vì một nền hành chính phục vụ nhân dân, công khai, minh bạch và hiệu quả.",
]


def seed(apps, schema_editor):
    NewsCategory = apps.get_model("portal", "NewsCategory")
    CchcMessage = apps.get_model("portal", "CchcMessage")
    for slug, name, order in CATEGORIES:
        NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    if not CchcMessage.objects.exists():
        CchcMessage.objects.bulk_create(CchcMessage(text=text, order=i) for i, text in enumerate(MESSAGES, start=1))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
