"""Views of the programs app, one module per area; each module lists its own urlpatterns."""
