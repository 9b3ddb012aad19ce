from .views import answers, detail, documents, intake, routing, triage

app_name = "submissions"

urlpatterns = [
    *detail.urlpatterns,
    *intake.urlpatterns,
    *triage.urlpatterns,
    *routing.urlpatterns,
    *answers.urlpatterns,
    *documents.urlpatterns,
]
