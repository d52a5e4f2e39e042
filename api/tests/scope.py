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
}
