"""The product's own 404 page for URLs that match no pattern, also with DEBUG on.

With DEBUG on, Django answers an unmatched URL with its technical page, which lists every URL pattern of the
site; `handler404` only applies with DEBUG off. A homeowner or installer on a misconfigured deployment (or the
embedded run) must never see that list, so an unmatched URL gets the same page as with DEBUG off.
"""

from django.conf import settings

from apps.common.views import not_found


class OwnNotFoundPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        unmatched = getattr(request, "resolver_match", None) is None
        if settings.DEBUG and response.status_code == 404 and unmatched:
            return not_found(request)
        return response
