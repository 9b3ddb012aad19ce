from django.urls import path

from . import job_views, views

app_name = "directory"

urlpatterns = [
    path("don-vi-hanh-chinh/", views.unit_list, name="unit_list"),
    path("don-vi-hanh-chinh/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("nguoi-dung/", views.user_list, name="user_list"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user_detail"),
    path("tai-khoan/", views.profile, name="profile"),
    path("lich-lam-viec/", views.calendar, name="calendar"),
    path("cong-viec/<int:job_pk>/", job_views.job_status, name="job_status"),
    path("cong-viec/<int:job_pk>/tai-ve/", job_views.job_download, name="job_download"),
]
