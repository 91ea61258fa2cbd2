from django.urls import path

from cchc.plans import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/activities/<str:number>/", views.activity_detail, name="activity"),
    path("my-work/", views.my_work, name="my_work"),
]
