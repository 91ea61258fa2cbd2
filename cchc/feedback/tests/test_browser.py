"""The journey of one petition, as the people involved take it, in Chromium."""

import re

import pytest

from cchc.browser import browser_page, log_in, screenshot
from cchc.feedback.models import Feedback, SatisfactionRating, Status
from cchc.feedback.tests.factory import PDF_BYTES, PERSONAL_VALUES, solve
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_petition_from_a_phone_to_its_published_answer_and_rating(live_server, personas, tmp_path):
    scan = tmp_path / "giay-to-yeu-cau.pdf"
    scan.write_bytes(PDF_BYTES)

    # A citizen, on a phone, sends a petition with an attachment and gets a tracking code at once.
    with browser_page(viewport=(390, 844)) as page:
        page.goto(f"{live_server.url}/feedback/new/")
        page.check("input[name=kind][value=kien_nghi]")
        page.fill("#id_sender_name", "Nguyễn Thị Riêng Tư")
        page.fill("#id_address", "12 Hẻm Bí Mật, phường Tây Sơn")
        page.fill("#id_phone", "0912 345 678")
        page.fill("#id_email", "rieng.tu@example.vn")
        page.fill("#id_subject", "Bỏ yêu cầu bản sao chứng thực khi đăng ký hộ kinh doanh")
        page.fill("#id_content", "Bộ phận một cửa yêu cầu bản sao chứng thực căn cước dù đã có trên CSDL dân cư.")
        page.fill("#id_procedure_code", "1.001612")
        page.set_input_files("#id_attachments", str(scan))
        question = page.locator(".captcha strong").inner_text()
        page.fill("#id_captcha_answer", solve(question))
        screenshot(page, "feedback-1-citizen-form-mobile")
        page.click("button[type=submit]")
        page.wait_for_url("**/feedback/sent/**")
        code = page.locator("#tracking-code").inner_text().strip()
        assert re.fullmatch(r"PAKN-\w{5}-\w{5}", code)
        screenshot(page, "feedback-2-citizen-code")
    feedback = Feedback.objects.get(code=code)
    assert feedback.attachments.count() == 1

    # The desk accepts it and assigns it to the Department of Information and Communications.
    with browser_page() as page:
        log_in(page, live_server.url, "desk", PASSWORD)
        page.goto(f"{live_server.url}/feedback/desk/")
        page.click(f"text={code}")
        page.click("#decision-accept button")
        page.wait_for_selector("#decision-assign")
        # "Cơ quan xử lý" is a search box (the unit picker), typed without accents.
        page.fill("#decision-assign [role=combobox]", "thong tin truyen thong")
        page.click("#decision-assign [role=option]:has-text('Sở Thông tin và Truyền thông')")
        page.click("#decision-assign button")
        page.wait_for_selector("text=Đã chuyển cho cơ quan xử lý.")
        screenshot(page, "feedback-3-desk-assigned")

    # The department's officer sees it in their list and answers.
    with browser_page() as page:
        log_in(page, live_server.url, "officer-dept", PASSWORD)
        page.goto(f"{live_server.url}/feedback/desk/")
        assert page.locator("table.desk tbody tr").count() == 1
        page.click(f"text={code}")
        page.fill(
            "#decision-answer textarea[name=answer]",
            "Sở đã đề nghị bỏ yêu cầu bản sao chứng thực; bộ phận một cửa tra cứu trực tiếp CSDL dân cư.",
        )
        page.fill("#decision-answer input[name=reference]", "123/STTTT-VP")
        page.click("#decision-answer button")
        page.wait_for_selector("text=Đã gửi kết quả xử lý")
        screenshot(page, "feedback-4-agency-answered")

    # The desk reviews the public text (personal data masked) and publishes.
    with browser_page() as page:
        log_in(page, live_server.url, "desk", PASSWORD)
        page.goto(f"{live_server.url}/feedback/desk/{code}/")
        screenshot(page, "feedback-5-desk-before-publishing")
        page.click("#decision-publish button")
        page.wait_for_selector("text=Đã công khai kết quả xử lý.")
    assert Feedback.objects.get(code=code).status == Status.PUBLISHED

    # The citizen finds the answer with the code and rates the handling.
    with browser_page(viewport=(390, 844)) as page:
        page.goto(f"{live_server.url}/feedback/track/")
        page.fill("#id_code", code.lower())
        page.click("button[type=submit]")
        page.wait_for_selector("text=Kết quả xử lý")
        assert "bộ phận một cửa tra cứu trực tiếp" in page.content()
        for value in PERSONAL_VALUES:
            assert value not in page.content()
        screenshot(page, "feedback-6-citizen-answer")
        page.click("text=Đánh giá mức độ hài lòng")
        page.check("input[name=feedback_handling][value='5']")
        page.check("input[name=result][value='4']")
        page.check("input[name=overall][value='5']")
        screenshot(page, "feedback-7-citizen-rating")
        page.click("button[type=submit]")
        page.wait_for_selector("text=Cảm ơn bạn đã đánh giá")
        screenshot(page, "feedback-8-citizen-thanks")
    rating = SatisfactionRating.objects.get()
    assert (rating.unit.code, rating.overall, rating.feedback_handling) == ("so-tttt", 5, 5)

    # And the answer is in the public list, found without accents.
    with browser_page() as page:
        page.goto(f"{live_server.url}/feedback/?q=ban+sao+chung+thuc")
        assert page.locator("ol.items > li.card").count() == 1
        screenshot(page, "feedback-9-public-answers")
