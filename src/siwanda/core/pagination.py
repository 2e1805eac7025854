from django.core.paginator import Paginator

PER_PAGE = 50


def paginate(request, queryset, per_page: int = PER_PAGE):
    """The requested page of `queryset`; a wrong page number shows the nearest real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
