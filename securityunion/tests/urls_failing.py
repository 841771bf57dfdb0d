"""The project's URLs plus one page that fails, to see the 500 page as production shows it."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from securityunion.urls import handler500
from securityunion.urls import urlpatterns as project_urlpatterns


@login_not_required
def failing_page(request):  # noqa: ANN001, ANN201
    raise RuntimeError("a bug")


urlpatterns = [*project_urlpatterns, path("failing/", failing_page)]

__all__ = ["handler500", "urlpatterns"]
