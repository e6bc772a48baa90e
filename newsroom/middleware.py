"""Site-wide middleware."""

from django.http import HttpResponsePermanentRedirect

from articles.models import Article


class OldArticleAddressMiddleware:
    """A story's old addresses (before a slug or date change) answer with a
    permanent redirect to where it is now, instead of the 404 they would get.

    Runs only on a 404, so ordinary pages pay nothing. The old address points at
    the story, not at the next address, so renames never build chains; a story
    that is no longer public stays a 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        article = (
            Article.objects.published()
            .filter(redirects__old_path=request.path_info)
            .only("slug", "publish_at", "created_at")
            .first()
        )
        if article is None:
            return response
        target = article.get_absolute_url()
        if request.META.get("QUERY_STRING"):
            target = f"{target}?{request.META['QUERY_STRING']}"
        return HttpResponsePermanentRedirect(target)
