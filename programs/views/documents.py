"""Placeholder: the helper building the official documents replaces this module."""

from django.http import HttpResponse
from django.urls import path

from .common import get_program


def committee_decision(request, pk):
    get_program(request, pk)
    return HttpResponse("")


urlpatterns = [path("<int:pk>/ban-to-chuc/quyet-dinh.pdf", committee_decision, name="committee_decision")]
