from .scopes import office_regions, roles_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set()}
    return {"user_roles": roles_of(user), "office_regions": office_regions(user)}
