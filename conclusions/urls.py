from .views import followup, notices, reports

app_name = "conclusions"

urlpatterns = [
    *notices.urlpatterns,
    *followup.urlpatterns,
    *reports.urlpatterns,
]
