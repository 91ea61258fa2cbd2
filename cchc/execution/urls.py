from django.urls import path

from cchc.execution import views

app_name = "execution"
urlpatterns = [
    path("results/", views.result_list, name="results"),
    path("results/new/", views.result_create, name="result_create"),
    path("results/import/", views.import_results, name="import"),
    path("results/import/template.xlsx", views.import_template, name="import_template"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/edit/", views.result_edit, name="result_edit"),
    path("results/<int:pk>/delete/", views.result_delete, name="result_delete"),
    path("results/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("deliverables/", views.deliverable_list, name="deliverables"),
    path("unit-plans/", views.subplan_list, name="subplans"),
    path("unit-plans/new/<int:plan_pk>/", views.subplan_create, name="subplan_create"),
    path("unit-plans/<int:pk>/", views.subplan_detail, name="subplan"),
    path("unit-plans/<int:pk>/edit/", views.subplan_edit, name="subplan_edit"),
    path("unit-plans/<int:pk>/items/new/", views.subplan_item, name="subplan_item_add"),
    path("unit-plans/<int:pk>/items/<int:item_pk>/", views.subplan_item, name="subplan_item"),
    path("unit-plans/<int:pk>/items/<int:item_pk>/delete/", views.subplan_item_delete, name="subplan_item_delete"),
    path("unit-plans/<int:pk>/items/<int:item_pk>/resolve/", views.subplan_resolve, name="subplan_resolve"),
    path("unit-plans/<int:pk>/sync/", views.subplan_sync, name="subplan_sync"),
    path("unit-plans/<int:pk>/submit/", views.subplan_submit, name="subplan_submit"),
    path("unit-plans/<int:pk>/approve/", views.subplan_approve, name="subplan_approve"),
    path("unit-plans/<int:pk>/return/", views.subplan_return, name="subplan_return"),
]
