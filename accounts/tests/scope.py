"""The pages of accounts that name a user (see core/tests/test_out_of_scope.py): the
standard tree's officer of 郭城驿镇."""

OBJECT_URLS = {
    "accounts:user_detail": ("other_officer", "get"),
    "accounts:user_toggle_active": ("other_officer", "post"),
    "accounts:user_set_password": ("other_officer", "get"),
}

# API tokens (issue 15): revoking another user's token is a 404 like any object out of reach.
OBJECT_URLS.update({
    "accounts:token_revoke": ("api_token", "post"),
})


def build(tree):
    from accounts import services

    tree.api_token, _token = services.token_create(actor=tree.other_officer, name="郭城驿同步")
