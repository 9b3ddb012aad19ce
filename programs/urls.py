from .views import agenda, checkin, committee, delegates, documents, forums, plan, program, roadmap

app_name = "programs"

urlpatterns = [
    *program.urlpatterns,
    *committee.urlpatterns,
    *plan.urlpatterns,
    *roadmap.urlpatterns,
    *agenda.urlpatterns,
    *forums.urlpatterns,
    *documents.urlpatterns,
    *delegates.urlpatterns,
    *checkin.urlpatterns,
]
