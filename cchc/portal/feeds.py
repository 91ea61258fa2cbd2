"""The news column as RSS 2.0 (Django's syndication framework)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from cchc.portal.models import NewsCategory, NewsPost

FEED_SIZE = 30


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = _("Tin cải cách hành chính tỉnh Gia Lai")
    description = _("Chuyên mục tin cải cách hành chính: hoạt động, văn bản mới, hỏi đáp thủ tục hành chính.")
    language = "vi"

    def get_object(self, request, category: str | None = None):
        if category is None:
            return None
        return NewsCategory.objects.get(slug=category)

    def link(self, obj) -> str:
        url = reverse("portal:news")
        return f"{url}?category={obj.slug}" if obj else url

    def items(self, obj):
        posts = NewsPost.objects.published().select_related("category", "unit")
        if obj is not None:
            posts = posts.filter(category=obj)
        return posts[:FEED_SIZE]

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        # Plain text: the feed framework escapes it; readers show it as is.
        return item.summary or (item.paragraphs[0] if item.paragraphs else "")

    def item_pubdate(self, item: NewsPost):
        return item.published_at

    def item_updateddate(self, item: NewsPost):
        return item.updated_at

    def item_author_name(self, item: NewsPost) -> str:
        return item.unit.name

    def item_categories(self, item: NewsPost) -> list[str]:
        return [item.category.name]

    def item_guid(self, item: NewsPost) -> str:
        return f"cchc-news-{item.pk}"

    item_guid_is_permalink = False
