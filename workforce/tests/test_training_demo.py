"""The demo's training, appraisals and awards (workforce/training_demo.py), on the standard
tree with officers in post: sessions with attendance, last year's appraisals with one 不称职
awaiting confirmation, a published selection; loading it twice adds nothing."""

import datetime as dt

from django.utils import timezone

from workforce import selectors
from workforce.models import Appraisal, Attendance, AwardRound, Nomination, TrainingSession
from workforce.tests.factories import make_officer
from workforce.training_demo import load_training_demo


def test_the_training_demo(tree):
    start = dt.date(timezone.localdate().year - 2, 1, 1)
    for unit, kind in ((tree.township, "chair"), (tree.township, "liaison"),
                       (tree.community, "liaison"), (tree.village, "liaison"),
                       (tree.other_township, "chair"), (tree.other_village, "liaison"),
                       (tree.community, "chair")):
        make_officer(unit=unit, kind=kind, starts_on=start, name=f"{unit.name[:2]}{kind}")
    lines = load_training_demo(tree.county)
    assert lines and "不称职" in lines[0]
    assert TrainingSession.objects.count() == 3
    assert Attendance.objects.count() > 0
    last_year = timezone.localdate().year - 1
    appraisals = Appraisal.objects.filter(year=last_year)
    assert appraisals.count() == 7
    assert [a.grade for a in appraisals if a.awaiting_confirmation] == ["incompetent"]
    award = AwardRound.objects.get()
    assert award.published_on is not None
    assert Nomination.objects.filter(round=award, decision="selected").exists()
    assert not Nomination.objects.filter(round=award, decision="").exists()
    # The shortfall list has something to show, and loading again adds nothing.
    assert selectors.training_needs(user=tree.county_admin, year=last_year + 1)
    assert load_training_demo(tree.county) == []
    assert TrainingSession.objects.count() == 3 and Appraisal.objects.count() == 7
