"""people.counts.key_ranges (how an import keeps the keys of the people it wrote, to count
them and write their history from the rows themselves): the ranges hold exactly the keys
given, however they come, and in_ranges finds exactly those people."""

from hypothesis import given
from hypothesis import strategies as st

from people import counts

KEYS = st.lists(st.integers(1, 60), max_size=30)


@given(st.lists(KEYS, max_size=5))
def test_key_ranges_hold_exactly_the_keys_given_batch_after_batch(batches):
    ranges, given_keys = [], set()
    for keys in batches:
        ranges = counts.key_ranges(keys, ranges)
        given_keys |= set(keys)
    held = [k for first, last in ranges for k in range(first, last + 1)]
    assert sorted(held) == sorted(given_keys)  # each key once, nothing else
    # In order, apart, each as wide as it can be (two ranges never touch).
    assert all(a[1] + 1 < b[0] for a, b in zip(ranges, ranges[1:], strict=False))


def test_in_ranges_finds_exactly_the_people_of_the_ranges(tree):
    from people.models import Person
    from people.tests.factories import make_person

    people = [make_person(unit=tree.village, name=f"甲{i}") for i in range(6)]
    wanted = [people[0].pk, people[1].pk, people[3].pk, people[5].pk]
    found = Person.objects.filter(counts.in_ranges(counts.key_ranges(wanted)))
    assert sorted(found.values_list("pk", flat=True)) == sorted(wanted)
