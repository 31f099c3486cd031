"""The workbench's addresses. Every page but the login page and the CSS needs a signed-in user
(`LoginRequiredMiddleware`)."""
from django.contrib.auth import views as auth
from django.urls import path, re_path

from workbench import actions, views

urlpatterns = [
    path("login/", auth.LoginView.as_view(template_name="workbench/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    re_path(r"^static/(?P<path>.+)$", views.static, name="static"),
    path("", views.overview, name="overview"),
    path("gaps/", views.gaps, name="gaps"),
    path("library/", views.library, name="library"),
    path("calls/", views.calls, name="calls"),
    path("calls/download/", views.calls_download, name="calls_download"),
    path("assign/", actions.assign_view, name="assign"),
    path("log/", actions.log_view, name="log"),
    path("projects/", views.projects, name="projects"),
    path("projects/update/", actions.project_view, name="project_update"),
    path("bulletin/", views.bulletin_page, name="bulletin"),
    path("bulletin/download/", views.bulletin_download, name="bulletin_download"),
    path("upload/", actions.upload_view, name="upload"),
    path("upload/accept/", actions.accept_view, name="accept"),
    path("upload/<str:token>/rejected/", actions.rejected_download, name="rejected"),
    path("data/template/", actions.template_download, name="template"),
    path("whatif/", actions.whatif_view, name="whatif"),
    path("audit/", views.audit, name="audit"),
    re_path(r"^site/(?P<path>.*)$", views.site, name="site"),
]
