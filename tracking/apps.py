from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "招商工作跟踪 / tracking"
    default_auto_field = "django.db.models.BigAutoField"
