from django.urls import path

from cchc.feedback import views

app_name = "feedback"
urlpatterns = [
    # Public: published answers, the form, tracking by code, ratings.
    path("feedback/", views.public_list, name="public_list"),
    path("feedback/answers/<str:public_id>/", views.public_detail, name="public_detail"),
    path("feedback/new/", views.submit, name="submit"),
    path("feedback/sent/<str:code>/", views.sent, name="sent"),
    path("feedback/track/", views.track, name="track"),
    path("feedback/track/<str:code>/", views.track_detail, name="track_detail"),
    path("feedback/track/<str:code>/rate/", views.rate_feedback, name="rate_feedback"),
    path("feedback/rate/<slug:unit_code>/", views.rate_service, name="rate_service"),
    # Staff: the desk and the agencies.
    path("feedback/desk/", views.desk, name="desk"),
    path("feedback/desk/new/", views.staff_new, name="staff_new"),
    path("feedback/desk/<str:code>/", views.detail, name="detail"),
    path("feedback/desk/<str:code>/files/<int:pk>/", views.attachment, name="attachment"),
    path("feedback/desk/<str:code>/<slug:name>/", views.decide, name="decide"),
]
