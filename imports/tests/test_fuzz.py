"""A bounded fuzz of every upload: corrupted .xlsx and .csv bytes and oversized parts, sent
through the import pages and the job. Never a 500, never an exception out of a job, and the
memory of the process (and of the readers it forks) stays bounded."""

import io
import resource
import zipfile

import openpyxl
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports import services as imports
from imports.models import ImportJob
from people.tests.factories import make_id

FUZZ = settings(max_examples=15, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
PEAK_GROWTH_MB = 600  # what the fuzz may add to the peak resident size of the test process


def _ledger() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "身份证号", "所属村（社区）", "备注"])
    for i in range(30):
        workbook.active.append([f"人{i}", make_id(seq=300 + i), "东山根社区", "备注" * i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


LEDGER = _ledger()
CSV = "姓名,身份证号,所属村（社区）\n甲,110105194912310021,东山根社区\n".encode()


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _mutate(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for position, value in flips:
        out[position % len(out)] = value
    return bytes(out[:cut] if cut else out)


def _with_big_part(size: int) -> bytes:
    """The ledger with one sheet part inflated (a very compressible blob)."""
    source = zipfile.ZipFile(io.BytesIO(LEDGER))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * size)
            target.writestr(info, data)
    return out.getvalue()


def _send(client, user, name: str, data: bytes) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("imports:import_list"),
                           {"kind": "people", "file": SimpleUploadedFile(name, data)})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        job = ImportJob.objects.latest("pk")
        assert client.get(job.get_absolute_url()).status_code == 200
        imports.job_start(actor=user, job=job)
        job = imports.job_run(job.pk)
        assert job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED), job.status
        assert client.get(job.get_absolute_url()).status_code == 200


def test_corrupted_and_oversized_uploads_are_clear_errors_in_bounded_memory(
        tree, client_for, settings):
    settings.CANLIAN_IMPORT_MAX_UNZIPPED_BYTES = 64 * 1024 ** 2
    client = client_for(tree.village_officer)
    start = _peak_mb()

    @FUZZ
    @given(kind=st.sampled_from(["xlsx", "csv"]),
           flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
           cut=st.one_of(st.none(), st.integers(1, 4000)))
    def fuzz(kind, flips, cut):
        data = _mutate(LEDGER if kind == "xlsx" else CSV, flips, cut)
        _send(client, tree.village_officer, f"a.{kind}", data)

    fuzz()
    # A part that unpacks past the limit, and one just under it.
    _send(client, tree.village_officer, "big.xlsx", _with_big_part(70 * 1024 ** 2))
    _send(client, tree.village_officer, "fits.xlsx", _with_big_part(8 * 1024 ** 2))
    assert _peak_mb() - start < PEAK_GROWTH_MB, (start, _peak_mb())
