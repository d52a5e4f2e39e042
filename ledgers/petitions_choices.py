"""The choices of letters and visits (来信来访): how a petition came, where it stands, what
the petitioner said of the reply. Plain choices, read by the models, the rules and the
import spec alike."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceivedHow(models.TextChoices):
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit in person")
    PHONE = "phone", _("Phone call")
    ONLINE = "online", _("Online")
    REFERRED = "referred", _("Passed down from a higher level")


class PetitionStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    HANDLING = "handling", _("Being handled")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    REOPENED = "reopened", _("Reopened")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


class RepeatOf(models.TextChoices):
    PERSON = "person", _("Same petitioner")
    SUBJECT = "subject", _("Same subject")


# A petition no longer waiting for the unit: replied, closed, or not accepted. The others
# run against their deadline.
FINISHED = frozenset({PetitionStatus.REPLIED, PetitionStatus.CLOSED,
                      PetitionStatus.NOT_ACCEPTED})
OPEN = frozenset(set(PetitionStatus.values) - FINISHED)
