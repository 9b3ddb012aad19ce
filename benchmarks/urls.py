"""The app's URLs plus a bare view: the baseline every page is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench__/bare/", bare, name="bench_bare"), path("", include("dialogue.urls"))]
