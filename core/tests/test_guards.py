import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import FormSubmission

pytestmark = pytest.mark.django_db


def test_old_form_tokens_are_forgotten_and_recent_ones_kept():
    old = FormSubmission.objects.create(token="old")
    FormSubmission.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=3))
    FormSubmission.objects.create(token="recent")
    out = io.StringIO()
    call_command("forget_form_tokens", stdout=out)
    assert out.getvalue().strip() == "1"
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["recent"]
