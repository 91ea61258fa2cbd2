"""Vietnamese first: the interface is in Vietnamese unless the visitor chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language browser would
get an English interface around Vietnamese content, and a Vietnamese citizen on a borrowed laptop an English
one. The choice made with the language switch (a cookie) is the only thing that changes the language.
"""


class IgnoreBrowserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
