from django.urls import path

from cchc.plans import import_views, views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/activities/<str:number>/", views.activity_detail, name="activity"),
    path("my-work/", views.my_work, name="my_work"),
    path("plans/imports/", import_views.import_upload, name="import_upload"),
    path("plans/imports/<int:pk>/", import_views.import_review, name="import_review"),
    path("plans/imports/<int:pk>/original/", import_views.import_original, name="import_original"),
    path("plans/imports/<int:pk>/header/", import_views.import_correct, {"section": "header"},
         name="import_header"),
    path("plans/imports/<int:pk>/lists/", import_views.import_correct, {"section": "lists"}, name="import_lists"),
    path("plans/imports/<int:pk>/activities/<int:index>/", import_views.import_correct, {"section": "activity"},
         name="import_activity"),
    path("plans/imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("plans/imports/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
