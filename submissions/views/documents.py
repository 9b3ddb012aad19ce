"""Placeholder: the engineer building this area replaces this module."""

urlpatterns = []
