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
    assert 'src="http' not in page and 'href="http://' not in page.replace('href="https://www.gnu.org', "")


@pytest.mark.django_db
def test_the_favicon_answers_and_every_page_links_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].startswith("/static/cchc/favicon")
    assert response["Location"].endswith(".ico")
    page = client.get(reverse("portal:home")).content.decode()
    assert '<link rel="icon" href="/static/cchc/favicon' in page
