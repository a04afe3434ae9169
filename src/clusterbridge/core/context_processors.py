def roles(request):
    """What the navigation needs to know about the visitor's role."""
    from clusterbridge.accounts.selectors import user_is_officer

    return {"is_officer": user_is_officer(getattr(request, "user", None))}
