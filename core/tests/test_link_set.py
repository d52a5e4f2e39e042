"""core.versions.link_set: one versioned, audited write of a link, and none when the link
is already there."""

import pytest
from django.utils import timezone

from audit.models import AuditLog
from core.actors import SYSTEM
from core.versions import link_set
from ledgers import records_services
from orgs import committee_services


@pytest.mark.django_db
def test_a_link_is_one_versioned_audited_write_and_the_same_link_none(tree):
    committee = committee_services.committee_create(actor=SYSTEM, unit=tree.county,
                                                    chair_name="张县长", chair_post="副县长")
    meeting = records_services.meeting_create(actor=SYSTEM, unit=tree.county,
                                              held_on=timezone.localdate(), kind="work",
                                              minutes="残工委会议")
    version, entries = meeting.version, AuditLog.objects.count()
    link_set(actor=SYSTEM, obj=meeting, field="committee", target=committee)
    meeting.refresh_from_db()
    assert meeting.committee_id == committee.pk and meeting.version == version + 1
    entry = AuditLog.objects.order_by("-pk").first()
    assert AuditLog.objects.count() == entries + 1
    assert entry.changes == {"committee": [None, committee.pk]}
    link_set(actor=SYSTEM, obj=meeting, field="committee", target=committee)  # already there
    assert AuditLog.objects.count() == entries + 1 and meeting.version == version + 1
    link_set(actor=SYSTEM, obj=meeting, field="committee", target=None)
    meeting.refresh_from_db()
    assert meeting.committee_id is None and meeting.version == version + 2
    assert AuditLog.objects.order_by("-pk").first().changes == {"committee": [committee.pk, None]}
