"""(filled in below)."""

urlpatterns = []
