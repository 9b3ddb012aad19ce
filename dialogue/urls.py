"""Root URLs: each app's urls.py is included by name (see DESIGN.md)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from directory import views as directory_views
from directory.forms import LoginForm

from . import views

urlpatterns = [
    path("", directory_views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("quen-mat-khau/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("danh-muc/", include("directory.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("chuong-trinh/", include("programs.urls")),
    path("", include("submissions.urls")),
    path("ket-luan/", include("conclusions.urls")),
    path("bang-dieu-khien/", include("dashboards.urls")),
    path("tai-lieu/mau.pdf", views.sample_document, name="sample_document"),
    path("quan-tri/", admin.site.urls),
]
