def roles(request):
    """What the navigation needs to know about the visitor's role."""
    from clusterbridge.accounts.rules import is_officer

    user = getattr(request, "user", None)
    unread = 0
    if getattr(user, "is_authenticated", False):
        unread = user.inbox.filter(read_at=None).count()
    from clusterbridge.offsets.rules import can_see_icp

    sees_icp = can_see_icp(user)
    sees_review = sees_icp and not is_officer(user) and user.panel_seats.exists()
    from django.conf import settings

    from clusterbridge.privacy.rules import is_platform_admin

    return {"is_officer": is_officer(user), "is_platform_admin": is_platform_admin(user),
            "PRIVACY_CONTROLLER": settings.PRIVACY_CONTROLLER, "unread_notices": unread, "sees_icp": sees_icp,
            "sees_review": sees_review}
