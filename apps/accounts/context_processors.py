from .menu import menu_for
from .permissions import names_held
from .scopes import office_regions, roles_of


def roles(request):
    """`perms_held`: the names of the capabilities the user holds (`{% if "duty.review" in perms_held %}`);
    `menu`: the main menu's groups the user sees (accounts/menu.py); `user_roles` and `office_regions` for
    pages that show the user's regions."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "perms_held": frozenset(), "menu": []}
    return {
        "user_roles": roles_of(user),
        "office_regions": office_regions(user),
        "perms_held": frozenset(names_held(user)),
        "menu": menu_for(user, request.path),
    }
