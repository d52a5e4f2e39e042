"""Attachments: the type read from the content, images re-encoded without their metadata,
a size limit, served in scope only, every look audited."""

import io

import pytest
from django.urls import reverse

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from ledgers import rules, services
from ledgers.forms import AttachmentFields
from ledgers.models import Attachment
from ledgers.tests.files import jpeg_bytes, pdf_bytes, png_bytes, upload_of
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

LIMIT = 1024 * 1024


def test_a_photo_is_re_encoded_without_its_gps_position():
    original = jpeg_bytes(gps=True)
    assert b"PhoneMaker" in original
    clean = rules.clean_file(original, limit=LIMIT)
    assert clean.content_type == "image/jpeg" and clean.extension == ".jpg"
    assert b"PhoneMaker" not in clean.content
    from PIL import Image

    with Image.open(io.BytesIO(clean.content)) as image:
        assert not image.getexif().get_ifd(0x8825)


def test_a_photo_is_turned_upright_and_shrunk():
    # Orientation 6: the camera was turned; the kept picture is upright (height > width).
    clean = rules.clean_file(jpeg_bytes((400, 100), orientation=6), limit=LIMIT)
    from PIL import Image

    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.size == (100, 400)
    big = rules.clean_file(jpeg_bytes((rules.MAX_SIDE * 2, 100)), limit=10 * LIMIT)
    with Image.open(io.BytesIO(big.content)) as image:
        assert max(image.size) == rules.MAX_SIDE


def test_bytes_after_the_picture_do_not_survive():
    hidden = png_bytes() + b"<?php system($_GET['c']); ?>"
    clean = rules.clean_file(hidden, limit=LIMIT)
    assert clean.content_type == "image/png" and b"<?php" not in clean.content


@pytest.mark.parametrize(("content", "message"), [
    (b"MZ\x90\x00" + b"\x00" * 100, "既不是照片也不是 PDF"),
    (b"<html><script>alert(1)</script></html>", "既不是照片也不是 PDF"),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 20, "无法读取"),
    (b"%PDF-1.4 no end", "不完整"),
    (b"", "文件是空的"),
])
def test_a_file_that_is_not_what_it_says_is_refused_in_chinese(content, message):
    with pytest.raises(rules.FileRefused) as refused:
        rules.clean_file(content, limit=LIMIT)
    assert message in str(refused.value)


def test_a_pdf_is_kept_as_it_is_unless_it_holds_a_script():
    plain = pdf_bytes()
    assert rules.clean_file(plain, limit=LIMIT).content == plain
    with pytest.raises(rules.FileRefused) as refused:
        rules.clean_file(pdf_bytes(script=True), limit=LIMIT)
    assert "脚本" in str(refused.value)


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.CANLIAN_ATTACHMENT_MAX_BYTES = 1000
    upload = upload_of(jpeg_bytes((300, 300)), "big.jpg")
    assert upload.size > 1000
    with pytest.raises(rules.FileRefused) as refused:
        services.read_upload(upload)
    assert "1 KB" in str(refused.value)


def test_the_form_names_each_refused_file_and_keeps_the_good_ones():
    form = AttachmentFields(data={}, files={"attachments": [
        upload_of(jpeg_bytes(), "门牌.jpg"), upload_of(b"MZ" * 50, "报告.pdf")]})
    assert not form.is_valid()
    assert "报告.pdf" in form.errors["attachments"][0]
    form = AttachmentFields(data={}, files={"photo": upload_of(jpeg_bytes(), "x.exe"),
                                            "attachments": [upload_of(pdf_bytes(), "a.pdf")]})
    assert form.is_valid(), form.errors
    kinds = [clean.content_type for clean, _name in form.cleaned_data["files"]]
    assert kinds == ["image/jpeg", "application/pdf"]


@pytest.fixture
def photo(tree):
    owner = make_person(unit=tree.community, name="拍照人")
    clean = services.read_upload(upload_of(jpeg_bytes(), "门牌.jpg"))
    return services.attach(actor=SYSTEM, owner=owner, files=[(clean, "门牌.jpg")])[0]


def test_the_file_is_served_in_scope_and_each_look_audited(tree, client_for, photo):
    url = reverse("ledgers:attachment_file", args=[photo.pk])
    response = client_for(tree.village_officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert "no-store" in response["Cache-Control"]
    looks = AuditLog.objects.filter(action=Action.VIEW, object_id=str(photo.pk))
    assert looks.count() == 1 and looks.get().actor == tree.village_officer


def test_the_file_is_404_outside_the_scope(tree, client_for, photo):
    url = reverse("ledgers:attachment_file", args=[photo.pk])
    assert client_for(tree.other_officer).get(url).status_code == 404


def test_the_file_is_403_without_the_right_to_see_its_entry(tree, client_for, photo):
    url = reverse("ledgers:attachment_file", args=[photo.pk])
    assert client_for(tree.auditor).get(url).status_code == 403


def test_the_file_is_not_under_a_served_url(settings, photo):
    assert not str(photo.file.name).startswith(str(settings.STATIC_ROOT))
    assert photo.file.name.startswith("ledgers/") and photo.file.name.endswith(".jpg")
    assert "门牌" not in photo.file.name


def test_removing_a_file_deletes_it_once_committed(tree, client_for, photo,
                                                   django_capture_on_commit_callbacks):
    path = photo.file.path
    client = client_for(tree.village_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledgers:attachment_delete", args=[photo.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=photo.pk).exists()
    import os

    assert not os.path.exists(path)


def test_a_locked_work_record_keeps_its_files(tree, client_for):
    import datetime as dt

    from django.utils import timezone

    from ledgers import records_services
    from ledgers.models import WorkEntry

    clean = services.read_upload(upload_of(jpeg_bytes(), "会议.jpg"))
    entry = records_services.work_entry_create(
        actor=tree.village_officer, written_on=timezone.localdate(), content="入户走访",
        files=[(clean, "会议.jpg")])
    photo = Attachment.objects.get(owner_id=entry.pk)
    WorkEntry.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - dt.timedelta(days=7, seconds=1))
    client = client_for(tree.village_officer)
    response = client.post(reverse("ledgers:attachment_delete", args=[photo.pk]), follow=True)
    assert Attachment.objects.filter(pk=photo.pk).exists()
    assert "7 天" in response.content.decode() or "7天" in response.content.decode()
