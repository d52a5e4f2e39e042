"""people.counts.NewPeople (an import's way of counting the people it writes, from what it
wrote, without reading them back) counts each person as keys_of does, and writes the
history record_new_people writes."""

import datetime as dt
from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from people import counts
from people.choices import Status

FACTS = st.tuples(
    st.sampled_from([1, 2, 3]),  # unit
    st.sampled_from([Status.ACTIVE, Status.ACTIVE, Status.DECEASED, Status.MOVED_OUT]),
    st.booleans(),  # certificate held
    st.integers(1, 7), st.integers(1, 4),
    st.sampled_from(["M", "F"]), st.sampled_from(["urban", "rural", ""]),
    st.dates(dt.date(1920, 1, 1), dt.date(2026, 12, 31)),  # birth date, some not born yet
    st.dates(dt.date(2020, 1, 1), dt.date(2026, 6, 30)),  # registered on
    st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), dt.date(2026, 6, 30))),
)


class _Tally(counts.NewPeople):
    """NewPeople on a fixed base day, keeping its history rows instead of writing them."""

    def __init__(self, base):
        self.base = base
        self.certificates, self.genders, self.hukous, self.ages = (Counter(), Counter(),
                                                                    Counter(), Counter())
        self.written = []


@settings(max_examples=60, deadline=None)
@given(st.lists(FACTS, max_size=40), st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
def test_new_people_are_counted_as_keys_of_counts_each(people, base):
    tally = _Tally(base)
    written = []
    original = counts.insert_rows
    counts.insert_rows = lambda _model, _fields, rows: written.extend(rows)
    try:
        tally.add(enumerate(people, start=1))
    finally:
        counts.insert_rows = original
    expected, history = defaultdict(Counter), []
    for pk, facts in enumerate(people, start=1):
        values = dict(zip(counts.FACTS, facts, strict=True))
        # Each history row carries what the person is counted as (counts.DETAILS).
        details = tuple(bool(values[name]) if name == "has_certificate" else values[name]
                        for name in counts.DETAILS)
        history.append((pk, values["unit_id"], values["registered_on"], 1, *details))
        if values["status"] != Status.ACTIVE:
            end = max(values["registered_on"], values["status_date"] or values["registered_on"])
            history.append((pk, values["unit_id"], end, -1, *details))
            continue
        expected[values["unit_id"]].update(counts.keys_of(values, base))
    got = {unit: +counter for unit, counter in tally.deltas().items() if +counter}
    assert got == {unit: +counter for unit, counter in expected.items() if +counter}
    assert written == history
