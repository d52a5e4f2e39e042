"""The pages of accounts that name a user (see core/tests/test_out_of_scope.py): the
standard tree's officer of 郭城驿镇."""

OBJECT_URLS = {
    "accounts:user_detail": ("other_officer", "get"),
    "accounts:user_toggle_active": ("other_officer", "post"),
    "accounts:user_set_password": ("other_officer", "get"),
}
