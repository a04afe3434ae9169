def roles(request):
    """What the navigation needs to know about the visitor's role."""
    from clusterbridge.accounts.selectors import user_is_officer

    user = getattr(request, "user", None)
    unread = 0
    if getattr(user, "is_authenticated", False):
        unread = user.inbox.filter(read_at=None).count()
    from clusterbridge.offsets.selectors import user_sees_offsets

    sees_icp = user_sees_offsets(user)
    sees_review = sees_icp and not user_is_officer(user) and user.panel_seats.exists()
    return {"is_officer": user_is_officer(user), "unread_notices": unread, "sees_icp": sees_icp,
            "sees_review": sees_review}
