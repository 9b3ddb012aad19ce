from .views import lists, pages

app_name = "dashboards"

urlpatterns = [*pages.urlpatterns, *lists.urlpatterns]
