from django.urls import path

from cchc.portal import views
from cchc.portal.feeds import NewsFeed

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("news/", views.news_list, name="news"),
    path("news/feed/", NewsFeed(), name="news_feed"),
    path("news/feed/<slug:category>/", NewsFeed(), name="news_category_feed"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("hotlines/", views.hotlines, name="hotlines"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("receipt-back/<slug:code>.pdf", views.back_page_pdf, name="back_page_pdf"),
    # Editors
    path("portal/", views.manage, name="manage"),
    path("portal/news/new/", views.news_create, name="news_create"),
    path("portal/news/<int:pk>/", views.news_edit, name="news_edit"),
    path("portal/news/<int:pk>/publish/", views.news_publish, name="news_publish"),
    path("portal/contacts/<slug:code>/", views.contact_edit, name="contact_edit"),
    path("portal/receipt-back/<slug:code>/", views.back_page_edit, name="back_page_edit"),
]
