"""Placeholder: the engineer building intake replaces this module."""

from django.http import HttpResponse
from django.urls import path

from .common import get_program


def program_items(request, program_pk):
    get_program(request, program_pk)
    return HttpResponse("")


urlpatterns = [path("chuong-trinh/<int:program_pk>/cau-hoi/", program_items, name="program_items")]
