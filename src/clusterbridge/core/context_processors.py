def roles(request):
    """What the navigation needs to know about the visitor's role."""
    from clusterbridge.accounts.selectors import user_is_officer

    user = getattr(request, "user", None)
    unread = 0
    if getattr(user, "is_authenticated", False):
        unread = user.inbox.filter(read_at=None).count()
    return {"is_officer": user_is_officer(user), "unread_notices": unread}
