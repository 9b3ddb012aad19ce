from .views import agenda, committee, documents, forums, plan, program, roadmap

app_name = "programs"

urlpatterns = [
    *program.urlpatterns,
    *committee.urlpatterns,
    *plan.urlpatterns,
    *roadmap.urlpatterns,
    *agenda.urlpatterns,
    *forums.urlpatterns,
    *documents.urlpatterns,
]
