"""The ledgers that can be imported: each app registers its specs in its own ``imports.py``
with ``@register``, found when the apps are ready (ImportsConfig). The engine names no app."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .engine import ImportSpec

_SPECS: dict[str, type[ImportSpec]] = {}


def register(spec_class: type[ImportSpec]) -> type[ImportSpec]:
    if not spec_class.kind or spec_class.kind in _SPECS:
        raise ValueError(f"an import spec needs a kind of its own: {spec_class.kind!r}")
    _SPECS[spec_class.kind] = spec_class
    return spec_class


def spec_for(kind: str) -> ImportSpec:
    if kind not in _SPECS:
        raise ValidationError(_("Unknown ledger."))
    return _SPECS[kind]()


def specs() -> dict[str, ImportSpec]:
    """Every ledger, in the order of their ``order`` (then their kind)."""
    ordered = sorted(_SPECS.items(), key=lambda item: (item[1].order, item[0]))
    return {kind: spec_class() for kind, spec_class in ordered}


def is_known(kind: str) -> bool:
    return kind in _SPECS
