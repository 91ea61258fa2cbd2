from django.urls import path

from cchc.procedures import views

app_name = "procedures"
urlpatterns = [
    path("procedures/", views.search, name="search"),
    path("procedures/tu-ngu-tra-cuu/", views.search_words, name="search_words"),
    path("procedures/tu-ngu-tra-cuu/them/", views.synonym_add, name="synonym_add"),
    path("procedures/tu-ngu-tra-cuu/<int:pk>/xoa/", views.synonym_remove, name="synonym_remove"),
    path("procedures/tu-ngu-tra-cuu/uu-tien/", views.best_bet_add, name="best_bet_add"),
    path("procedures/tu-ngu-tra-cuu/uu-tien/<int:pk>/xoa/", views.best_bet_remove, name="best_bet_remove"),
    path("procedures/<str:code>/", views.detail, name="detail"),
]
