"""Forms of the opinion pages. They parse and render; every rule is checked again by the services."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.scopes import grants_of, is_admin
from apps.people.models import Deputy
from apps.places.models import Region, RegionLevel, Station

from .models import OpinionSource, Topic

# How many options a select may hold: a county's villages and grids fit; a province-wide admin types codes.
MAX_OPTIONS = 3000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or documents in one input; their type is checked by content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class IntakePlaces:
    """Where a user may register opinions: the towns of their office, station or own deputy seat."""

    def __init__(self, user):
        self.user = user
        self.admin = is_admin(user)
        self.towns: set[int] = set()
        self.counties: set[int] = set()
        self.own_deputy = None
        for g in grants_of(user):
            if g.role in (Role.COUNTY_OFFICE, Role.TOWN_OFFICE) and g.region is not None:
                (self.towns if g.region.level == RegionLevel.TOWN else self.counties).add(g.region_id)
            elif g.role == Role.STATION_KEEPER and g.station_id:
                self.towns.add(g.station.town_id)
            elif g.role == Role.DEPUTY and g.deputy_id:
                self.own_deputy = g.deputy
                self.towns.add(g.deputy.town_id)
        self.towns.discard(None)
        self.only_deputy = self.own_deputy is not None and len(grants_of(user)) == 1

    @property
    def any(self) -> bool:
        return self.admin or bool(self.towns or self.counties)

    def _q(self, town="town", county="county") -> Q:
        if self.admin:
            return Q()
        return Q(**{f"{town}__in": self.towns}) | Q(**{f"{county}__in": self.counties})

    def regions(self):
        levels = (RegionLevel.TOWN, RegionLevel.VILLAGE, RegionLevel.GRID)
        return (
            Region.objects.filter(self._q(), level__in=levels, town__isnull=False)
            .select_related("town")
            .order_by("code")[:MAX_OPTIONS]
        )

    def stations(self):
        return Station.objects.filter(self._q()).order_by("region__code", "name")[:500]

    def deputies(self):
        if self.only_deputy:
            return Deputy.objects.filter(pk=self.own_deputy.pk)
        return Deputy.objects.filter(self._q()).order_by("town_id", "name_pinyin")[:MAX_OPTIONS]


def region_choices(regions) -> list:
    """Grouped by township, grids indented under their village, so a long list stays readable."""
    groups: dict[str, list] = {}
    for r in regions:
        label = r.name
        if r.level == RegionLevel.TOWN:
            label = _("%(name)s（全镇）") % {"name": r.name}
        elif r.level == RegionLevel.GRID:
            label = "　— " + r.name
        groups.setdefault(r.town.name, []).append((r.code, label))
    return [("", "—"), *groups.items()]


class IntakeForm(forms.Form):
    source = forms.ChoiceField(label=_("来源"), choices=OpinionSource.choices)
    topic = forms.ChoiceField(label=_("类别"), choices=Topic.choices, initial=Topic.OTHER)
    title = forms.CharField(
        label=_("事项"),
        max_length=100,
        required=False,
        help_text=_("一句话概括，不填则取内容开头"),
    )
    content = forms.CharField(label=_("具体内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    region = forms.ChoiceField(label=_("所在村/网格"))
    received_on = forms.DateField(
        label=_("反映日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    station = forms.ChoiceField(label=_("联络站"), required=False)
    deputy = forms.ChoiceField(label=_("接待/走访代表"), required=False)
    reception_day = forms.IntegerField(required=False, widget=forms.HiddenInput)
    submitter_name = forms.CharField(label=_("反映人"), max_length=50, required=False)
    submitter_phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    enterprise_name = forms.CharField(
        label=_("企业名称"), max_length=100, required=False, help_text=_("企业点单时必填")
    )
    files = MultipleFileField(
        label=_("照片或材料"), required=False, help_text=_("可多选；支持图片、PDF、Word、Excel")
    )

    def __init__(self, *args, places: IntakePlaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["region"].choices = region_choices(places.regions())
        self.fields["station"].choices = [("", "—")] + [(s.pk, s.name) for s in places.stations()]
        deputies = list(places.deputies())
        self.fields["deputy"].choices = ([] if places.only_deputy else [("", "—")]) + [
            (d.pk, d.name) for d in deputies
        ]


class PublicForm(forms.Form):
    """The phone-first form behind a station's QR code or a deputy's 代表码."""

    content = forms.CharField(
        label=_("您要反映的问题"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("请写清楚地点、情况和您的诉求")}),
    )
    topic = forms.ChoiceField(label=_("类别"), choices=Topic.choices, initial=Topic.OTHER)
    title = forms.CharField(label=_("标题（可不填）"), max_length=100, required=False)
    submitter_name = forms.CharField(label=_("您的姓名（可不填）"), max_length=50, required=False)
    submitter_phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("只用于回复您，不会公开"),
    )
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=100, required=False)
    photo = forms.FileField(
        label=_("照片（可不传）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
