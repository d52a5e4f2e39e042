"""The API's URLs that name an object (see core/tests/test_out_of_scope.py): the objects
the register's and the network's scope modules build in 郭城驿镇. Every path with an
object answers GET, so each is asked with GET (a write on the same path is refused the
same way: the object is fetched through the same selector)."""

OBJECT_URLS = {
    "api-1:unit_detail": ("other_township", "get"),
    "api-1:unit_children": ("other_township", "get"),
    "api-1:person_detail": ("person", "get"),
    "api-1:person_update": ("person", "get"),
    "api-1:person_needs": ("person", "get"),
    "api-1:need_create": ("person", "get"),
    "api-1:visit_list": ("person", "get"),
    "api-1:visit_create": ("person", "get"),
    "api-1:person_jobseekers": ("person", "get"),
    "api-1:jobseeker_create": ("person", "get"),
    "api-1:need_detail": ("need", "get"),
    "api-1:need_update": ("need", "get"),
    "api-1:jobseeker_detail": ("job", "get"),
    "api-1:job_detail": ("import_job", "get"),
    "api-1:job_start": ("import_job", "post"),
    "api-1:job_progress": ("import_job", "get"),
    "api-1:job_rejected": ("import_job", "get"),
    "api-1:worker_detail": ("worker", "get"),
    "api-1:appointment_detail": ("appointment", "get"),
    "api-1:workentry_detail": ("work_entry", "get"),
    "api-1:assistance_detail": ("assistance", "get"),
    "api-1:summary_table": ("other_township", "get"),
}

# ---- the ledgers' writes and reads (api2) ----------------------------------------------------
OBJECT_URLS.update({
    "api-1:workentry_update": ("work_entry", "get"),
    "api-1:workentry_notes": ("work_entry", "get"),
    "api-1:workentry_note_create": ("work_entry", "get"),
    "api-1:assistance_update": ("assistance", "get"),
    "api-1:meeting_detail": ("meeting", "get"),
    "api-1:plan_detail": ("plan", "get"),
    "api-1:volunteer_detail": ("volunteer", "get"),
    "api-1:volunteer_activity_detail": ("volunteer_activity", "get"),
    "api-1:petition_detail": ("petition", "get"),
})

# ---- transfers (api2) ---------------------------------------------------------------------------
OBJECT_URLS.update({
    "api-1:transfer_accept": ("transfer", "post"),
    "api-1:transfer_decline": ("transfer", "post"),
})
