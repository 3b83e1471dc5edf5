"""Pages of the accounts an office runs itself (issue 17): the list, one login (roles, reset, disable), a new
login, and the deputies' logins in bulk with printable slips. Every write goes through managing.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.common import params
from apps.common.errors import DomainError
from apps.common.pages import paginate_page
from apps.common.qr import qr_svg_inline

from . import managing
from . import permissions as perms
from .models import Role, RoleGrant
from .scopes import grants_of

DELIVERY_LABELS = (
    (managing.PASSWORD, gettext_lazy("当场显示初始密码")),
    (managing.SMS, gettext_lazy("短信发送一次性登录链接")),
    (managing.SLIP, gettext_lazy("打印登录条（含二维码）")),
)


def _targets(actor) -> dict:
    """What each grantable role may be scoped to, within the actor's reach: {role: [(id, label)]}."""
    from apps.people.models import Deputy
    from apps.places.models import HandlingUnit, Region, Station

    reach = managing.reach_of(actor)
    every = reach.everything
    towns = Region.objects.filter(level="town")
    units, stations, deputies = HandlingUnit.objects.all(), Station.objects.all(), Deputy.objects.all()
    if not every:
        towns = towns.filter(county_id__in=reach.counties)
        units = units.filter(Q(county_id__in=reach.counties) | Q(town_id__in=reach.towns))
        stations = stations.filter(town_id__in=reach.towns)
        deputies = deputies.filter(town_id__in=reach.towns)
    may = {r for g in grants_of(actor) for r in managing.GRANTABLE.get(g.role, ())}
    if every:
        may = {Role.TOWN_OFFICE, Role.UNIT_STAFF, Role.STATION_KEEPER, Role.DEPUTY}
    found = {
        Role.TOWN_OFFICE: towns,
        Role.UNIT_STAFF: units,
        Role.STATION_KEEPER: stations,
        Role.DEPUTY: deputies,
    }
    return {
        role: (Role(role).label, [(o.pk, str(o)) for o in qs.order_by("pk")[:500]])
        for role, qs in found.items()
        if role in may
    }


def _read_target(request) -> tuple[str, int | None]:
    role = request.POST.get("role", "")
    return role, params.read(request.POST, f"target_{role}", params.ID) if role else None


@login_required
def account_list(request):
    perms.require(request.user, perms.ACCOUNTS_MANAGE)
    q = params.read(request.GET, "q", params.SEARCH, "")
    qs = managing.with_grants(managing.managed_users(request.user))
    if q:
        qs = qs.filter(Q(display_name__icontains=q) | Q(username__icontains=q))
    page, keep = paginate_page(request, qs)
    context = {
        "page": page,
        "keep": keep,
        "q": q,
        "targets": _targets(request.user),
        "deliveries": DELIVERY_LABELS,
        "can_bulk": perms.holds(request.user, perms.DEPUTY_LOGINS),
    }
    if request.method == "POST":
        try:
            role, target = _read_target(request)
            issued = managing.create_login(
                actor=request.user,
                phone=request.POST.get("phone", ""),
                display_name=request.POST.get("display_name", ""),
                role=role,
                target_id=target or 0,
                delivery=request.POST.get("delivery", ""),
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as exc:
            context.update(error=exc.message, fields=exc.fields, posted=request.POST)
            return render(request, "accounts/account_list.html", context, status=exc.status)
        return _issued_page(request, [issued], [])
    return render(request, "accounts/account_list.html", context)


def _issued_page(request, issued, skipped):
    """Shown once: the initial passwords and links, with a printable slip (QR code) for each."""
    slips = [{"i": i, "qr": qr_svg_inline(i.link) if i.link else ""} for i in issued]
    return render(request, "accounts/issued.html", {"slips": slips, "skipped": skipped})


@login_required
def account_detail(request, user_id: int):
    account = managing.get_managed(request.user, user_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "reset":
                issued = managing.reset_password(
                    actor=request.user,
                    user_id=user_id,
                    delivery=request.POST.get("delivery", ""),
                    base_url=request.build_absolute_uri("/"),
                )
                return _issued_page(request, [issued], [])
            if action in ("disable", "enable"):
                managing.set_active(
                    actor=request.user,
                    user_id=user_id,
                    active=action == "enable",
                    reason=params.read(request.POST, "reason", params.Text(500), ""),
                )
            elif action == "grant":
                role, target = _read_target(request)
                managing.add_grant(actor=request.user, user_id=user_id, role=role, target_id=target or 0)
            elif action == "revoke":
                grant_id = params.read(request.POST, "grant_id", params.ID)
                managing.remove_grant(actor=request.user, user_id=user_id, grant_id=grant_id or 0)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
        return redirect("accounts:account_detail", user_id=user_id)
    grants = RoleGrant.objects.filter(user=account).select_related("region", "station", "unit", "deputy")
    context = {
        "account": account,
        "grants": grants,
        "targets": _targets(request.user),
        "deliveries": DELIVERY_LABELS,
    }
    return render(request, "accounts/account_detail.html", context)


@login_required
def deputy_logins(request):
    """The town's deputies without a login, to create them in bulk (one per person)."""
    from apps.people.models import Deputy, MandateStatus
    from apps.places.models import Region

    perms.require(request.user, perms.DEPUTY_LOGINS)
    reach = managing.reach_of(request.user)
    towns = Region.objects.filter(level="town")
    if not reach.everything:
        towns = towns.filter(pk__in=reach.towns)
    town_id = params.read(request.POST or request.GET, "town", params.ID)
    town = towns.filter(pk=town_id).first() if town_id else towns.order_by("code").first()
    if request.method == "POST" and town is not None:
        try:
            bulk = managing.bulk_deputy_logins(
                actor=request.user,
                town_id=town.pk,
                deputy_ids=params.ints(request.POST.getlist("deputy"), name="deputy"),
                delivery=request.POST.get("delivery", ""),
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{request.path}?town={town.pk}")
        return _issued_page(request, bulk.issued, bulk.skipped)
    deputies = (
        Deputy.objects.filter(town=town, user__isnull=True, mandates__status=MandateStatus.IN_OFFICE)
        .distinct()
        .order_by("name_pinyin", "pk")
        if town
        else Deputy.objects.none()
    )
    context = {
        "towns": towns.order_by("code"),
        "town": town,
        "deputies": deputies,
        "deliveries": DELIVERY_LABELS,
    }
    return render(request, "accounts/deputy_logins.html", context)
