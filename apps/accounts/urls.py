from django.urls import path

from . import manage_views, signin_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("login/code/", signin_views.code_login, name="code_login"),
    path("forgot/", signin_views.forgot_password, name="forgot"),
    path("link/<str:token>/", signin_views.link_login, name="link"),
    path("password/", signin_views.password_page, name="password"),
    path("me/", signin_views.my_account, name="me"),
    path("users/", manage_views.account_list, name="account_list"),
    path("users/<int:user_id>/", manage_views.account_detail, name="account_detail"),
    path("deputy-logins/", manage_views.deputy_logins, name="deputy_logins"),
]
