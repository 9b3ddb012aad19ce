"""Views of the submissions app, one module per area; each module lists its own urlpatterns."""
