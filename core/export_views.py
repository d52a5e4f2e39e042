"""The pages of a background export: its progress, then the download. Only the user who
asked reaches them; anyone else gets a 404, as for anything out of their scope."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render

from .exportjobs import (
    export_job_download,
    export_job_get,
    export_job_is_busy,
    export_job_progress,
)
from .views import XLSX, set_download_name


@login_required
def export_detail(request, pk):
    job = export_job_get(user=request.user, pk=pk)
    return render(request, "core/export_detail.html", {
        "job": job, "busy": export_job_is_busy(job), "progress": export_job_progress(job),
    })


@login_required
def export_progress(request, pk):
    """The progress bar, polled by htmx while the job runs; the whole page once it is done."""
    job = export_job_get(user=request.user, pk=pk)
    busy = export_job_is_busy(job)
    response = render(request, "core/_export_progress.html", {
        "job": job, "progress": export_job_progress(job), "running": busy,
    })
    if not busy and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
def export_download(request, pk):
    job = export_job_get(user=request.user, pk=pk)
    handle = export_job_download(user=request.user, job=job)
    response = FileResponse(handle, content_type=XLSX)
    set_download_name(response, job.filename)
    response["Cache-Control"] = "private, no-store"
    return response
