from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    name = "samkalk.apps.workbook"
    label = "workbook"
    verbose_name = _("Workbook")
