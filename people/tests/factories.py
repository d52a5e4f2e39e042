"""Valid resident ID numbers and people for tests."""

import datetime as dt
import itertools

from core.actors import SYSTEM
from people import services

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_sequence = itertools.count(1)


def check_char(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_id(*, birth: dt.date = dt.date(1970, 5, 17), male: bool = True,
            region: str = "620422", seq: int | None = None) -> str:
    """A valid 18-character ID: region, birth date, a sequence whose last digit is odd for a
    man, the check character."""
    n = next(_sequence) if seq is None else seq
    order = (n % 500) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


def make_person(*, unit, actor=SYSTEM, name="张三", category=4, grade=2, certificate=True,
                **fields):
    id_number = fields.pop("id_number", None) or make_id(
        birth=fields.pop("birth", dt.date(1970, 5, 17)), male=fields.pop("male", True))
    data = dict(unit=unit, name=name, id_number=id_number, hukou="rural", **fields)
    if certificate:
        data.update(certificate_number=f"{id_number}{category}{grade}", category=category,
                    grade=grade, certificate_issued_on=dt.date(2015, 3, 5))
    return services.person_register(actor=actor, **data)
