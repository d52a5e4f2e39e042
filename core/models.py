"""core's one table: the one-time form tokens used (core.guards.OnceGuard). Scope, cells,
tables and workbooks belong to no domain and have no tables."""

from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A form token consumed by its first valid submission, and where that led. Rows are
    only needed while someone may still resubmit the page; they can be deleted after a day."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                             blank=True, related_name="+")
    result_url = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.token
