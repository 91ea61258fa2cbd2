import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_it_shows_active_plans_to_anyone(client, demo_plan):
    page = client.get(reverse("portal:home")).content.decode()
    assert 'lang="vi"' in page
    assert "Tuyên truyền công tác cải cách hành chính năm 2024" in page


@pytest.mark.django_db
def test_it_loads_no_asset_from_outside(client, demo_plan):
    page = client.get(reverse("portal:home")).content.decode()
    assert "src=\"http" not in page and "href=\"http://" not in page.replace('href="https://www.gnu.org', "")
