from django.urls import path

from cchc.plans import copy_views, edit_views, group_views, import_views, views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/activities/<str:number>/", views.activity_detail, name="activity"),
    path("plans/<int:pk>/groups/", group_views.plan_groups_page, name="groups"),
    path("my-work/", views.my_work, name="my_work"),
    path("plans/<int:pk>/edit/", edit_views.plan_edit, name="edit"),
    path("plans/<int:pk>/edit/header/", edit_views.plan_edit_header, name="edit_header"),
    path("plans/<int:pk>/edit/content/", edit_views.plan_edit_content, name="edit_content"),
    path("plans/<int:pk>/edit/activities/new/", edit_views.activity_edit, name="activity_new"),
    path("plans/<int:pk>/edit/activities/<int:activity_id>/", edit_views.activity_edit, name="activity_edit"),
    path(
        "plans/<int:pk>/edit/activities/<int:activity_id>/delete/",
        edit_views.activity_delete,
        name="activity_delete",
    ),
    path("plans/<int:pk>/edit/activities/<int:activity_id>/move/", edit_views.activity_move, name="activity_move"),
    path("plans/<int:pk>/agencies/search/", edit_views.agency_search, name="agency_search"),
    path("plans/<int:pk>/activate/", edit_views.plan_activate, name="activate"),
    path("plans/<int:pk>/close/", edit_views.plan_close, name="close"),
    path("plans/<int:pk>/history/", edit_views.plan_history, name="history"),
    path("plans/<int:pk>/history/diff/", edit_views.plan_diff, name="diff"),
    path("plans/<int:pk>/copy/", copy_views.plan_copy, name="copy"),
    path("plans/successor-choices/", copy_views.successor_choices, name="successor_choices"),
    path("plans/successor-choices/<int:pk>/", copy_views.successor_choose, name="successor_choose"),
    path("plans/imports/", import_views.import_upload, name="import_upload"),
    path("plans/imports/<int:pk>/", import_views.import_review, name="import_review"),
    path("plans/imports/<int:pk>/original/", import_views.import_original, name="import_original"),
    path("plans/imports/<int:pk>/pages/<int:page>.png", import_views.import_page, name="import_page"),
    path("plans/imports/<int:pk>/header/", import_views.import_correct, {"section": "header"}, name="import_header"),
    path("plans/imports/<int:pk>/lists/", import_views.import_correct, {"section": "lists"}, name="import_lists"),
    path(
        "plans/imports/<int:pk>/activities/<int:index>/",
        import_views.import_correct,
        {"section": "activity"},
        name="import_activity",
    ),
    path("plans/imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("plans/imports/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
