import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=a%00b", "service_request_id=%C2%93U%00", "%00=x"])
def test_a_nul_in_the_query_string_is_a_clear_400(client, query):
    response = client.get(reverse("portal:home") + "?" + query)
    assert response.status_code == 400 and "NUL" in response.content.decode()


@pytest.mark.django_db
def test_ordinary_queries_pass(client):
    assert client.get(reverse("portal:home") + "?q=đăng%20ký").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path,shape", [("/api/v1/feedback", dict), ("/open311/v2/requests.json", list)])
def test_the_apis_answer_in_their_own_error_shape(client, path, shape):
    response = client.get(path + "?q=a%00b")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert isinstance(response.json(), shape)
