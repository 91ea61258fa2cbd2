import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_visitor_can_switch_to_english_and_back(client, demo_plan):
    assert "Kế hoạch đang thực hiện" in client.get(reverse("portal:home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("portal:home")).content.decode()
    assert 'lang="en"' in page and "Kế hoạch đang thực hiện" not in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert 'lang="vi"' in client.get(reverse("portal:home")).content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_visitor_chooses(client, demo_plan):
    page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page and "Kế hoạch đang thực hiện" in page
